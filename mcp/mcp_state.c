/* mcp_state: HMAC-SHA256-sealed requestState for multi round-trip requests. */
#include "mcp_state.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "http_server.h"
#include "json_limit.h"
#include "xalloc.h"

#define MAC_HEX (2 * 32)

int mcp_state_init(mcp_state *st, const char *secret)
{
    st->ttl_ms = MCP_STATE_TTL_MS;
    if (secret && *secret) {
        if (strlen(secret) < MCP_STATE_KEY_LEN)
            return -1;
        /* A long passphrase is condensed to the key size by the MAC itself. */
        unsigned int n = 0;
        if (!HMAC(EVP_sha256(), "fantaco-mcp-request-state", 25, (const unsigned char *)secret,
                  strlen(secret), st->key, &n))
            return -1;
        return n == MCP_STATE_KEY_LEN ? 0 : -1;
    }
    size_t got = 0;
    while (got < sizeof st->key) {
        ssize_t n = getrandom(st->key + got, sizeof st->key - got, 0);
        if (n < 0) {
            fprintf(stderr, "fatal: getrandom failed\n");
            abort();
        }
        got += (size_t)n;
    }
    return 0;
}

static long long now_unix_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The MAC of text[0..len) as 64 lowercase hex digits and a NUL, into out. */
static void mac_hex(const mcp_state *st, const char *text, size_t len, char out[MAC_HEX + 1])
{
    unsigned char mac[32];
    unsigned int n = 0;
    if (!HMAC(EVP_sha256(), st->key, MCP_STATE_KEY_LEN, (const unsigned char *)text, len, mac,
              &n) ||
        n != sizeof mac) {
        /* never seal or accept with a MAC we did not compute */
        fprintf(stderr, "fatal: HMAC-SHA256 failed\n");
        abort();
    }
    for (unsigned int i = 0; i < sizeof mac; i++)
        snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

char *mcp_state_seal(const mcp_state *st, const char *method, const char *name,
                     const json_t *value)
{
    json_t *payload = json_pack("{s:s, s:s, s:I, s:O}", "m", method, "n", name ? name : "",
                                "exp", (json_int_t)(now_unix_ms() + st->ttl_ms), "d", value);
    char *rest = json_dumps(payload, HTTP_JSON_FLAGS);
    json_decref(payload);
    if (!rest) {
        fprintf(stderr, "fatal: out of memory sealing a request state\n");
        abort();
    }
    char mac[MAC_HEX + 1];
    mac_hex(st, rest, strlen(rest), mac);
    char *sealed = xasprintf("%s.%s", mac, rest);
    free(rest);
    return sealed;
}

static json_t *refuse(const char **why, const char *reason)
{
    *why = reason;
    return NULL;
}

json_t *mcp_state_open(const mcp_state *st, const char *text, size_t len, const char *method,
                       const char *name, const char **why)
{
    if (len <= MAC_HEX + 1 || text[MAC_HEX] != '.')
        return refuse(why, "requestState was not issued by this server");
    const char *rest = text + MAC_HEX + 1;
    size_t rest_len = len - MAC_HEX - 1;
    char mac[MAC_HEX + 1];
    mac_hex(st, rest, rest_len, mac);
    if (CRYPTO_memcmp(mac, text, MAC_HEX) != 0)
        return refuse(why, "requestState integrity check failed");
    json_t *payload = json_limit_parse(rest, rest_len, 0, NULL);
    json_t *value = NULL;
    json_int_t exp = 0;
    const char *m = NULL, *n = NULL;
    if (json_unpack(payload, "{s:s, s:s, s:I, s:o}", "m", &m, "n", &n, "exp", &exp, "d",
                    &value) != 0)
        value = refuse(why, "requestState integrity check failed");
    else if (strcmp(m, method) != 0 || strcmp(n, name ? name : "") != 0)
        value = refuse(why, "requestState belongs to another request");
    else if (exp < now_unix_ms())
        value = refuse(why, "requestState has expired; send the request again without it");
    else
        json_incref(value);
    json_decref(payload);
    return value;
}
