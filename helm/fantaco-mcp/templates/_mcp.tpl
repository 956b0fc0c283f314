{{/* Helpers of the mcp chart (the two MCP servers). */}}

{{/* Each MCP server, its REST backend and the tools helm test expects. */}}
{{- define "mcp.servers" -}}
- key: customerMcp
  api: customerApi
  apiEnv: CUSTOMER_API_BASE_URL
  tools: [search_customers, get_customer]
- key: financeMcp
  api: financeApi
  apiEnv: FINANCE_API_BASE_URL
  tools: [fetch_order_history, fetch_invoice_history, start_duplicate_charge_dispute, find_lost_receipt]
{{- end -}}

{{/* Secret (name, key) with a server's bearer token; empty name: none.
dict: root, key, c */}}
{{- define "mcp.authSecretName" -}}
{{- if .c.existingAuthSecret -}}
{{- .c.existingAuthSecret -}}
{{- else if .c.authToken -}}
{{- printf "%s-auth" (include "fantaco.name" .) -}}
{{- end -}}
{{- end -}}

{{- define "mcp.authSecretKey" -}}
{{- if .c.existingAuthSecret -}}{{ .c.existingAuthSecretKey }}{{- else -}}token{{- end -}}
{{- end -}}

{{/* MCP_AUTH_TOKEN env entry, when a token is configured. dict: root, key, c */}}
{{- define "mcp.authEnv" -}}
{{- $secret := include "mcp.authSecretName" . -}}
{{- if $secret }}
- name: MCP_AUTH_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ include "mcp.authSecretKey" . }}
{{- end }}
{{- end -}}

{{/* Streamable HTTP endpoint of a server inside the namespace. dict: root, key */}}
{{- define "mcp.endpoint" -}}
{{- printf "%s%s" (include "fantaco.serviceUrl" .) (index .root.Values.global.services .key).path -}}
{{- end -}}

{{/* NOTES text of this stage; also shown by the umbrella chart. */}}
{{- define "mcp.notes" -}}
{{- include "fantaco.init" . -}}
{{- $root := . -}}
fantaco-mcp: MCP servers (Streamable HTTP)
{{- range $s := include "mcp.servers" . | fromYamlArray }}
{{- $c := index $root.Values $s.key }}
{{- if $c.enabled }}
  {{ include "fantaco.name" (dict "root" $root "key" $s.key) }}: {{ include "mcp.endpoint" (dict "root" $root "key" $s.key) }} -> {{ $c.apiBaseUrl | default (include "fantaco.serviceUrl" (dict "root" $root "key" $s.api)) }}{{ if include "mcp.authSecretName" (dict "root" $root "key" $s.key "c" $c) }} (bearer token required){{ end }}
{{- end }}
{{- end }}

Lab checks (initialize, then list the tools):
{{- range $s := include "mcp.servers" . | fromYamlArray }}
{{- $c := index $root.Values $s.key }}
{{- if $c.enabled }}
{{- $var := ternary "CUSTOMER_MCP_URL" "FINANCE_MCP_URL" (eq $s.key "customerMcp") }}
{{- $path := (index $root.Values.global.services $s.key).path }}
{{ include "fantaco.notesExport" (dict "root" $root "key" $s.key "c" $c "var" $var) | indent 2 }}
  curl -sS "${{ $var }}/health"
  curl -sS -D - -X POST "${{ $var }}{{ $path }}" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"lab","version":"1"}}}'
  # then, with the Mcp-Session-Id header printed above:
  curl -sS -X POST "${{ $var }}{{ $path }}" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -H "Mcp-Session-Id: <id>" -d '{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
{{- end }}
{{- end }}
{{- end -}}
