/* customer_routes: /api/customers handlers — read the request, call the store, reply once. */
#include "customer_routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "customer_model.h"
#include "customer_request.h"
#include "customer_store.h"
#include "service.h"
#include "timefmt.h"
#include "url.h"
#include "utf8.h"
#include "xalloc.h"

json_t *cust_error_body(int status, const char *message, json_t *errors)
{
    char now[40];
    timefmt_local_iso(now, sizeof now);
    return json_pack("{s:s, s:i, s:s, s:s, s:O}", "timestamp", now, "status", status, "error",
                     http_status_reason(status), "message", message, "errors",
                     errors ? errors : json_null());
}

/* 400 with every problem found; problems stays the caller's. */
static void reply_invalid(http_request *req, json_t *problems)
{
    http_reply_error(req, 400, "Validation failed", json_incref(problems));
}

/* Link: <the same search, next page>; rel="next" (RFC 8288; a relative reference is fine),
 * unless that page's offset is past what a request may ask for. */
static void link_next_add(http_request *req, const cust_filter *f)
{
    char *query = cust_request_next_query_new(f);
    if (!query)
        return;
    char *link = xasprintf("</api/customers?%s>; rel=\"next\"", query);
    http_reply_header(req, "Link", link);
    free(link);
    free(query);
}

/* GET /api/customers: one page of the matches, in customerId order. */
static void search(http_request *req, void *ctx)
{
    json_t *problems = json_array(), *result = NULL;
    cust_filter f;
    error_info err;
    if (cust_request_filter(req, &f, problems) != 0) {
        reply_invalid(req, problems);
        goto out;
    }
    bool more = false;
    int rc = cust_store_search(ctx, &f, &result, &more, &err);
    if (rc != DB_OK) {
        service_reply_db_error(req, rc, &err);
        goto out;
    }
    if (more)
        link_next_add(req, &f);
    http_reply_json(req, 200, result);
out:
    json_decref(problems);
    cust_request_filter_cleanup(&f);
}

static void reply_not_found(http_request *req, const char *id)
{
    char msg[128];
    snprintf(msg, sizeof msg, "Customer with ID %.*s not found", utf8_prefix(id, 40), id);
    http_reply_error(req, 404, msg, NULL);
}

/* The one reply of a store call on customer id: its error (rc, detail in err), 404, or 200
 * with customer (taken). */
static void reply_customer(http_request *req, const char *id, int rc, const error_info *err,
                           json_t *customer)
{
    if (rc != DB_OK)
        service_reply_db_error(req, rc, err);
    else if (!customer)
        reply_not_found(req, id);
    else
        http_reply_json(req, 200, customer);
}

/* The database prints the customer (cust_store_get): no jansson tree to build and dump. */
static void get_one(http_request *req, void *ctx)
{
    const char *id = http_request_param(req, "customerId");
    char *customer = NULL;
    error_info err;
    int rc = cust_store_get(ctx, id, &customer, &err);
    if (rc != DB_OK)
        service_reply_db_error(req, rc, &err);
    else if (!customer)
        reply_not_found(req, id);
    else
        http_reply_raw(req, 200, "application/json", customer, strlen(customer));
    free(customer);
}

/*
 * Reads the request body into *body and checks it as a customer (with_id for a create) into
 * *v, whose strings are borrowed from *body. Returns 0, or -1 once it has replied.
 */
static int read_customer(http_request *req, bool with_id, json_t **body, cust_values *v)
{
    if (http_request_json(req, body) != 0)
        return -1;
    json_t *problems = json_array();
    int rc = cust_validate(*body, with_id, v, problems);
    if (rc != 0)
        reply_invalid(req, problems);
    json_decref(problems);
    return rc != 0 ? -1 : 0;
}

/* A Host header fit to echo: a host name, IPv4 or [IPv6] literal with an optional port. */
static bool host_usable(const char *host)
{
    size_t n = host ? strlen(host) : 0;
    return n > 0 && n <= 255 &&
           strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == n;
}

/*
 * The new customer's absolute URL, as Spring's ServletUriComponentsBuilder
 * builds it: the request's scheme (X-Forwarded-Proto from a TLS-terminating
 * router, as Spring Boot honours it on Kubernetes) and Host. Without a usable
 * Host the path alone: still a valid Location.
 */
static void location_format(http_request *req, const char *encoded_id, char *out, size_t len)
{
    const char *host = http_request_header(req, "Host");
    const char *proto = http_request_header(req, "X-Forwarded-Proto");
    const char *scheme = proto && strcmp(proto, "https") == 0 ? "https" : "http";
    if (host_usable(host))
        snprintf(out, len, "%s://%s/api/customers/%s", scheme, host, encoded_id);
    else
        snprintf(out, len, "/api/customers/%s", encoded_id);
}

static void create(http_request *req, void *ctx)
{
    json_t *body = NULL, *customer = NULL;
    cust_values v;
    error_info err;
    if (read_customer(req, true, &body, &v) != 0)
        goto out;
    int rc = cust_store_insert(ctx, &v, &customer, &err);
    if (rc == DB_OK && !customer)
        rc = error_set(&err, DB_EQUERY, "insert of customer %s returned no row", v.v[CUST_ID]);
    if (rc == DB_ECONSTRAINT) {
        char msg[96];
        snprintf(msg, sizeof msg, "Customer with ID %s already exists", v.v[CUST_ID]);
        http_reply_error(req, 409, msg, NULL);
    } else if (rc != DB_OK) {
        service_reply_db_error(req, rc, &err);
    } else {
        char location[400]; /* the id has 5 characters: at most 60 bytes encoded */
        char *id = url_segment_encode_new(v.v[CUST_ID]);
        location_format(req, id, location, sizeof location);
        free(id);
        http_reply_header(req, "Location", location);
        http_reply_json(req, 201, customer);
    }
out:
    json_decref(body);
}

static void update(http_request *req, void *ctx)
{
    const char *id = http_request_param(req, "customerId");
    json_t *body = NULL, *customer = NULL;
    cust_values v;
    error_info err;
    if (read_customer(req, false, &body, &v) != 0)
        goto out;
    int rc = cust_store_update(ctx, id, &v, &customer, &err);
    reply_customer(req, id, rc, &err, customer);
out:
    json_decref(body);
}

static void delete_one(http_request *req, void *ctx)
{
    const char *id = http_request_param(req, "customerId");
    bool deleted = false;
    error_info err;
    int rc = cust_store_delete(ctx, id, &deleted, &err);
    if (rc != DB_OK)
        service_reply_db_error(req, rc, &err);
    else if (!deleted)
        reply_not_found(req, id);
    else
        http_reply_empty(req, 204);
}

void cust_routes_register(http_server *srv, db *d)
{
    http_server_route(srv, "GET", "/api/customers", search, d);
    http_server_route(srv, "POST", "/api/customers", create, d);
    http_server_route(srv, "GET", "/api/customers/{customerId}", get_one, d);
    http_server_route(srv, "PUT", "/api/customers/{customerId}", update, d);
    http_server_route(srv, "DELETE", "/api/customers/{customerId}", delete_one, d);
}
