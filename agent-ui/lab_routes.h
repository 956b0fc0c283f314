/*
 * lab_routes: the routes of the workshop's agent back end (langgraph-fastapi)
 * that read data without a model, served through the MCP servers:
 *
 *   GET /find_orders?email=E    {"customer": {customerId, companyName,
 *                                contactName, contactEmail} or null,
 *                                "orders": [{id, orderId, orderNumber,
 *                                orderDate, status, totalAmount, freight}],
 *                                "total_orders": N}
 *   GET /find_invoices?email=E  {"customer", "invoices": [{id, invoiceId,
 *                                invoiceNumber, invoiceDate, status,
 *                                totalAmount, amount, customerId,
 *                                customerEmail, contactName}],
 *                                "total_invoices": N}
 *
 * The customer is customer-mcp's search_customers(contact_email=E) (an
 * exact match preferred, else its first result); the list is finance-mcp's
 * fetch_order_history / fetch_invoice_history for that customer, read from
 * the finance envelope's "data" (or the older "orders"/"invoices" key). Every
 * field of the original's models is present (null when unknown), as the
 * original sent them. No customer: 200 with customer null and an empty list,
 * as the original. A missing or malformed email: 400 (the original: 422).
 * An MCP server that cannot be reached: 503; one that times out: 504; a
 * tool error or a garbled reply: 502.
 */
#ifndef FANTACO_LAB_ROUTES_H
#define FANTACO_LAB_ROUTES_H

#include "http_server.h"

/*
 * Replies for an MCP call that failed (an upstream_status) through
 * upstream_reply_failure: 503 unreachable, 504 timed out, 502 otherwise.
 * setting names the variable that sets the server's URL, or NULL for a
 * server added at run time.
 */
void lab_reply_mcp_failure(http_request *req, const char *server, const char *setting, int rc);

/* Registers /find_orders and /find_invoices; ctx is the agent_ctx. */
void lab_routes_register(http_server *srv, void *ctx);

#endif
