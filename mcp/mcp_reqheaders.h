/*
 * mcp_reqheaders: the request metadata headers of Streamable HTTP in the
 * 2026-07-28 revision. MCP-Protocol-Version, Mcp-Method and Mcp-Name mirror
 * body fields so that intermediaries can route without parsing JSON; a
 * server that reads the body must refuse a request whose headers are
 * missing, malformed or differ from the body (HeaderMismatch, -32020, HTTP
 * 400), or a proxy and this server could act on different requests.
 *
 * Values are compared without the whitespace around them (RFC 9110 5.5),
 * case-sensitively. Mcp-Name may carry its value as "=?base64?<base64 of
 * UTF-8>?=" (for names that are not plain header-safe ASCII); it is decoded
 * before comparing.
 */
#ifndef FANTACO_MCP_REQHEADERS_H
#define FANTACO_MCP_REQHEADERS_H

#include <stddef.h>

/* The three headers as received (NULL when absent); transport-independent. */
typedef struct {
    const char *protocol_version; /* MCP-Protocol-Version */
    const char *method;           /* Mcp-Method */
    const char *name;             /* Mcp-Name */
} mcp_reqheaders;

/*
 * Checks h against the body's values: version (the _meta protocol version),
 * method, and name (params.name or params.uri, NULL when the method has no
 * Mcp-Name; name_len bytes, which may include NUL). Returns 0, or -1 with
 * msg holding one sentence for the HeaderMismatch error.
 */
int mcp_reqheaders_check(const mcp_reqheaders *h, const char *version, const char *method,
                         const char *name, size_t name_len, char *msg, size_t msglen);

/* The params field Mcp-Name mirrors for method ("name" or "uri"), or NULL when it has none. */
const char *mcp_reqheaders_name_field(const char *method);

#endif
