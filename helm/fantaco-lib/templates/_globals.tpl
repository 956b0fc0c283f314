{{/*
The `global:` settings shared by every FantaCo chart, and their defaults:
the one copy. Set them under `global:` when installing any of the charts;
what is not set comes from here (fantaco.init fills the gaps, so a stage
chart installed on its own behaves as it does inside the umbrella).
helm/fantaco-lib/values.schema.json checks them.
*/}}
{{- define "fantaco.globalDefaults" -}}
# Prefix for every object name. Empty keeps the workshop's names
# (fantaco-customer-main, mcp-customer-service, ...); set one to run two
# stacks in a namespace.
namePrefix: ""
# Registry (and organisation) of the five FantaCo images, and their tag
# (empty: the chart's appVersion). Each component can override both.
imageRegistry: quay.io/fantaco
imageTag: ""
imagePullPolicy: IfNotPresent
imagePullSecrets: []
# auto: OpenShift when the cluster serves security.openshift.io or
# route.openshift.io. On plain Kubernetes the components'
# kubernetesSecurityContext maps are merged into the pod security context
# (OpenShift assigns UIDs and fsGroups itself and rejects fixed ones).
platform: auto          # auto | openshift | kubernetes
clusterDomain: cluster.local
logFormat: json         # LOG_FORMAT of the binaries: json | text
# The workshop's names of every component: workload (Deployment and its
# `app` label), Service, port and Route. The one place the wiring between
# the stages is read from (the API URLs of the MCP servers, the MCP URLs of
# the agent, the database URLs of the APIs). agentApi is the agent back end's
# Service and Route (langgraph-fastapi:8000 in the workshop); they select the
# agentUi pods: one agent-ui binary serves the chat and the back end's routes.
services:
  customerDb: {name: postgresql-customer, service: postgres-cust, port: 5432}
  financeDb: {name: postgresql-finance, service: postgres-fin, port: 5432}
  customerApi: {name: fantaco-customer-main, service: fantaco-customer-service, port: 8081, route: fantaco-customer-service}
  financeApi: {name: fantaco-finance-main, service: fantaco-finance-service, port: 8082, route: fantaco-finance-service}
  customerMcp: {name: mcp-customer, service: mcp-customer-service, port: 9001, path: /mcp, route: mcp-customer-route}
  financeMcp: {name: mcp-finance, service: mcp-finance-service, port: 9002, path: /mcp, route: mcp-finance-route}
  agentUi: {name: simple-agent-chat-ui, service: simple-agent-chat-ui, port: 3000, route: simple-agent-chat-ui}
  agentApi: {name: langgraph-fastapi, service: langgraph-fastapi, port: 8000, route: langgraph-fastapi}
expose:
  # auto: OpenShift Routes where the cluster has the Route API, else none.
  type: auto            # auto | route | ingress | none
  route:
    termination: edge   # edge | reencrypt | none (plain HTTP)
    insecureEdgeTerminationPolicy: Redirect   # Redirect | Allow | None
    # The cluster's apps domain, under which OpenShift generates the hosts
    # of Routes that set no expose.host
    # (oc get ingresses.config/cluster -o jsonpath='{.spec.domain}').
    # The binaries check the Host header against ALLOWED_HOSTS: with the
    # domain set, an exposed workload admits *.<domain>; empty, it admits
    # any host (*), because the generated name is not known at install time.
    domain: ""
  ingress:
    className: ""
    # Ingress hosts are <route name>.<domain> unless a component sets expose.host.
    domain: ""
    annotations: {}
    tls: false
    tlsSecretName: ""   # default: <route name>-tls
networkPolicy:
  # One NetworkPolicy per workload: each tier only accepts the tier in front
  # of it (database <- API <- MCP server <- agent and Llama Stack), plus the
  # helm test pods (label fantaco.io/helm-test=true; not for the databases)
  # and, for exposed components, the ingress controller.
  enabled: false
  ingressControllerPeers:
    # OpenShift's router (also when it runs in the host network) ...
    - namespaceSelector:
        matchLabels:
          policy-group.network.openshift.io/ingress: ""
    - namespaceSelector:
        matchLabels:
          policy-group.network.openshift.io/host-network: ""
    # ... and ingress-nginx.
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: ingress-nginx
  # Who may call the MCP servers besides the agent: Llama Stack. Narrow this
  # to its namespace and pods, e.g.
  #   - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: llama-stack}}
  llamaStackPeers:
    - namespaceSelector: {}
tests:
  # `helm test` pods: curl against each API, MCP server and the agent.
  enabled: true
  image:
    repository: registry.access.redhat.com/ubi9/ubi-minimal
    tag: latest
    pullPolicy: ""
  resources:
    requests: {cpu: 10m, memory: 16Mi}
    limits: {cpu: 200m, memory: 64Mi}
  # ubi-minimal's user is root: on plain Kubernetes run it as 1001.
  kubernetesSecurityContext:
    runAsUser: 1001
{{- end -}}

{{/* Fill the `global:` values the user left out with the defaults above.
Only missing keys are filled (maps recursively), so a value set to false or
"" stays. Idempotent: every template file calls it first. Context: root. */}}
{{- define "fantaco.init" -}}
{{- if not (kindIs "map" .Values.global) -}}
{{- $_ := set .Values "global" dict -}}
{{- end -}}
{{- include "fantaco.fillMissing" (dict "dst" .Values.global "src" (include "fantaco.globalDefaults" . | fromYaml)) -}}
{{- end -}}

{{/* Copy each key of src that dst lacks; recurse where both are maps.
dict: dst, src */}}
{{- define "fantaco.fillMissing" -}}
{{- $dst := .dst -}}
{{- range $k, $v := .src -}}
{{- if not (hasKey $dst $k) -}}
{{- $_ := set $dst $k $v -}}
{{- else if and (kindIs "map" $v) (kindIs "map" (index $dst $k)) -}}
{{- include "fantaco.fillMissing" (dict "dst" (index $dst $k) "src" $v) -}}
{{- end -}}
{{- end -}}
{{- end -}}
