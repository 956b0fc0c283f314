/* upstream: the codes, phrases and HTTP statuses of agent-ui's upstream calls (upstream.h). */
#include "upstream.h"

#include <stdio.h>

#include "http_client.h"

const char *upstream_strerror(int status)
{
    switch (status) {
    case UPSTREAM_OK:
        return "ok";
    case UPSTREAM_ENOTCONFIGURED:
        return "LLAMA_STACK_BASE_URL is not set";
    case UPSTREAM_EUNREACHABLE:
        return "not reachable";
    case UPSTREAM_ETIMEDOUT:
        return "timed out";
    case UPSTREAM_ESTATUS:
        return "unexpected HTTP status";
    case UPSTREAM_ENOROUTE:
        return "route not available in this release";
    case UPSTREAM_EBADREPLY:
        return "malformed reply";
    case UPSTREAM_ECANCELLED:
        return "cancelled";
    case UPSTREAM_ERPC:
        return "JSON-RPC error";
    case UPSTREAM_ETOOL:
        return "the tool reported an error";
    default:
        return "failed";
    }
}

int upstream_from_transport(int http_rc)
{
    switch (http_rc) {
    case HTTP_CLIENT_ETIMEDOUT:
        return UPSTREAM_ETIMEDOUT;
    case HTTP_CLIENT_EABORTED:
        return UPSTREAM_ECANCELLED;
    case HTTP_CLIENT_ETOOBIG:
        return UPSTREAM_EBADREPLY;
    default: /* refused, DNS, reset, protocol errors */
        return UPSTREAM_EUNREACHABLE;
    }
}

int upstream_http_status(int status)
{
    switch (status) {
    case UPSTREAM_EUNREACHABLE:
        return 503;
    case UPSTREAM_ETIMEDOUT:
        return 504;
    default:
        return 502;
    }
}

void upstream_reply_failure(http_request *req, int status, const char *unreachable,
                            const char *late, const char *failing)
{
    char msg[600];
    if (status == UPSTREAM_EUNREACHABLE)
        snprintf(msg, sizeof msg, "%s", unreachable);
    else if (status == UPSTREAM_ETIMEDOUT)
        snprintf(msg, sizeof msg, "%s", late);
    else
        snprintf(msg, sizeof msg, "%s (%s; request id %s, the agent-ui log has the details).",
                 failing, upstream_strerror(status), http_request_id(req));
    http_reply_error(req, upstream_http_status(status), msg, NULL);
}
