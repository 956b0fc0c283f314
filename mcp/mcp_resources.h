/*
 * mcp_resources: MCP resources (server/resources) declared as data, as
 * tools are: resources/list, resources/templates/list, resources/read, and
 * in the handshake era resources/subscribe and resources/unsubscribe.
 *
 * A resource has a fixed URI; a template has an RFC 6570 level-1 URI
 * template ("test://template/{id}/data") whose variables each match one
 * non-empty run of characters other than '/', '?' and '#'. resources/read
 * tries the fixed URIs first, then the templates in declaration order, and
 * hands the read function the URI and the template's variables.
 *
 * Errors: a missing or non-string uri -32602; an unknown URI -32602
 * "Resource not found" with data {"uri"} (SEP-2164; earlier revisions used
 * -32002, which clients still treat as "not found"); a failed read -32603.
 * Subscriptions are accepted for known URIs; declared resources are static
 * (their content changes only with a new binary), so no
 * notifications/resources/updated is ever owed.
 */
#ifndef FANTACO_MCP_RESOURCES_H
#define FANTACO_MCP_RESOURCES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "jsonrpc.h"

/*
 * Reads uri; vars (borrowed) holds a template's variables as strings ({}
 * for a fixed URI). Returns a new {"contents": [...]} with at least one
 * entry, or NULL with *error (caller frees) set.
 */
typedef json_t *(*mcp_resource_read_fn)(void *ctx, const char *uri, const json_t *vars,
                                        char **error);

typedef struct {
    const char *uri;          /* a fixed URI, or NULL for a template */
    const char *uri_template; /* RFC 6570 level 1, or NULL */
    const char *name;
    const char *title;
    const char *description;
    const char *mime_type;    /* or NULL */
    mcp_resource_read_fn read;
} mcp_resource_decl;

typedef struct {
    const mcp_resource_decl *items; /* borrowed: must outlive the server */
    size_t count;
} mcp_resources;

/* True when rs declares at least one fixed resource or template. */
bool mcp_resources_any(const mcp_resources *rs);
/* True when rs declares at least one template. */
bool mcp_resources_any_template(const mcp_resources *rs);

/*
 * Matches uri against template tmpl. Returns true with *vars (when not
 * NULL) a new object of the variables' values, or false (*vars untouched).
 */
bool mcp_uri_template_match(const char *tmpl, const char *uri, json_t **vars);

/* The template declared as uri_template, or NULL (completion's ref/resource). */
const mcp_resource_decl *mcp_resources_find_template(const mcp_resources *rs,
                                                     const char *uri_template);

/* The replies (new references) to request m: results or JSON-RPC errors. */
json_t *mcp_resources_list(const mcp_resources *rs, const jsonrpc_message *m);
json_t *mcp_resources_templates_list(const mcp_resources *rs, const jsonrpc_message *m);
json_t *mcp_resources_read(const mcp_resources *rs, const jsonrpc_message *m, void *ctx);
json_t *mcp_resources_subscribe(const mcp_resources *rs, const jsonrpc_message *m);

#endif
