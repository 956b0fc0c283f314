{{/*
Helpers shared by the FantaCo charts (fantaco-app, fantaco-mcp,
fantaco-agent): the one copy. This library chart reaches each stage chart
through a symbolic link in its charts/ directory, so every chart installs
from a checkout with no `helm dependency` step.

Calling convention: most helpers take a dict with
  root  the chart's top-level context ($)
  key   the component's key in .Values.global.services (customerApi, ...)
  c     the component's values
Every template file starts with {{ include "fantaco.init" . }}, which fills
the `global:` defaults (_globals.tpl) into the values.
*/}}

{{/* Workload name of a component (Deployment, `app` label, NetworkPolicy):
global.namePrefix + global.services.<key>.name */}}
{{- define "fantaco.name" -}}
{{- include "fantaco.prefixed" (dict "root" .root "n" (index .root.Values.global.services .key).name) -}}
{{- end -}}

{{/* Service name of a component: global.services.<key>.service */}}
{{- define "fantaco.serviceName" -}}
{{- include "fantaco.prefixed" (dict "root" .root "n" (index .root.Values.global.services .key).service) -}}
{{- end -}}

{{/* Route (or Ingress) name of a component: global.services.<key>.route */}}
{{- define "fantaco.routeName" -}}
{{- include "fantaco.prefixed" (dict "root" .root "n" (index .root.Values.global.services .key).route) -}}
{{- end -}}

{{- define "fantaco.prefixed" -}}
{{- printf "%s%s" (.root.Values.global.namePrefix | default "") .n | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The binary (image, container) behind a component. */}}
{{- define "fantaco.binary" -}}
{{- index (dict "customerDb" "postgresql" "financeDb" "postgresql" "customerApi" "customer-api" "financeApi" "finance-api" "customerMcp" "customer-mcp" "financeMcp" "finance-mcp" "agentUi" "agent-ui" "agentApi" "agent-ui") .key -}}
{{- end -}}

{{/* Port a component's Service exposes. */}}
{{- define "fantaco.port" -}}
{{- (index .root.Values.global.services .key).port -}}
{{- end -}}

{{/* In-namespace base URL of a component's Service:
http://fantaco-customer-service:8081 */}}
{{- define "fantaco.serviceUrl" -}}
{{- printf "http://%s:%v" (include "fantaco.serviceName" .) (include "fantaco.port" .) -}}
{{- end -}}

{{/* Cluster-wide URL of a component's Service, for callers in other
namespaces (Llama Stack): http://mcp-customer-service.<ns>.svc.cluster.local:9001 */}}
{{- define "fantaco.serviceFqdnUrl" -}}
{{- printf "http://%s.%s.svc.%s:%v" (include "fantaco.serviceName" .) .root.Release.Namespace .root.Values.global.clusterDomain (include "fantaco.port" .) -}}
{{- end -}}

{{- define "fantaco.selectorLabels" -}}
app: {{ include "fantaco.name" . }}
app.kubernetes.io/part-of: fantaco
{{- end -}}

{{- define "fantaco.labels" -}}
{{ include "fantaco.selectorLabels" . }}
app.kubernetes.io/name: {{ include "fantaco.binary" . }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .tier }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* "openshift" or "kubernetes"; auto-detected from the cluster's APIs. */}}
{{- define "fantaco.platform" -}}
{{- $p := .Values.global.platform | default "auto" -}}
{{- if ne $p "auto" -}}
{{- $p -}}
{{- else if or (.Capabilities.APIVersions.Has "security.openshift.io/v1") (.Capabilities.APIVersions.Has "route.openshift.io/v1") -}}
openshift
{{- else -}}
kubernetes
{{- end -}}
{{- end -}}

{{/* "route", "ingress" or "none". auto: a Route where the cluster has the
OpenShift Route API, nothing elsewhere. */}}
{{- define "fantaco.exposeType" -}}
{{- $t := .Values.global.expose.type | default "auto" -}}
{{- if ne $t "auto" -}}
{{- $t -}}
{{- else if .Capabilities.APIVersions.Has "route.openshift.io/v1" -}}
route
{{- else -}}
none
{{- end -}}
{{- end -}}

{{/* Full image reference. dict: root, image (registry, repository, tag) */}}
{{- define "fantaco.image" -}}
{{- $g := .root.Values.global -}}
{{- $reg := .image.registry | default $g.imageRegistry | default "" | trimSuffix "/" -}}
{{- $tag := .image.tag | default $g.imageTag | default .root.Chart.AppVersion | toString -}}
{{- if $reg -}}
{{- printf "%s/%s:%s" $reg .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "fantaco.imagePullSecrets" -}}
{{- with .Values.global.imagePullSecrets -}}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end -}}

{{/* Pod security context for OpenShift restricted-v2 and the Kubernetes
"restricted" Pod Security Standard: no fixed UID (OpenShift assigns one).
On plain Kubernetes only, `kubernetes` (a map) is merged in, for images whose
USER is root or a name (e.g. runAsUser for the upstream postgres image).
dict: root, kubernetes */}}
{{- define "fantaco.podSecurityContext" -}}
{{- $sc := dict "runAsNonRoot" true "seccompProfile" (dict "type" "RuntimeDefault") -}}
{{- if and (eq (include "fantaco.platform" .root) "kubernetes") .kubernetes -}}
{{- $sc = merge (deepCopy .kubernetes) $sc -}}
{{- end -}}
{{- toYaml $sc -}}
{{- end -}}

{{- define "fantaco.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Probe timing shared by HTTP and exec probes. */}}
{{- define "fantaco.probeTiming" -}}
initialDelaySeconds: {{ .initialDelaySeconds }}
periodSeconds: {{ .periodSeconds }}
timeoutSeconds: {{ .timeoutSeconds }}
failureThreshold: {{ .failureThreshold }}
{{- end -}}

{{/* The binaries check the Host header (ALLOWED_HOSTS); the kubelet would
send the pod IP, so probes name a loopback host, which is always allowed. */}}
{{- define "fantaco.httpProbe" -}}
httpGet:
  path: {{ .path }}
  port: http
  httpHeaders:
    - name: Host
      value: localhost
{{ include "fantaco.probeTiming" . }}
{{- end -}}

{{/* Deployment of one of the five FantaCo binaries.
dict: root, key, tier, c (component values), env (YAML list text, optional),
connectsTo (list of Deployment names, optional), dataDir (bool: writable
/var/lib/fantaco, the images' working directory, for the SQLite fallback),
serves (list of dict key, expose: the Services and Routes in front of the
pods, for ALLOWED_HOSTS; default: the component's own) */}}
{{- define "fantaco.deployment" -}}
{{- $root := .root -}}
{{- $c := .c -}}
{{- $g := $root.Values.global -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "fantaco.name" . }}
  labels:
    {{- include "fantaco.labels" . | nindent 4 }}
  {{- with .connectsTo }}
  annotations:
    {{- $targets := list }}
    {{- range . }}
    {{- $targets = append $targets (dict "apiVersion" "apps/v1" "kind" "Deployment" "name" .) }}
    {{- end }}
    app.openshift.io/connects-to: {{ toJson $targets | quote }}
  {{- end }}
spec:
  replicas: {{ $c.replicas }}
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      {{- include "fantaco.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "fantaco.labels" . | nindent 8 }}
      {{- with $c.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        {{- include "fantaco.podSecurityContext" (dict "root" $root "kubernetes" $c.kubernetesSecurityContext) | nindent 8 }}
      {{- with include "fantaco.imagePullSecrets" $root }}
      {{- . | nindent 6 }}
      {{- end }}
      containers:
        - name: {{ include "fantaco.binary" . }}
          image: {{ include "fantaco.image" (dict "root" $root "image" $c.image) | quote }}
          imagePullPolicy: {{ $c.image.pullPolicy | default $g.imagePullPolicy }}
          env:
            - name: HOST
              value: "0.0.0.0"
            - name: PORT
              value: {{ include "fantaco.port" . | quote }}
            - name: LOG_FORMAT
              value: {{ $g.logFormat | quote }}
            - name: ALLOWED_HOSTS
              value: {{ include "fantaco.allowedHosts" (dict "root" $root "serves" (.serves | default (list (dict "key" .key "expose" $c.expose)))) | quote }}
            {{- with .env }}
            {{- . | trim | nindent 12 }}
            {{- end }}
            {{- range $k, $v := $c.env }}
            - name: {{ $k }}
              value: {{ $v | toString | quote }}
            {{- end }}
          ports:
            - name: http
              containerPort: {{ include "fantaco.port" . }}
              protocol: TCP
          livenessProbe:
            {{- include "fantaco.httpProbe" $c.probes.liveness | nindent 12 }}
          readinessProbe:
            {{- include "fantaco.httpProbe" $c.probes.readiness | nindent 12 }}
          resources:
            {{- toYaml $c.resources | nindent 12 }}
          securityContext:
            {{- include "fantaco.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if .dataDir }}
            - name: data
              mountPath: /var/lib/fantaco
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- if .dataDir }}
        - name: data
          emptyDir:
            sizeLimit: 1Gi
        {{- end }}
      {{- with $c.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/* ClusterIP (or other type) Service. dict: root, key, tier, c, portName,
podsOf (key of the component whose pods it selects; default: key) */}}
{{- define "fantaco.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "fantaco.serviceName" . }}
  labels:
    {{- include "fantaco.labels" . | nindent 4 }}
spec:
  type: {{ (.c.service | default dict).type | default "ClusterIP" }}
  {{- with (.c.service | default dict).sessionAffinity }}
  sessionAffinity: {{ . }}
  {{- end }}
  selector:
    {{- include "fantaco.selectorLabels" (dict "root" .root "key" (.podsOf | default .key)) | nindent 4 }}
  ports:
    - name: {{ .portName | default "http" }}
      port: {{ include "fantaco.port" . }}
      targetPort: {{ .portName | default "http" }}
      protocol: TCP
{{- end -}}

{{/* Host name for an Ingress: expose.host, else <route name>.<global ingress domain>. */}}
{{- define "fantaco.ingressHost" -}}
{{- $domain := .root.Values.global.expose.ingress.domain -}}
{{- if .c.expose.host -}}
{{- .c.expose.host -}}
{{- else if $domain -}}
{{- printf "%s.%s" (include "fantaco.routeName" .) $domain -}}
{{- else -}}
{{- fail (printf "Ingress for %s needs a host: set global.expose.ingress.domain or the component's expose.host" (include "fantaco.routeName" .)) -}}
{{- end -}}
{{- end -}}

{{/* Route or Ingress for a component, per global.expose.type and the
component's expose.enabled. dict: root, key, tier, c */}}
{{- define "fantaco.expose" -}}
{{- $type := include "fantaco.exposeType" .root -}}
{{- $g := .root.Values.global -}}
{{- if and .c.expose.enabled (eq $type "route") }}
---
apiVersion: route.openshift.io/v1
kind: Route
metadata:
  name: {{ include "fantaco.routeName" . }}
  labels:
    {{- include "fantaco.labels" . | nindent 4 }}
  {{- with .c.expose.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with .c.expose.host }}
  host: {{ . }}
  {{- end }}
  to:
    kind: Service
    name: {{ include "fantaco.serviceName" . }}
    weight: 100
  port:
    targetPort: http
  {{- if ne $g.expose.route.termination "none" }}
  tls:
    termination: {{ $g.expose.route.termination }}
    insecureEdgeTerminationPolicy: {{ $g.expose.route.insecureEdgeTerminationPolicy }}
  {{- end }}
  wildcardPolicy: None
{{- else if and .c.expose.enabled (eq $type "ingress") }}
{{- $host := include "fantaco.ingressHost" . }}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "fantaco.routeName" . }}
  labels:
    {{- include "fantaco.labels" . | nindent 4 }}
  {{- $ann := merge (deepCopy (.c.expose.annotations | default dict)) ($g.expose.ingress.annotations | default dict) }}
  {{- with $ann }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $g.expose.ingress.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- if $g.expose.ingress.tls }}
  tls:
    - hosts:
        - {{ $host }}
      secretName: {{ $g.expose.ingress.tlsSecretName | default (printf "%s-tls" (include "fantaco.routeName" .)) }}
  {{- end }}
  rules:
    - host: {{ $host }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {{ include "fantaco.serviceName" . }}
                port:
                  name: http
{{- end }}
{{- end -}}

{{/* Public base URL of an exposed component, as a shell snippet for NOTES:
prints "export VAR=..." lines (a Route found by its `app` label, as the lab
does). dict: root, key, c, var */}}
{{- define "fantaco.notesExport" -}}
{{- $type := include "fantaco.exposeType" .root -}}
{{- $name := include "fantaco.routeName" . -}}
{{- $svc := include "fantaco.serviceName" . -}}
{{- $ns := .root.Release.Namespace -}}
{{- $g := .root.Values.global -}}
{{- if and .c.expose.enabled (eq $type "route") -}}
{{- $scheme := ternary "http" "https" (eq $g.expose.route.termination "none") -}}
export {{ .var }}={{ $scheme }}://$(oc get routes -l app={{ include "fantaco.name" . }} -n {{ $ns }} -o jsonpath="{range .items[*]}{.status.ingress[0].host}{end}")
{{- else if and .c.expose.enabled (eq $type "ingress") -}}
export {{ .var }}={{ ternary "https" "http" (eq ($g.expose.ingress.tls | toString) "true") }}://{{ include "fantaco.ingressHost" . }}
{{- else -}}
kubectl -n {{ $ns }} port-forward svc/{{ $svc }} {{ include "fantaco.port" . }}:{{ include "fantaco.port" . }} >/dev/null &
export {{ .var }}=http://localhost:{{ include "fantaco.port" . }}
{{- end -}}
{{- end -}}

{{/* NetworkPolicy admitting traffic to a component only from the tier in
front of it. dict: root, key, tier, c, from (list of component keys),
peers (extra NetworkPolicyPeer list), portName, noTests (true: the helm test
pods are not let in either) */}}
{{- define "fantaco.networkPolicy" -}}
{{- $root := .root -}}
{{- $np := $root.Values.global.networkPolicy -}}
{{- if $np.enabled }}
{{- $peers := list -}}
{{- range .from }}
{{- $peers = append $peers (dict "podSelector" (dict "matchLabels" (dict "app" (include "fantaco.name" (dict "root" $root "key" .)) "app.kubernetes.io/part-of" "fantaco"))) -}}
{{- end }}
{{- if not .noTests }}
{{- $peers = append $peers (dict "podSelector" (dict "matchLabels" (dict "fantaco.io/helm-test" "true"))) -}}
{{- end }}
{{- range (.peers | default list) }}
{{- $peers = append $peers . -}}
{{- end }}
{{- if and .c.expose .c.expose.enabled (ne (include "fantaco.exposeType" $root) "none") }}
{{- range $np.ingressControllerPeers }}
{{- $peers = append $peers . -}}
{{- end }}
{{- end }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "fantaco.name" . }}
  labels:
    {{- include "fantaco.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "fantaco.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
  ingress:
    - from:
        {{- toYaml $peers | nindent 8 }}
      ports:
        - protocol: TCP
          port: {{ .portName | default "http" }}
{{- end }}
{{- end -}}

{{/* `helm test` Pod running a POSIX sh script with curl, under the same
restricted security context as the workloads.
dict: root, key, tier, script, env (YAML list text, optional) */}}
{{- define "fantaco.testPod" -}}
{{- $root := .root -}}
{{- $t := $root.Values.global.tests -}}
{{- $name := printf "%s-test" (include "fantaco.name" .) -}}
apiVersion: v1
kind: Pod
metadata:
  name: {{ $name }}
  labels:
    app: {{ $name }}
    app.kubernetes.io/part-of: fantaco
    app.kubernetes.io/instance: {{ $root.Release.Name }}
    app.kubernetes.io/component: helm-test
    app.kubernetes.io/managed-by: {{ $root.Release.Service }}
    fantaco.io/helm-test: "true"
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  enableServiceLinks: false
  securityContext:
    {{- include "fantaco.podSecurityContext" (dict "root" $root "kubernetes" $t.kubernetesSecurityContext) | nindent 4 }}
  {{- with include "fantaco.imagePullSecrets" $root }}
  {{- . | nindent 2 }}
  {{- end }}
  containers:
    - name: test
      image: {{ printf "%s:%s" $t.image.repository ($t.image.tag | toString) | quote }}
      imagePullPolicy: {{ $t.image.pullPolicy | default $root.Values.global.imagePullPolicy }}
      command:
        - /bin/sh
        - -ec
        - |
          {{- include "fantaco.testShellLib" . | nindent 10 }}
          {{- .script | nindent 10 }}
          echo "PASS {{ $name }}"
      env:
        - name: HOME
          value: /tmp
        {{- with .env }}
        {{- . | trim | nindent 8 }}
        {{- end }}
      resources:
        {{- toYaml $t.resources | nindent 8 }}
      securityContext:
        {{- include "fantaco.containerSecurityContext" . | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 16Mi
{{- end -}}

{{/* Shell functions for the test pods; POSIX sh and curl only (no grep/sed:
the test image may be ubi-minimal or curlimages/curl). */}}
{{- define "fantaco.testShellLib" -}}
fail() { echo "FAIL: $*" >&2; exit 1; }
# get URL [expected substring...]: GET, retrying while the Service comes up.
get() {
  url=$1; shift
  body=$(curl -fsS --max-time 10 --retry 10 --retry-delay 3 --retry-connrefused "$url") || fail "GET $url"
  for want in "$@"; do
    case "$body" in *"$want"*) ;; *) fail "GET $url: no '$want' in: $body" ;; esac
  done
  echo "ok GET $url"
}
# post URL JSON [expected substring...]
post() {
  url=$1; data=$2; shift 2
  body=$(curl -fsS --max-time 10 --retry 5 --retry-delay 3 --retry-connrefused -X POST -H 'Content-Type: application/json' -d "$data" "$url") || fail "POST $url"
  for want in "$@"; do
    case "$body" in *"$want"*) ;; *) fail "POST $url: no '$want' in: $body" ;; esac
  done
  echo "ok POST $url"
}
# mcp_check URL tool...: initialize, notifications/initialized, tools/list.
mcp_check() {
  url=$1; shift
  auth="X-Helm-Test: 1"
  [ -n "${MCP_AUTH_TOKEN:-}" ] && auth="Authorization: Bearer $MCP_AUTH_TOKEN"
  sid="X-Helm-Test: 1"
  mcp_post() {
    curl -sS --max-time 10 --retry 10 --retry-delay 3 --retry-connrefused \
      -o /tmp/mcp.body -D /tmp/mcp.head -w '%{http_code}' -X POST \
      -H 'Content-Type: application/json' \
      -H 'Accept: application/json, text/event-stream' \
      -H "$auth" -H "$sid" -H "$1" -d "$2" "$url"
  }
  code=$(mcp_post "X-Helm-Test: 1" '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"helm-test","version":"1.0"}}}') || fail "initialize $url"
  body=$(cat /tmp/mcp.body)
  [ "$code" = 200 ] || fail "initialize $url: HTTP $code: $body"
  case "$body" in *'"protocolVersion"'*) ;; *) fail "initialize $url: $body" ;; esac
  cr=$(printf '\r')
  while IFS= read -r line; do
    line=${line%"$cr"}
    case "$line" in
      [Mm][Cc][Pp]-[Ss][Ee][Ss][Ss][Ii][Oo][Nn]-[Ii][Dd]:*)
        v=${line#*:}; v=${v# }; sid="Mcp-Session-Id: $v" ;;
    esac
  done < /tmp/mcp.head
  ver="MCP-Protocol-Version: 2025-06-18"
  code=$(mcp_post "$ver" '{"jsonrpc":"2.0","method":"notifications/initialized"}') || fail "notifications/initialized $url"
  case "$code" in 200|202|204) ;; *) fail "notifications/initialized $url: HTTP $code" ;; esac
  code=$(mcp_post "$ver" '{"jsonrpc":"2.0","id":2,"method":"tools/list"}') || fail "tools/list $url"
  body=$(cat /tmp/mcp.body)
  [ "$code" = 200 ] || fail "tools/list $url: HTTP $code: $body"
  for tool in "$@"; do
    case "$body" in *"\"$tool\""*) ;; *) fail "tools/list $url: no tool $tool in: $body" ;; esac
  done
  echo "ok MCP $url: initialize + tools/list ($*)"
}
{{- end -}}

{{/* Secret value, base64: the given value, else the one already in the
cluster (kept across upgrades), else a random one.
dict: root, name (Secret), key, value, length */}}
{{- define "fantaco.secretValue" -}}
{{- if .value -}}
{{- .value | toString | b64enc -}}
{{- else -}}
{{- $s := lookup "v1" "Secret" .root.Release.Namespace .name -}}
{{- if and $s $s.data (hasKey ($s.data | default dict) .key) -}}
{{- index $s.data .key -}}
{{- else -}}
{{- randAlphaNum (int (.length | default 24)) | b64enc -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* ALLOWED_HOSTS of a workload's pods: the Host names its clients may use.
Each Service in front of the pods under its four names (short,
.<namespace>, .<namespace>.svc, .<namespace>.svc.<clusterDomain>), and its
Route or Ingress host when exposed. A Route whose host OpenShift generates
gets `*.<global.expose.route.domain>`, or `*` (any host) when that domain
is not set: the generated name is not known at install time.
dict: root, serves (list of dict key, expose) */}}
{{- define "fantaco.allowedHosts" -}}
{{- $root := .root -}}
{{- $g := $root.Values.global -}}
{{- $ns := $root.Release.Namespace -}}
{{- $type := include "fantaco.exposeType" $root -}}
{{- $hosts := list -}}
{{- range .serves -}}
{{- $svc := include "fantaco.serviceName" (dict "root" $root "key" .key) -}}
{{- $hosts = concat $hosts (list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.%s" $svc $ns $g.clusterDomain)) -}}
{{- $e := .expose | default dict -}}
{{- if and $e.enabled (eq $type "ingress") -}}
{{- $hosts = append $hosts (include "fantaco.ingressHost" (dict "root" $root "key" .key "c" (dict "expose" $e))) -}}
{{- else if and $e.enabled (eq $type "route") -}}
{{- if $e.host -}}
{{- $hosts = append $hosts $e.host -}}
{{- else if $g.expose.route.domain -}}
{{- $hosts = append $hosts (printf "*.%s" $g.expose.route.domain) -}}
{{- else -}}
{{- $hosts = append $hosts "*" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- join "," (uniq $hosts) -}}
{{- end -}}
