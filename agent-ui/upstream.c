/* upstream: the codes, phrases and HTTP statuses of agent-ui's upstream calls (upstream.h). */
#include "upstream.h"

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
