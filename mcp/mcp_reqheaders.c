/* mcp_reqheaders: MCP-Protocol-Version, Mcp-Method and Mcp-Name checked against the body. */
#include "mcp_reqheaders.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

#define SENTINEL_HEAD "=?base64?"
#define SENTINEL_TAIL "?="

/* RFC 9110 field value: visible ASCII, space and tab only (no CR, LF, NUL or bytes >= 0x80). */
static bool header_safe(const char *v)
{
    for (const unsigned char *c = (const unsigned char *)v; *c; c++)
        if (!(*c == '\t' || (*c >= 0x20 && *c <= 0x7e)))
            return false;
    return true;
}

static int b64_value(char c)
{
    const char *digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(digits, c) : NULL;
    return p ? (int)(p - digits) : -1;
}

/*
 * Decodes standard base64 (RFC 4648 section 4, padding optional) of in[0..n)
 * into a new buffer (*out, caller frees; *out_len bytes). Returns -1 for
 * anything else, so a mangled header is a mismatch, never a guess.
 */
static int b64_decode(const char *in, size_t n, char **out, size_t *out_len)
{
    while (n > 0 && in[n - 1] == '=' && n % 4 != 1)
        n--;
    if (n % 4 == 1)
        return -1;
    char *buf = xmalloc(n / 4 * 3 + 3);
    size_t len = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value(in[i]);
        if (v < 0) {
            free(buf);
            return -1;
        }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[len++] = (char)((acc >> bits) & 0xff);
        }
    }
    *out = buf;
    *out_len = len;
    return 0;
}

/* The field value without the optional whitespace around it (RFC 9110 5.5): start and *len. */
static const char *trimmed(const char *v, size_t *len)
{
    size_t n = strlen(v);
    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    *len = n;
    return v;
}

/* True when header value h equals body[0..body_len) once trimmed (and decoded, in sentinel form). */
static bool value_matches(const char *h, const char *body, size_t body_len, bool sentinel_ok)
{
    size_t n, head = strlen(SENTINEL_HEAD), tail = strlen(SENTINEL_TAIL);
    h = trimmed(h, &n);
    if (!sentinel_ok || n < head + tail || strncmp(h, SENTINEL_HEAD, head) != 0 ||
        strncmp(h + n - tail, SENTINEL_TAIL, tail) != 0)
        return n == body_len && memcmp(h, body, n) == 0;
    char *decoded = NULL;
    size_t len = 0;
    bool same = b64_decode(h + head, n - head - tail, &decoded, &len) == 0 && len == body_len &&
                memcmp(decoded, body, len) == 0;
    free(decoded);
    return same;
}

/* Writes "Header mismatch: <header> ..." into msg; the body value is quoted only when printable. */
static int mismatch(char *msg, size_t msglen, const char *header, const char *problem,
                    const char *body_value)
{
    bool quotable = body_value && strlen(body_value) <= 80 && header_safe(body_value) &&
                    utf8_valid(body_value, strlen(body_value));
    snprintf(msg, msglen, "Header mismatch: %s %s%s%s%s", header, problem,
             quotable ? " (body value '" : "", quotable ? body_value : "", quotable ? "')" : "");
    return -1;
}

static int check_one(const char *header, const char *value, const char *body_value, char *msg,
                     size_t msglen)
{
    size_t n = 0;
    if (!value || (trimmed(value, &n), n == 0))
        return mismatch(msg, msglen, header, "header is missing", body_value);
    if (!header_safe(value))
        return mismatch(msg, msglen, header, "header holds characters a header must not hold",
                        NULL);
    return 0;
}

int mcp_reqheaders_check(const mcp_reqheaders *h, const char *version, const char *method,
                         const char *name, size_t name_len, char *msg, size_t msglen)
{
    if (check_one("MCP-Protocol-Version", h->protocol_version, version, msg, msglen) != 0)
        return -1;
    if (!value_matches(h->protocol_version, version, strlen(version), false))
        return mismatch(msg, msglen, "MCP-Protocol-Version",
                        "does not match _meta io.modelcontextprotocol/protocolVersion", version);
    if (check_one("Mcp-Method", h->method, method, msg, msglen) != 0)
        return -1;
    if (!value_matches(h->method, method, strlen(method), false))
        return mismatch(msg, msglen, "Mcp-Method", "does not match the body's method", method);
    if (!mcp_reqheaders_name_field(method))
        return 0;
    const char *field = strcmp(mcp_reqheaders_name_field(method), "uri") == 0 ? "params.uri"
                                                                               : "params.name";
    if (check_one("Mcp-Name", h->name, NULL, msg, msglen) != 0)
        return -1;
    if (!name || !value_matches(h->name, name, name_len, true)) {
        char problem[64];
        snprintf(problem, sizeof problem, "does not match the body's %s", field);
        return mismatch(msg, msglen, "Mcp-Name", problem, NULL);
    }
    return 0;
}

const char *mcp_reqheaders_name_field(const char *method)
{
    if (strcmp(method, "tools/call") == 0 || strcmp(method, "prompts/get") == 0)
        return "name";
    if (strcmp(method, "resources/read") == 0)
        return "uri";
    return NULL;
}
