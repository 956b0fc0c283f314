/* http_host: the Host allow-list (see http_host.h). */
#include "http_host.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

struct http_host_list {
    bool any;
    char **names; /* owned; "*.suffix" kept as written */
    size_t count;
};

/* Longest name kept: DNS names have at most 253 characters. */
#define HOST_NAME_MAX_LEN 253

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_';
}

static bool is_name(const char *s, size_t n)
{
    if (n == 0 || n > HOST_NAME_MAX_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_name_char(s[i]))
            return false;
    return true;
}

/* True when s[0..n) is an IPv4 address, or an IPv6 one (without brackets). */
static bool is_ip_literal(const char *s, size_t n)
{
    char buf[64];
    unsigned char addr[16];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return inet_pton(AF_INET, buf, addr) == 1 || inet_pton(AF_INET6, buf, addr) == 1;
}

/*
 * Splits a Host header value into its host part (brackets of an IPv6
 * literal removed) and checks the optional ":port" is all digits. RFC 9110
 * Host syntax is uri-host [":" port]; anything else is refused outright.
 */
static bool host_part(const char *value, const char **host, size_t *len)
{
    const char *port;
    if (value[0] == '[') {
        const char *end = strchr(value, ']');
        if (!end)
            return false;
        *host = value + 1;
        *len = (size_t)(end - value - 1);
        if (!is_ip_literal(*host, *len))
            return false;
        port = end + 1;
    } else {
        *host = value;
        *len = strcspn(value, ":");
        port = value + *len;
        if (!is_name(*host, *len))
            return false;
    }
    if (*port == '\0')
        return true;
    if (*port != ':')
        return false;
    port++;
    return strlen(port) <= 5 && strspn(port, "0123456789") == strlen(port);
}

/* True when name[0..n) equals pattern or, for "*.suffix", ends in ".suffix" after a label. */
static bool name_matches(const char *name, size_t n, const char *pattern)
{
    if (pattern[0] == '*') {
        size_t sn = strlen(pattern + 1); /* ".suffix" */
        return n > sn && strncasecmp(name + n - sn, pattern + 1, sn) == 0;
    }
    return strlen(pattern) == n && strncasecmp(name, pattern, n) == 0;
}

static void add_name(http_host_list *l, const char *s, size_t n)
{
    l->names = xrealloc(l->names, (l->count + 1) * sizeof *l->names);
    char *copy = xmalloc(n + 1);
    memcpy(copy, s, n);
    copy[n] = '\0';
    l->names[l->count++] = copy;
}

/* Adds one entry of ALLOWED_HOSTS; -1 when it is neither "*", "*.name", a name nor an address. */
static int add_entry(http_host_list *l, const char *s, size_t n)
{
    if (n == 1 && s[0] == '*') {
        l->any = true;
        return 0;
    }
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') { /* "[::1]" as written in URLs */
        s++;
        n -= 2;
    }
    if (n > 2 && s[0] == '*' && s[1] == '.' && is_name(s + 2, n - 2) && s[2] != '.') {
        add_name(l, s, n); /* kept as "*.suffix": see name_matches */
        return 0;
    }
    if (is_name(s, n) || is_ip_literal(s, n)) {
        add_name(l, s, n);
        return 0;
    }
    return -1;
}

http_host_list *http_host_list_new(const char *listen_host, const char *allowed,
                                   const char **bad, size_t *bad_len)
{
    http_host_list *l = xcalloc(1, sizeof *l);
    add_name(l, "localhost", 9);
    add_name(l, "*.localhost", 11);
    /* A wildcard listen address names no host; a specific one is a name clients use. */
    if (listen_host && is_name(listen_host, strlen(listen_host)))
        add_name(l, listen_host, strlen(listen_host));
    for (const char *p = allowed; p && *p;) {
        size_t n = strcspn(p, ",");
        const char *s = p;
        size_t len = n;
        while (len && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (len && add_entry(l, s, len) != 0) {
            *bad = s;
            *bad_len = len;
            http_host_list_free(l);
            return NULL;
        }
        p += n + (p[n] == ',');
    }
    return l;
}

bool http_host_list_allows(const http_host_list *l, const char *value)
{
    if (l->any)
        return true;
    const char *host;
    size_t n;
    if (!value || !host_part(value, &host, &n))
        return false;
    if (n > 1 && host[n - 1] == '.') /* "localhost." is the same name, fully qualified */
        n--;
    if (is_ip_literal(host, n))
        return true;
    for (size_t i = 0; i < l->count; i++)
        if (name_matches(host, n, l->names[i]))
            return true;
    return false;
}

void http_host_list_free(http_host_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++)
        free(l->names[i]);
    free(l->names);
    free(l);
}
