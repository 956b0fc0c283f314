{{/* Helpers of the app chart (databases + REST APIs). */}}

{{/* The database in front of each API, and the MCP server in front of it. */}}
{{- define "app.pairs" -}}
- {db: customerDb, api: customerApi, mcp: customerMcp}
- {db: financeDb, api: financeApi, mcp: financeMcp}
{{- end -}}

{{/* Flavor (rhel | postgres) of a database. dict: root, c */}}
{{- define "app.dbFlavor" -}}
{{- .c.flavor | default .root.Values.postgresql.flavor -}}
{{- end -}}

{{/* Name of the Secret holding a database's password. dict: root, key, c */}}
{{- define "app.dbSecretName" -}}
{{- .c.existingSecret | default (include "fantaco.name" .) -}}
{{- end -}}

{{/* Environment of an API: DATABASE_URL without password, PGPASSWORD from a
Secret, SEED. dict: root, key (API), c (API values), db (database key) */}}
{{- define "app.apiEnv" -}}
{{- $root := .root -}}
{{- $dbc := index $root.Values .db -}}
{{- $dbOn := and $root.Values.enabled $dbc.enabled -}}
{{- if .c.database.url }}
- name: DATABASE_URL
  value: {{ .c.database.url | quote }}
{{- else if $dbOn }}
{{- $dbctx := dict "root" $root "key" .db "c" $dbc }}
- name: DATABASE_URL
  value: {{ printf "postgresql://%s@%s:%v/%s" $dbc.user (include "fantaco.serviceName" $dbctx) (include "fantaco.port" $dbctx) $dbc.database | quote }}
{{- end }}
{{- if .c.database.existingSecret }}
- name: PGPASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .c.database.existingSecret }}
      key: {{ .c.database.passwordKey }}
{{- else if and $dbOn (not .c.database.url) }}
- name: PGPASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "app.dbSecretName" (dict "root" $root "key" .db "c" $dbc) }}
      key: database-password
{{- end }}
- name: SEED
  value: {{ .c.seed | toString | quote }}
{{- end -}}

{{/* NOTES text of this stage; also shown by the umbrella chart.
Context: a root-like dict (Values, Release, Capabilities, Chart). */}}
{{- define "app.notes" -}}
{{- include "fantaco.init" . -}}
{{- $root := . -}}
fantaco-app: databases and REST APIs
{{- range $p := include "app.pairs" . | fromYamlArray }}
{{- $db := index $root.Values $p.db }}
{{- $api := index $root.Values $p.api }}
{{- if $db.enabled }}
  {{ include "fantaco.name" (dict "root" $root "key" $p.db) }} (Service {{ include "fantaco.serviceName" (dict "root" $root "key" $p.db) }}, database {{ $db.database }}): PostgreSQL ({{ include "app.dbFlavor" (dict "root" $root "c" $db) }} image, persistence {{ ternary "on" "off" $db.persistence.enabled }}), password in Secret {{ include "app.dbSecretName" (dict "root" $root "key" $p.db "c" $db) }}
{{- end }}
{{- if $api.enabled }}
  {{ include "fantaco.name" (dict "root" $root "key" $p.api) }}: {{ include "fantaco.serviceUrl" (dict "root" $root "key" $p.api) }} in the namespace
{{- end }}
{{- end }}

Lab checks:
{{- if .Values.customerApi.enabled }}
{{ include "fantaco.notesExport" (dict "root" $root "key" "customerApi" "c" .Values.customerApi "var" "CUSTOMER_API_URL") | indent 2 }}
  curl -sS "$CUSTOMER_API_URL/actuator/health"
  curl -sS "$CUSTOMER_API_URL/api/customers?companyName=around"
  curl -sS "$CUSTOMER_API_URL/api/customers/AROUT"
{{- end }}
{{- if .Values.financeApi.enabled }}
{{ include "fantaco.notesExport" (dict "root" $root "key" "financeApi" "c" .Values.financeApi "var" "FINANCE_API_URL") | indent 2 }}
  curl -sS "$FINANCE_API_URL/api/finance/health"
  curl -sS -X POST "$FINANCE_API_URL/api/finance/orders/history" -H 'Content-Type: application/json' -d '{"customerId":"LONEP","limit":10}'
  curl -sS -X POST "$FINANCE_API_URL/api/finance/invoices/history" -H 'Content-Type: application/json' -d '{"customerId":"LONEP"}'
{{- end }}
{{- end -}}
