/* lab_routes: /find_orders and /find_invoices through the MCP servers (see lab_routes.h). */
#include "lab_routes.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent_ctx.h"
#include "log.h"
#include "mcp_client.h"
#include "upstream_reply.h"
#include "xalloc.h"

#define MAX_EMAIL 254
#define HISTORY_LIMIT 1000 /* the finance tools' maximum: every entry, as the original listed */

/* The fields of the original's pydantic models, in their order. */
static const char *const customer_fields[] = {"customerId", "companyName", "contactName",
                                              "contactEmail", NULL};
static const char *const order_fields[] = {"id",     "orderId",     "orderNumber", "orderDate",
                                           "status", "totalAmount", "freight",     NULL};
static const char *const invoice_fields[] = {
    "id",          "invoiceId", "invoiceNumber", "invoiceDate",   "status",
    "totalAmount", "amount",    "customerId",    "customerEmail", "contactName", NULL};

typedef struct {
    const char *tool;       /* the finance-mcp tool */
    const char *list_key;   /* "orders" / "invoices": the reply's list, the older result's key */
    const char *total_key;  /* "total_orders" / "total_invoices" */
    const char *const *fields;
    bool with_contact; /* invoices carry the customer's id, email and contact name */
} history_kind;

static const history_kind orders_kind = {"fetch_order_history", "orders", "total_orders",
                                         order_fields, false};
static const history_kind invoices_kind = {"fetch_invoice_history", "invoices", "total_invoices",
                                           invoice_fields, true};

/* Every field of src named in fields, null when absent (new ref). */
static json_t *project(const json_t *src, const char *const *fields)
{
    json_t *out = json_object();
    for (const char *const *f = fields; *f; f++) {
        json_t *v = json_object_get(src, *f);
        json_object_set_new(out, *f, v ? json_deep_copy(v) : json_null());
    }
    return out;
}

/* Sets key to value when the object has it null (the original kept the invoice's own value). */
static void fill_if_null(json_t *obj, const char *key, const json_t *value)
{
    if (json_is_null(json_object_get(obj, key)) && value)
        json_object_set(obj, key, (json_t *)value);
}

/* One '@' between a non-empty local part and a dotted domain, no spaces or controls. */
static bool email_valid(const char *e)
{
    const char *at = strchr(e, '@');
    if (!at || at == e || strchr(at + 1, '@') || strlen(e) > MAX_EMAIL)
        return false;
    const char *dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || dot[1] == '\0')
        return false;
    for (const char *p = e; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

void lab_reply_mcp_failure(http_request *req, const char *server, const char *setting, int rc)
{
    char *unreachable =
        xasprintf("The MCP server %s is not reachable. Check that it is running%s%s%s.", server,
                  setting ? " and that " : "", setting ? setting : "",
                  setting ? " points at it" : "");
    char *late = xasprintf("The MCP server %s did not answer in time.", server);
    char *failing = xasprintf("The MCP server %s could not answer", server);
    upstream_reply_failure(req, rc, unreachable, late, failing);
    free(failing);
    free(late);
    free(unreachable);
}

typedef struct {
    const char *server;  /* toolgroup name, for messages */
    const char *url;     /* configured URL, may be NULL or "" */
    const char *setting; /* the environment variable that sets url */
} mcp_target;

/* Calls one tool; *out is its result object (new ref), or -1 after replying. */
static int call_tool(http_request *req, agent_ctx *ctx, const mcp_target *t, const char *tool,
                     const json_t *args, json_t **out)
{
    *out = NULL;
    if (!t->url || !*t->url) {
        char msg[200];
        snprintf(msg, sizeof msg, "The MCP server %s is not configured: set %s.", t->server,
                 t->setting);
        http_reply_error(req, 503, msg, NULL);
        return -1;
    }
    mcpc_session s;
    error_info err;
    int rc = mcpc_open(&s, t->url, ctx->settings.upstream_timeout_ms, &err);
    if (rc == UPSTREAM_OK) {
        rc = mcpc_tool_call(&s, tool, args, out, &err);
        mcpc_close(&s);
    }
    if (rc == UPSTREAM_OK)
        return 0;
    log_msg(LOG_WARN, "request %s: %s: %s", http_request_id(req), t->server, err.text);
    lab_reply_mcp_failure(req, t->server, t->setting, rc);
    return -1;
}

/* The customer whose contactEmail is email (any case), else the first result (borrowed). */
static const json_t *pick_customer(const json_t *found, const char *email)
{
    const json_t *results = json_object_get(found, "results");
    size_t i;
    const json_t *c;
    json_array_foreach(results, i, c) {
        const char *e = json_string_value(json_object_get(c, "contactEmail"));
        if (e && strcasecmp(e, email) == 0)
            return c;
    }
    return json_array_get(results, 0);
}

/* The history's list: the envelope's "data", else the older key (borrowed, or NULL). */
static const json_t *history_items(const json_t *result, const char *key)
{
    const json_t *data = json_object_get(result, "data");
    return json_is_array(data) ? data : json_object_get(result, key);
}

/* The reply's list: each history entry in the original's fields (new ref; [] for NULL items). */
static json_t *entries_new(const json_t *items, const history_kind *k, const json_t *customer)
{
    json_t *list = json_array();
    size_t i;
    const json_t *item;
    json_array_foreach(items, i, item) {
        json_t *entry = project(item, k->fields);
        if (k->with_contact) {
            fill_if_null(entry, "customerId", json_object_get(customer, "customerId"));
            fill_if_null(entry, "customerEmail", json_object_get(customer, "contactEmail"));
            json_object_set(entry, "contactName", json_object_get(customer, "contactName"));
        }
        json_array_append_new(list, entry);
    }
    return list;
}

static void find_history(http_request *req, agent_ctx *ctx, const history_kind *k)
{
    char *email = NULL;
    json_t *found = NULL, *history = NULL, *customer = NULL, *list = NULL;
    const mcp_target customers = {"customer_mcp", ctx->settings.customer_mcp_url,
                                  "CUSTOMER_MCP_SERVER_URL"};
    const mcp_target finance = {"finance_mcp", ctx->settings.finance_mcp_url,
                                "FINANCE_MCP_SERVER_URL"};
    http_query_result q = http_request_query(req, "email", &email);
    if (q != HTTP_QUERY_FOUND || !email_valid(email)) {
        http_reply_error(req, 400,
                         q == HTTP_QUERY_ABSENT
                             ? "Query parameter email is required, e.g. ?email=fran@example.com"
                             : "email must be an email address, e.g. fran@example.com",
                         NULL);
        goto out;
    }
    json_t *search = json_pack("{s:s}", "contact_email", email);
    int rc = call_tool(req, ctx, &customers, "search_customers", search, &found);
    json_decref(search);
    if (rc != 0)
        goto out;
    const json_t *picked = pick_customer(found, email);
    const char *id = json_string_value(json_object_get(picked, "customerId"));
    if (id) {
        customer = project(picked, customer_fields);
        json_t *args = json_pack("{s:s, s:i}", "customer_id", id, "limit", HISTORY_LIMIT);
        rc = call_tool(req, ctx, &finance, k->tool, args, &history);
        json_decref(args);
        if (rc != 0)
            goto out;
    }
    const json_t *items = history_items(history, k->list_key);
    if (history && !json_is_array(items)) {
        log_msg(LOG_WARN, "request %s: MCP server %s: %s sent no %s list",
                http_request_id(req), finance.server, k->tool, k->list_key);
        lab_reply_mcp_failure(req, finance.server, finance.setting, UPSTREAM_EBADREPLY);
        goto out;
    }
    list = entries_new(items, k, customer);
    http_reply_json(req, 200,
                    json_pack("{s:O?, s:O, s:I}", "customer", customer, k->list_key, list,
                              k->total_key, (json_int_t)json_array_size(list)));
out:
    json_decref(customer);
    json_decref(list);
    json_decref(history);
    json_decref(found);
    free(email);
}

static void find_orders(http_request *req, void *ctx)
{
    find_history(req, ctx, &orders_kind);
}

static void find_invoices(http_request *req, void *ctx)
{
    find_history(req, ctx, &invoices_kind);
}

void lab_routes_register(http_server *srv, void *ctx)
{
    http_server_route(srv, "GET", "/find_orders", find_orders, ctx);
    http_server_route(srv, "GET", "/find_invoices", find_invoices, ctx);
}
