/*
 * http_host: the Host allow-list that keeps DNS-rebinding web pages out.
 *
 * A page on evil.example that re-points its name at 127.0.0.1 makes the
 * browser send "Host: evil.example" to our port; refusing names we do not
 * serve under stops it. Always allowed: "localhost" and "*.localhost"
 * (RFC 6761 keeps them on this machine) and any IP address literal (a
 * browser sends a literal only when the page itself came from that address,
 * so there is nothing to rebind). Added to these: the listen address when it
 * is a specific name, and the entries of ALLOWED_HOSTS: exact names,
 * "*.suffix" for any name ending in ".suffix", or "*" for any host (turns
 * the check off). Ports are ignored; names compare case-insensitively.
 */
#ifndef FANTACO_HTTP_HOST_H
#define FANTACO_HTTP_HOST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct http_host_list http_host_list;

/*
 * Builds the list from the listen address (may be NULL) and the comma list
 * `allowed` (may be NULL or empty). Returns NULL when an entry is not a host
 * name, an IP address or a "*." wildcard (a port, a path, a space): *bad
 * then points at that entry in `allowed`, and *bad_len is its length.
 */
http_host_list *http_host_list_new(const char *listen_host, const char *allowed,
                                   const char **bad, size_t *bad_len);

/* True when the value of a Host header (name or address, optional ":port") is allowed. */
bool http_host_list_allows(const http_host_list *list, const char *host_header);

void http_host_list_free(http_host_list *list);

#endif
