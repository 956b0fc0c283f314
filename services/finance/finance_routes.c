/* finance_routes: /api/finance handlers: parse, validate, call the store, reply once (envelope). */
#include "finance_routes.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "finance_request.h"
#include "finance_store.h"
#include "problem.h"
#include "service.h"
#include "utf8.h"
#include "timefmt.h"

/*
 * The one piece of process state outside the database: the original
 * service's /api/finance/health reports how many health checks this process
 * has answered. It is per process by definition, hence not in a context.
 */
static atomic_ulong health_checks;

json_t *fin_error_body(int status, const char *message, json_t *errors)
{
    (void)status;
    (void)errors; /* the envelope has no field list: message says what is wrong */
    /* The original's key order (a Java HashMap's): data, success, message. */
    return json_pack("{s:n, s:b, s:s}", "data", "success", 0, "message", message);
}

/* Sends {"data":data,"success":true,"message":…} (the original's key order); data is stolen. */
static void reply_data(http_request *req, int status, const char *message, json_t *data)
{
    http_reply_json(req, status,
                    json_pack("{s:o, s:b, s:s}", "data", data, "success", 1, "message", message));
}

/* Sends the envelope of a list, keys as the original orders them: data, success, count,
 * message; rows is stolen. */
static void reply_list(http_request *req, const char *message, json_t *rows)
{
    json_int_t count = (json_int_t)json_array_size(rows);
    http_reply_json(req, 200, json_pack("{s:o, s:b, s:I, s:s}", "data", rows, "success", 1,
                                        "count", count, "message", message));
}

/* The one reply of a store call that lists: its error (rc, detail in err), or the rows (taken). */
static void reply_rows(http_request *req, int rc, const error_info *err, const char *message,
                       json_t *rows)
{
    if (rc != DB_OK)
        service_reply_db_error(req, rc, err);
    else
        reply_list(req, message, rows);
}

static void reply_bad_request(http_request *req, const char *message)
{
    http_reply_error(req, 400, message, NULL);
}

/* 400 with the first problem's message: the envelope has no list. problems stays the caller's. */
static void reply_invalid(http_request *req, const json_t *problems)
{
    reply_bad_request(req, problem_first_message(problems));
}

/* The 400 for an order the request may not use. */
static void reply_outcome(http_request *req, fin_outcome outcome, const fin_order_claim *r)
{
    char msg[192];
    switch (outcome) {
    case FIN_ORDER_NOT_FOUND:
        snprintf(msg, sizeof msg, "Order not found with ID: %lld", r->order_id);
        break;
    case FIN_ORDER_OTHER_CUSTOMER:
        snprintf(msg, sizeof msg, "Order does not belong to customer: %.*s",
                 utf8_prefix(r->customer_id, 100), r->customer_id);
        break;
    case FIN_DISPUTE_EXISTS:
        snprintf(msg, sizeof msg, "Duplicate charge dispute already exists for order: %lld",
                 r->order_id);
        break;
    case FIN_DONE: { /* not an outcome to refuse: the store returned no row, a bug */
        error_info err;
        service_reply_db_error(
            req, error_set(&err, DB_EQUERY, "the store reported success without a row"), &err);
        return;
    }
    }
    reply_bad_request(req, msg);
}

static void history(http_request *req, db *d, fin_history_kind kind)
{
    json_t *body = NULL, *problems = json_array(), *rows = NULL;
    fin_history_query q;
    if (http_request_json(req, &body) != 0)
        goto out;
    if (fin_request_history(body, &q, problems) != 0) {
        reply_invalid(req, problems);
        goto out;
    }
    error_info err;
    int rc = fin_store_history(d, kind, &q, &rows, &err);
    reply_rows(req, rc, &err,
               kind == FIN_HISTORY_ORDERS ? "Order history retrieved successfully"
                                          : "Invoice history retrieved successfully",
               rows);
out:
    json_decref(problems);
    json_decref(body);
}

static void order_history(http_request *req, void *ctx)
{
    history(req, ctx, FIN_HISTORY_ORDERS);
}

static void invoice_history(http_request *req, void *ctx)
{
    history(req, ctx, FIN_HISTORY_INVOICES);
}

/*
 * Reads the request body into *body and, through read, its order claim into *r (strings
 * borrowed from *body). Returns 0, or -1 once it has replied.
 */
static int read_claim(http_request *req, int (*read)(json_t *, fin_order_claim *, json_t *),
                      json_t **body, fin_order_claim *r)
{
    if (http_request_json(req, body) != 0)
        return -1;
    json_t *problems = json_array();
    int rc = read(*body, r, problems);
    if (rc != 0)
        reply_invalid(req, problems);
    json_decref(problems);
    return rc != 0 ? -1 : 0;
}

/* The one reply of a store call on an order claim: its error (rc, detail in err), the refusal,
 * or data (taken). */
static void reply_claim(http_request *req, int rc, const error_info *err, fin_outcome outcome,
                        const fin_order_claim *r, int status, const char *message, json_t *data)
{
    if (rc != DB_OK)
        service_reply_db_error(req, rc, err);
    else if (outcome != FIN_DONE || !data)
        reply_outcome(req, outcome, r);
    else
        reply_data(req, status, message, data);
}

static void start_dispute(http_request *req, void *ctx)
{
    json_t *body = NULL, *dispute = NULL;
    fin_order_claim r;
    fin_outcome outcome = FIN_DONE;
    if (read_claim(req, fin_request_dispute, &body, &r) != 0)
        goto out;
    error_info err;
    int rc = fin_store_start_dispute(ctx, &r, &outcome, &dispute, &err);
    reply_claim(req, rc, &err, outcome, &r, 201, "Duplicate charge dispute started successfully",
                dispute);
out:
    json_decref(body);
}

static void find_lost_receipt(http_request *req, void *ctx)
{
    json_t *body = NULL, *receipt = NULL;
    fin_order_claim r;
    fin_outcome outcome = FIN_DONE;
    bool created = false;
    if (read_claim(req, fin_request_order, &body, &r) != 0)
        goto out;
    error_info err;
    int rc = fin_store_find_lost_receipt(ctx, &r, &outcome, &created, &receipt, &err);
    reply_claim(req, rc, &err, outcome, &r, 200, "Lost receipt found/created successfully",
                receipt);
out:
    json_decref(body);
}

static void list_disputes(http_request *req, void *ctx)
{
    char *customer = NULL;
    json_t *problems = json_array(), *rows = NULL;
    if (fin_request_query(req, "customerId", &customer, problems) != 0 ||
        fin_request_customer_query(customer, problems) != 0) {
        reply_invalid(req, problems);
        goto out;
    }
    error_info err;
    int rc = fin_store_disputes(ctx, customer, &rows, &err);
    reply_rows(req, rc, &err, "Disputes retrieved successfully", rows);
out:
    json_decref(problems);
    free(customer);
}

static void list_receipts(http_request *req, void *ctx)
{
    char *customer = NULL, *status = NULL;
    json_t *problems = json_array(), *rows = NULL;
    if (fin_request_query(req, "customerId", &customer, problems) != 0 ||
        fin_request_query(req, "status", &status, problems) != 0 ||
        fin_request_customer_query(customer, problems) != 0 ||
        fin_request_receipt_status(status, problems) != 0) {
        reply_invalid(req, problems);
        goto out;
    }
    /* "status=" means any, like an absent one. */
    error_info err;
    int rc = fin_store_receipts(ctx, customer, status && *status ? status : NULL, &rows, &err);
    reply_rows(req, rc, &err, "Receipts retrieved successfully", rows);
out:
    json_decref(problems);
    free(customer);
    free(status);
}

static void finance_health(http_request *req, void *ctx)
{
    (void)ctx;
    char now[40];
    timefmt_local_iso(now, sizeof now);
    unsigned long count = atomic_fetch_add(&health_checks, 1) + 1;
    /* The original's key order (a Java HashMap's): service, count, status, timestamp. */
    http_reply_json(req, 200,
                    json_pack("{s:s, s:I, s:s, s:s}", "service", "Fantaco Finance API", "count",
                              (json_int_t)count, "status", "UP", "timestamp", now));
}

void fin_routes_register(http_server *srv, db *d)
{
    http_server_route(srv, "POST", "/api/finance/orders/history", order_history, d);
    http_server_route(srv, "POST", "/api/finance/invoices/history", invoice_history, d);
    http_server_route(srv, "POST", "/api/finance/disputes/duplicate-charge", start_dispute, d);
    http_server_route(srv, "POST", "/api/finance/receipts/find-lost", find_lost_receipt, d);
    http_server_route(srv, "GET", "/api/finance/disputes", list_disputes, d);
    http_server_route(srv, "GET", "/api/finance/receipts", list_receipts, d);
    http_server_route(srv, "GET", "/api/finance/health", finance_health, NULL);
}
