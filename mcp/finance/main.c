/*
 * finance-mcp: the MCP adapter of the Finance API. Two read tools (order and
 * invoice history) and two write tools (duplicate-charge dispute, lost
 * receipt), each one REST call on finance-api; no business logic here.
 *
 *   MCP client --/mcp or /sse--> finance-mcp --REST--> finance-api
 *
 * Settings, sessions, transports and shutdown are mcp_server_main's
 * (mcp/mcp_server.h).
 */
#include "finance_tools.h"
#include "mcp_server.h"

int main(int argc, char **argv)
{
    const mcp_server_spec spec = {
        .name = "finance-mcp",
        .title = "FantaCo Finance MCP Server",
        .summary = "MCP server exposing the FantaCo Finance API as tools",
        .instructions =
            "Tools for FantaCo's finance records of a customer: order history, invoice "
            "history, opening a duplicate-charge dispute and reporting a lost receipt. Every "
            "tool takes the customer's customer_id, usually 5 upper-case letters (find it with "
            "customer-mcp's "
            "search_customers). Disputes and receipts take the numeric order id from "
            "fetch_order_history. The two write tools change records: use them only when the "
            "customer asks.",
        .default_port = 9002,
        .backend_env = "FINANCE_API_BASE_URL",
        .default_backend_url = "http://127.0.0.1:8082",
        .backend_name = "finance service",
        .backend_health_path = "/api/finance/health",
        .tools = finance_tools, /* finance_tools.c */
        .ntools = finance_ntools,
    };
    return mcp_server_main(&spec, argc, argv);
}
