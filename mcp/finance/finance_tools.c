/* finance_tools: finance-mcp's tools, each one REST call on finance-api. */
#include "finance_tools.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mcp_backend.h"
#include "mcp_tool.h"
#include "xalloc.h"

/* JSON inside MCP_JSON must stay as written: clang-format would split its strings. */
/* clang-format off */
#define TEXT {"type": "string"}
#define NULLABLE_TEXT {"type": ["string", "null"]}
#define NULLABLE_INT {"type": ["integer", "null"]}
#define ID {"type": "integer"}
#define MONEY {"type": "number"}

#define ORDER_SCHEMA                                                                        \
    {"type": "object",                                                                      \
     "properties": {"id": ID, "orderNumber": TEXT, "customerId": TEXT, "totalAmount": MONEY, \
                    "status": TEXT, "orderDate": TEXT, "createdAt": NULLABLE_TEXT,          \
                    "updatedAt": NULLABLE_TEXT},                                            \
     "required": ["id", "orderNumber", "customerId", "totalAmount", "status", "orderDate"]}
#define INVOICE_SCHEMA                                                                      \
    {"type": "object",                                                                      \
     "properties": {"id": ID, "invoiceNumber": TEXT, "orderId": NULLABLE_INT,               \
                    "customerId": TEXT, "amount": MONEY, "status": TEXT,                    \
                    "invoiceDate": TEXT, "dueDate": NULLABLE_TEXT, "paidDate": NULLABLE_TEXT, \
                    "createdAt": NULLABLE_TEXT, "updatedAt": NULLABLE_TEXT},                \
     "required": ["id", "invoiceNumber", "customerId", "amount", "status", "invoiceDate"]}
#define DISPUTE_SCHEMA                                                                      \
    {"type": "object",                                                                      \
     "properties": {"id": ID, "disputeNumber": TEXT, "orderId": ID, "customerId": TEXT,     \
                    "disputeType": TEXT, "status": TEXT, "description": NULLABLE_TEXT,      \
                    "reason": NULLABLE_TEXT, "disputeDate": NULLABLE_TEXT,                  \
                    "resolvedDate": NULLABLE_TEXT, "createdAt": NULLABLE_TEXT,              \
                    "updatedAt": NULLABLE_TEXT},                                            \
     "required": ["id", "disputeNumber", "orderId", "customerId", "disputeType", "status"]}
#define RECEIPT_SCHEMA                                                                      \
    {"type": "object",                                                                      \
     "properties": {"id": ID, "receiptNumber": TEXT, "orderId": ID, "customerId": TEXT,     \
                    "status": TEXT, "filePath": NULLABLE_TEXT, "fileName": NULLABLE_TEXT,   \
                    "fileSize": NULLABLE_INT, "mimeType": NULLABLE_TEXT,                    \
                    "receiptDate": NULLABLE_TEXT, "createdAt": NULLABLE_TEXT,               \
                    "updatedAt": NULLABLE_TEXT},                                            \
     "required": ["id", "receiptNumber", "orderId", "customerId", "status"]}

#define CUSTOMER_ID_ARG                                                                     \
    {"type": "string", "minLength": 1,                                                      \
     "description": "The customer's id, usually 5 upper-case letters such as \"AROUT\" (search_customers finds it by name or email)."}
#define ORDER_ID_ARG                                                                        \
    {"type": ["integer", "string"], "minimum": 1, "pattern": "^[0-9]+$",                    \
     "description": "The numeric order id from fetch_order_history, as a number or a string of digits (e.g. 3 or \"3\"), not the order number \"ORD-003\"."}
/* A calendar date, optionally with a time and a zone (Z or an offset), as models write it. */
#define DATE_ARG(WHICH)                                                                     \
    {"type": ["string", "null"],                                                            \
     "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?)?$", \
     "description": WHICH}
#define HISTORY_INPUT                                                                       \
    {"type": "object",                                                                      \
     "properties": {                                                                        \
         "customer_id": CUSTOMER_ID_ARG,                                                    \
         "start_date": DATE_ARG("On or after this day or time: 2024-01-01, 2024-01-01T00:00:00, 2024-01-01T00:00:00Z or 2024-01-01T00:00:00+02:00 (a zone is dropped: the finance records hold local times); null or absent for no lower bound."), \
         "end_date": DATE_ARG("On or before this day (all of it) or time: 2024-01-31, 2024-01-31T23:59:59, with Z or an offset such as +02:00 (a zone is dropped: the finance records hold local times); null or absent for no upper bound."), \
         "limit": {"type": ["integer", "string", "null"], "minimum": 1, "maximum": 1000,    \
                   "pattern": "^[0-9]+$", "default": 50,                                    \
                   "description": "At most this many entries, newest first: a whole number from 1 to 1000, as a number or a string of digits (e.g. 10 or \"10\"); null or absent for 50."}}, \
     "required": ["customer_id"]}
/* The finance REST envelope, passed on unchanged (the lab's scripts read data). */
#define ENVELOPE_SCHEMA(ROW)                                                                \
    {"type": "object",                                                                      \
     "properties": {"data": {"type": "array", "items": ROW}, "success": {"type": "boolean"}, \
                    "count": {"type": "integer"}, "message": {"type": "string"}},           \
     "required": ["data", "success", "count", "message"]}

/* clang-format on */
#define CUSTOMER_ID_HINT                                                                    \
    "A customer id is usually 5 upper-case letters such as AROUT; search_customers finds it."
#define UNEXPECTED_REPLY "The finance service sent an unexpected reply."
/* A write tool's request was accepted (2xx) before its reply turned out unusable. */
#define UNEXPECTED_WRITE_REPLY                                                              \
    "The finance service sent an unexpected reply; the action may have been carried out: "  \
    "do not repeat it."

/*
 * POSTs body (stolen) to path; the whole reply when it is an object, else NULL
 * with *error (which says not to repeat a request that writes).
 */
static json_t *post_for_reply(void *ctx, const char *path, json_t *body, bool writes,
                              char **error)
{
    json_t *reply = NULL;
    error_info err;
    int rc = mcp_backend_call(ctx, "POST", path, body, &reply, error, &err);
    json_decref(body);
    if (rc != MCP_BACKEND_OK) {
        mcp_backend_log_failure(&err);
        if (rc == MCP_BACKEND_EREJECTED)
            mcp_backend_hint(error, CUSTOMER_ID_HINT);
        return NULL;
    }
    if (!json_is_object(reply)) {
        json_decref(reply);
        *error = xstrdup(writes ? UNEXPECTED_WRITE_REPLY : UNEXPECTED_REPLY);
        return NULL;
    }
    return reply;
}

/*
 * The date argument name as finance-api reads it: "2024-01-01T10:00:00+02:00"
 * and "…Z" lose their zone, since the records hold zone-less local times and
 * a model that writes a zone means the wall-clock time it wrote. NULL when
 * absent or null; the schema's pattern has checked the form.
 */
static json_t *date_value(const json_t *args, const char *name)
{
    const char *s = mcp_arg_string(args, name);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (n > 10)
        n = 11 + strcspn(s + 11, "Z+-");
    return json_stringn(s, n);
}

/* The history request body shared by orders and invoices, or NULL with *error. */
static json_t *history_body(const json_t *args, char **error)
{
    json_int_t limit;
    if (mcp_arg_whole(args, "limit", 1, 1000, 50, &limit, error) != 0)
        return NULL;
    json_t *body = json_pack("{s:s, s:I}", "customerId", mcp_arg_string(args, "customer_id"),
                             "limit", limit);
    json_t *start = date_value(args, "start_date"), *end = date_value(args, "end_date");
    if (start)
        json_object_set_new(body, "startDate", start);
    if (end)
        json_object_set_new(body, "endDate", end);
    return body;
}

/*
 * The envelope's members in the order the lab's scripts and the original
 * service have them (data, success, count, message), then any others, values
 * unchanged: the same whichever order finance-api writes them in.
 */
static json_t *envelope_ordered(json_t *reply)
{
    static const char *const first[] = {"data", "success", "count", "message"};
    json_t *out = json_object();
    for (size_t i = 0; i < sizeof first / sizeof *first; i++) {
        json_t *v = json_object_get(reply, first[i]);
        if (v)
            json_object_set(out, first[i], v);
    }
    json_object_update_missing(out, reply);
    return out;
}

/* The finance envelope of a history endpoint, unchanged: {data, success, count, message}. */
static json_t *history(void *ctx, const json_t *args, const char *path, char **error)
{
    json_t *body = history_body(args, error);
    json_t *reply = body ? post_for_reply(ctx, path, body, false, error) : NULL;
    json_t *envelope = NULL;
    if (reply && json_is_array(json_object_get(reply, "data")))
        envelope = envelope_ordered(reply);
    else if (reply)
        *error = xstrdup(UNEXPECTED_REPLY);
    json_decref(reply);
    return envelope;
}

static json_t *fetch_order_history(void *ctx, const json_t *args, char **error)
{
    return history(ctx, args, "/api/finance/orders/history", error);
}

static json_t *fetch_invoice_history(void *ctx, const json_t *args, char **error)
{
    return history(ctx, args, "/api/finance/invoices/history", error);
}

/* The envelope's data when it is an object (a dispute, a receipt). */
static json_t *object_data(void *ctx, const char *path, json_t *body, char **error)
{
    json_t *reply = post_for_reply(ctx, path, body, true, error);
    json_t *data = json_incref(json_object_get(reply, "data"));
    json_decref(reply);
    if (reply && !json_is_object(data)) {
        json_decref(data);
        data = NULL;
        *error = xstrdup(UNEXPECTED_WRITE_REPLY);
    }
    return data;
}

/* {"customerId", "orderId"} of a write tool, or NULL with *error. */
static json_t *order_body(const json_t *args, char **error)
{
    json_int_t order_id;
    if (mcp_arg_whole(args, "order_id", 1, (json_int_t)1 << 53, 0, &order_id, error) != 0)
        return NULL;
    return json_pack("{s:s, s:I}", "customerId", mcp_arg_string(args, "customer_id"), "orderId",
                     order_id);
}

static json_t *start_duplicate_charge_dispute(void *ctx, const json_t *args, char **error)
{
    json_t *body = order_body(args, error);
    if (!body)
        return NULL;
    json_object_set_new(body, "description", json_string(mcp_arg_string(args, "description")));
    const char *reason = mcp_arg_string(args, "reason"); /* null: not given, stored as null */
    if (reason)
        json_object_set_new(body, "reason", json_string(reason));
    return object_data(ctx, "/api/finance/disputes/duplicate-charge", body, error);
}

static json_t *find_lost_receipt(void *ctx, const json_t *args, char **error)
{
    json_t *body = order_body(args, error);
    return body ? object_data(ctx, "/api/finance/receipts/find-lost", body, error) : NULL;
}

/* JSON inside MCP_JSON must stay as written: clang-format would split its strings. */
/* clang-format off */
const mcp_tool finance_tools[] = {
    {
        .name = "fetch_order_history",
        .title = "Fetch order history",
        .description =
            "List a FantaCo customer's orders, newest first, optionally within a date range. "
            "Use it to answer questions about what a customer ordered, order totals and order "
            "status, and to find the numeric order id that start_duplicate_charge_dispute and "
            "find_lost_receipt need. Arguments: customer_id (e.g. \"AROUT\"), optional "
            "start_date and end_date (ISO-8601: 2024-01-01, 2024-01-01T00:00:00, with Z or an "
            "offset), optional limit (default 50). Returns the finance service's reply "
            "unchanged: {\"data\": [...], \"success\": true, \"count\": N, \"message\": "
            "\"...\"}; each order in data has id (numeric order id), orderNumber (e.g. "
            "\"ORD-003\"), customerId, totalAmount (a decimal amount), "
            "status (PENDING, CONFIRMED, SHIPPED, DELIVERED, CANCELLED or REFUNDED), orderDate, "
            "createdAt and updatedAt. An unknown customer simply has no orders.",
        .input_schema = MCP_JSON(HISTORY_INPUT),
        .output_schema = MCP_JSON(ENVELOPE_SCHEMA(ORDER_SCHEMA)),
        .hints = {.read_only = true, .destructive = false,
                  .idempotent = true, .open_world = false},
        .handler = fetch_order_history,
    },
    {
        .name = "fetch_invoice_history",
        .title = "Fetch invoice history",
        .description =
            "List a FantaCo customer's invoices, newest first, optionally within a date range. "
            "Use it for questions about billing, amounts due, due dates and payments. "
            "Arguments: customer_id (e.g. \"AROUT\"), optional start_date and end_date "
            "(ISO-8601: 2024-01-01, 2024-01-01T00:00:00, with Z or an offset; they filter on the "
            "invoice date), optional limit (default 50). Returns the finance service's reply "
            "unchanged: {\"data\": [...], \"success\": true, \"count\": N, \"message\": "
            "\"...\"}; each invoice in data has id, "
            "invoiceNumber (e.g. \"INV-003\"), orderId (the numeric id of its order), "
            "customerId, amount, status (DRAFT, SENT, PAID, OVERDUE, CANCELLED or REFUNDED), "
            "invoiceDate, dueDate, paidDate (null while unpaid), createdAt and updatedAt.",
        .input_schema = MCP_JSON(HISTORY_INPUT),
        .output_schema = MCP_JSON(ENVELOPE_SCHEMA(INVOICE_SCHEMA)),
        .hints = {.read_only = true, .destructive = false,
                  .idempotent = true, .open_world = false},
        .handler = fetch_invoice_history,
    },
    {
        .name = "start_duplicate_charge_dispute",
        .title = "Start duplicate-charge dispute",
        .description =
            "Open a dispute because a customer was charged twice for one order. This records a "
            "new dispute (type DUPLICATE_CHARGE, status OPEN) in the finance system, so only "
            "call it when the customer asks for it. Arguments: customer_id (e.g. \"AROUT\"), "
            "order_id (the numeric order id from fetch_order_history, e.g. 3, not \"ORD-003\"), "
            "description (what happened, in the customer's words), optional reason (a string, "
            "or null or absent for none). Fails with "
            "a message when the order does not exist, belongs to another customer, or already "
            "has an open duplicate-charge dispute. Returns the dispute: id, disputeNumber "
            "(e.g. \"DISP-1A2B3C4D\", quote it to the customer), orderId, customerId, "
            "disputeType, status, description, reason, disputeDate, resolvedDate, createdAt, "
            "updatedAt.",
        .input_schema = MCP_JSON({
            "type": "object",
            "properties": {
                "customer_id": CUSTOMER_ID_ARG,
                "order_id": ORDER_ID_ARG,
                "description": {"type": "string", "minLength": 1, "maxLength": 1000,
                                "description": "What happened, e.g. \"I was charged twice\"."},
                "reason": {"type": ["string", "null"], "maxLength": 500,
                           "description": "Optional: why the charge is thought to be a duplicate."}
            },
            "required": ["customer_id", "order_id", "description"]
        }),
        .output_schema = MCP_JSON(DISPUTE_SCHEMA),
        .hints = {.read_only = false, .destructive = false,
                  .idempotent = false, .open_world = false},
        .handler = start_duplicate_charge_dispute,
    },
    {
        .name = "find_lost_receipt",
        .title = "Find lost receipt",
        .description =
            "Report a lost receipt for one of a customer's orders and get the receipt record. "
            "If the order already has a receipt marked LOST, that one is returned; otherwise a "
            "new receipt with status LOST is recorded. Arguments: customer_id (e.g. \"AROUT\") "
            "and order_id (the numeric order id from fetch_order_history, e.g. 3). Fails with a "
            "message when the order does not exist or belongs to another customer. Returns the "
            "receipt: id, receiptNumber (e.g. \"RCPT-003\"), orderId, customerId, status, "
            "filePath, fileName, fileSize, mimeType, receiptDate, createdAt, updatedAt.",
        .input_schema = MCP_JSON({
            "type": "object",
            "properties": {"customer_id": CUSTOMER_ID_ARG, "order_id": ORDER_ID_ARG},
            "required": ["customer_id", "order_id"]
        }),
        .output_schema = MCP_JSON(RECEIPT_SCHEMA),
        .hints = {.read_only = false, .destructive = false,
                  .idempotent = true, .open_world = false},
        .handler = find_lost_receipt,
    },
};

/* clang-format on */
const size_t finance_ntools = sizeof finance_tools / sizeof *finance_tools;
