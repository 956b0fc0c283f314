/* upstream_reply: a failed upstream call as agent-ui's own reply (upstream_reply.h). */
#include "upstream_reply.h"

#include <stdio.h>

int upstream_http_status(int code)
{
    switch (code) {
    case UPSTREAM_EUNREACHABLE:
        return 503;
    case UPSTREAM_ETIMEDOUT:
        return 504;
    default:
        return 502;
    }
}

void upstream_reply_failure(http_request *req, int code, const char *unreachable,
                            const char *late, const char *failing)
{
    char msg[600];
    if (code == UPSTREAM_EUNREACHABLE)
        snprintf(msg, sizeof msg, "%s", unreachable);
    else if (code == UPSTREAM_ETIMEDOUT)
        snprintf(msg, sizeof msg, "%s", late);
    else
        snprintf(msg, sizeof msg, "%s (%s; request id %s, the agent-ui log has the details).",
                 failing, upstream_strerror(code), http_request_id(req));
    http_reply_error(req, upstream_http_status(code), msg, NULL);
}
