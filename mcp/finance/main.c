/*
 * finance-mcp: the MCP adapter of the Finance API. Two read tools (order and
 * invoice history) and two write tools (duplicate-charge dispute, lost
 * receipt), each one REST call on finance-api; no business logic here.
 */
#include <stdlib.h>

#include "mcp_backend.h"
#include "mcp_server.h"
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
    {"type": "string", "minLength": 5, "maxLength": 5,                                      \
     "description":                                                                         \
         "The customer's 5-character id, e.g. \"AROUT\" (search_customers finds it)."}
#define ORDER_ID_ARG                                                                        \
    {"type": "integer", "minimum": 1,                                                       \
     "description":                                                                         \
         "The numeric order id from fetch_order_history (e.g. 3), not \"ORD-003\"."}
#define DATE_PATTERN                                                                        \
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?$"
#define HISTORY_INPUT                                                                       \
    {"type": "object",                                                                      \
     "properties": {                                                                        \
         "customer_id": CUSTOMER_ID_ARG,                                                    \
         "start_date": {"type": "string", "pattern": DATE_PATTERN,                          \
                        "description":                                                      \
                            "On or after this day: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS."},    \
         "end_date": {"type": "string", "pattern": DATE_PATTERN,                            \
                      "description":                                                        \
                          "On or before this day (all of it): YYYY-MM-DD or with a time."}, \
         "limit": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50,         \
                   "description": "At most this many entries, newest first (default 50)."}}, \
     "required": ["customer_id"]}

/* clang-format on */
/* POSTs body to path and returns the envelope's data, or NULL with *error set. */
static json_t *post_for_data(void *ctx, const char *path, json_t *body, char **error)
{
    json_t *reply = NULL, *data = NULL;
    if (mcp_backend_call(ctx, "POST", path, body, &reply, error) == 0) {
        data = json_incref(json_object_get(reply, "data"));
        if (!data)
            *error = xstrdup("The finance service sent an unexpected reply.");
    }
    json_decref(reply);
    json_decref(body);
    return data;
}

/* The history request body shared by orders and invoices. */
static json_t *history_body(const json_t *args)
{
    json_t *body = json_pack("{s:s, s:I}", "customerId", mcp_arg_string(args, "customer_id"),
                             "limit", mcp_arg_int(args, "limit", 50));
    const char *start = mcp_arg_string(args, "start_date"), *end = mcp_arg_string(args, "end_date");
    if (start)
        json_object_set_new(body, "startDate", json_string(start));
    if (end)
        json_object_set_new(body, "endDate", json_string(end));
    return body;
}

/* {"<key>": [rows], "count": N} from a history endpoint. */
static json_t *history(void *ctx, const json_t *args, const char *path, const char *key,
                       char **error)
{
    json_t *rows = post_for_data(ctx, path, history_body(args), error);
    if (!rows)
        return NULL;
    if (!json_is_array(rows)) {
        json_decref(rows);
        *error = xstrdup("The finance service sent an unexpected reply.");
        return NULL;
    }
    size_t n = json_array_size(rows);
    return json_pack("{s:o, s:I}", key, rows, "count", (json_int_t)n);
}

static json_t *fetch_order_history(void *ctx, const json_t *args, char **error)
{
    return history(ctx, args, "/api/finance/orders/history", "orders", error);
}

static json_t *fetch_invoice_history(void *ctx, const json_t *args, char **error)
{
    return history(ctx, args, "/api/finance/invoices/history", "invoices", error);
}

/* The envelope's data when it is an object (a dispute, a receipt). */
static json_t *object_data(void *ctx, const char *path, json_t *body, char **error)
{
    json_t *data = post_for_data(ctx, path, body, error);
    if (data && !json_is_object(data)) {
        json_decref(data);
        data = NULL;
        *error = xstrdup("The finance service sent an unexpected reply.");
    }
    return data;
}

static json_t *start_duplicate_charge_dispute(void *ctx, const json_t *args, char **error)
{
    json_t *body = json_pack("{s:s, s:I, s:s}", "customerId", mcp_arg_string(args, "customer_id"),
                             "orderId", mcp_arg_int(args, "order_id", 0), "description",
                             mcp_arg_string(args, "description"));
    const char *reason = mcp_arg_string(args, "reason");
    if (reason)
        json_object_set_new(body, "reason", json_string(reason));
    return object_data(ctx, "/api/finance/disputes/duplicate-charge", body, error);
}

static json_t *find_lost_receipt(void *ctx, const json_t *args, char **error)
{
    json_t *body = json_pack("{s:s, s:I}", "customerId", mcp_arg_string(args, "customer_id"),
                             "orderId", mcp_arg_int(args, "order_id", 0));
    return object_data(ctx, "/api/finance/receipts/find-lost", body, error);
}

/* JSON inside MCP_JSON must stay as written: clang-format would split its strings. */
/* clang-format off */
static const mcp_tool tools[] = {
    {
        .name = "fetch_order_history",
        .title = "Fetch order history",
        .description =
            "List a FantaCo customer's orders, newest first, optionally within a date range. "
            "Use it to answer questions about what a customer ordered, order totals and order "
            "status, and to find the numeric order id that start_duplicate_charge_dispute and "
            "find_lost_receipt need. Arguments: customer_id (5 characters, e.g. \"AROUT\"), "
            "optional start_date and end_date (ISO-8601, YYYY-MM-DD), optional limit (default "
            "50). Returns {\"orders\": [...], \"count\": N}; each order has id (numeric order "
            "id), orderNumber (e.g. \"ORD-003\"), customerId, totalAmount (a decimal amount), "
            "status (PENDING, CONFIRMED, SHIPPED, DELIVERED, CANCELLED or REFUNDED), orderDate, "
            "createdAt and updatedAt. An unknown customer simply has no orders.",
        .input_schema = MCP_JSON(HISTORY_INPUT),
        .output_schema = MCP_JSON({
            "type": "object",
            "properties": {"orders": {"type": "array", "items": ORDER_SCHEMA},
                           "count": {"type": "integer"}},
            "required": ["orders", "count"]
        }),
        .hints = {.read_only = true, .idempotent = true},
        .handler = fetch_order_history,
    },
    {
        .name = "fetch_invoice_history",
        .title = "Fetch invoice history",
        .description =
            "List a FantaCo customer's invoices, newest first, optionally within a date range. "
            "Use it for questions about billing, amounts due, due dates and payments. "
            "Arguments: customer_id (5 characters, e.g. \"AROUT\"), optional start_date and "
            "end_date (ISO-8601, YYYY-MM-DD; they filter on the invoice date), optional limit "
            "(default 50). Returns {\"invoices\": [...], \"count\": N}; each invoice has id, "
            "invoiceNumber (e.g. \"INV-003\"), orderId (the numeric id of its order), "
            "customerId, amount, status (DRAFT, SENT, PAID, OVERDUE, CANCELLED or REFUNDED), "
            "invoiceDate, dueDate, paidDate (null while unpaid), createdAt and updatedAt.",
        .input_schema = MCP_JSON(HISTORY_INPUT),
        .output_schema = MCP_JSON({
            "type": "object",
            "properties": {"invoices": {"type": "array", "items": INVOICE_SCHEMA},
                           "count": {"type": "integer"}},
            "required": ["invoices", "count"]
        }),
        .hints = {.read_only = true, .idempotent = true},
        .handler = fetch_invoice_history,
    },
    {
        .name = "start_duplicate_charge_dispute",
        .title = "Start duplicate-charge dispute",
        .description =
            "Open a dispute because a customer was charged twice for one order. This records a "
            "new dispute (type DUPLICATE_CHARGE, status OPEN) in the finance system, so only "
            "call it when the customer asks for it. Arguments: customer_id (5 characters), "
            "order_id (the numeric order id from fetch_order_history, e.g. 3, not \"ORD-003\"), "
            "description (what happened, in the customer's words), optional reason. Fails with "
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
                "reason": {"type": "string", "maxLength": 500,
                           "description": "Optional: why the charge is thought to be a duplicate."}
            },
            "required": ["customer_id", "order_id", "description"]
        }),
        .output_schema = MCP_JSON(DISPUTE_SCHEMA),
        .hints = {.read_only = false, .destructive = false, .idempotent = false},
        .handler = start_duplicate_charge_dispute,
    },
    {
        .name = "find_lost_receipt",
        .title = "Find lost receipt",
        .description =
            "Report a lost receipt for one of a customer's orders and get the receipt record. "
            "If the order already has a receipt marked LOST, that one is returned; otherwise a "
            "new receipt with status LOST is recorded. Arguments: customer_id (5 characters) "
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
        .hints = {.read_only = false, .destructive = false, .idempotent = true},
        .handler = find_lost_receipt,
    },
};

/* clang-format on */
int main(int argc, char **argv)
{
    static const mcp_server_spec spec = {
        .name = "finance-mcp",
        .title = "FantaCo Finance MCP Server",
        .summary = "MCP server exposing the FantaCo Finance API as tools",
        .instructions =
            "Tools for FantaCo's finance records of a customer: order history, invoice "
            "history, opening a duplicate-charge dispute and reporting a lost receipt. Every "
            "tool takes the customer's 5-character customer_id (find it with customer-mcp's "
            "search_customers). Disputes and receipts take the numeric order id from "
            "fetch_order_history. The two write tools change records: use them only when the "
            "customer asks.",
        .default_port = 9002,
        .backend_env = "FINANCE_API_BASE_URL",
        .default_backend_url = "http://127.0.0.1:8082",
        .backend_name = "finance service",
        .backend_health_path = "/api/finance/health",
        .tools = tools,
        .ntools = sizeof tools / sizeof *tools,
    };
    return mcp_server_main(&spec, argc, argv);
}
