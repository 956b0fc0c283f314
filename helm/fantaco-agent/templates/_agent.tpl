{{/* Helpers of the agent chart (agent-ui). */}}


{{/* Secret holding LLAMA_STACK_API_KEY; empty: none. */}}
{{- define "agent.apiKeySecretName" -}}
{{- if .Values.llamaStack.existingSecret -}}
{{- .Values.llamaStack.existingSecret -}}
{{- else if .Values.llamaStack.apiKey -}}
{{- include "fantaco.name" (dict "root" . "key" "agentUi") -}}
{{- end -}}
{{- end -}}

{{/* URL of an MCP server as given to Llama Stack. dict: root, key, url */}}
{{- define "agent.mcpUrl" -}}
{{- .url | default (printf "%s%s" (include "fantaco.serviceFqdnUrl" .) (index .root.Values.global.services .key).path) -}}
{{- end -}}

{{- define "agent.notes" -}}
{{- include "fantaco.init" . -}}
fantaco-agent: agent-ui, the chat and the agent back end
  {{ include "fantaco.name" (dict "root" . "key" "agentUi") }}: {{ include "fantaco.serviceUrl" (dict "root" . "key" "agentUi") }} in the namespace
{{- if .Values.backend.enabled }}
  {{ include "fantaco.serviceName" (dict "root" . "key" "agentApi") }}: {{ include "fantaco.serviceUrl" (dict "root" . "key" "agentApi") }} (the same pods: GET /question, /find_orders, /find_invoices)
{{- end }}
  Llama Stack:  {{ .Values.llamaStack.url }}{{ with .Values.llamaStack.model }} (model {{ . }}){{ end }}
  MCP servers as Llama Stack reaches them:
    customer_mcp  {{ include "agent.mcpUrl" (dict "root" . "key" "customerMcp" "url" .Values.mcpServers.customerUrl) }}
    finance_mcp   {{ include "agent.mcpUrl" (dict "root" . "key" "financeMcp" "url" .Values.mcpServers.financeUrl) }}

Lab checks:
{{ include "fantaco.notesExport" (dict "root" . "key" "agentUi" "c" .Values "var" "AGENT_URL") | indent 2 }}
  curl -sS "$AGENT_URL/api/status"
  curl -sS "$AGENT_URL/api/models"
  echo "Chat in the browser: $AGENT_URL"
{{- if .Values.backend.enabled }}
{{ include "fantaco.notesExport" (dict "root" . "key" "agentApi" "c" .Values.backend "var" "AGENT_API_URL") | indent 2 }}
  curl -sS "$AGENT_API_URL/find_orders?email=franwilson@example.com"
{{- end }}
{{- end -}}
