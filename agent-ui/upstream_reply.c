/* upstream_reply: a failed upstream call as agent-ui's own reply (upstream_reply.h). */
#include "upstream_reply.h"

#include <stdlib.h>

#include "xalloc.h"

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
    if (code == UPSTREAM_EUNREACHABLE || code == UPSTREAM_ETIMEDOUT) {
        http_reply_error(req, upstream_http_status(code),
                         code == UPSTREAM_EUNREACHABLE ? unreachable : late, NULL);
        return;
    }
    char *msg = xasprintf("%s (%s; request id %s, the agent-ui log has the details).", failing,
                          upstream_strerror(code), http_request_id(req));
    http_reply_error(req, upstream_http_status(code), msg, NULL);
    free(msg);
}
