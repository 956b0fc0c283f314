/*
 * customer-mcp: the MCP adapter of the Customer API. Two read-only tools,
 * each one REST call on customer-api; no business logic, no database.
 *
 *   MCP client --/mcp or /sse--> customer-mcp --REST--> customer-api
 *
 * Settings, sessions, transports and shutdown are mcp_server_main's
 * (mcp/mcp_server.h).
 */
#include "customer_tools.h"
#include "mcp_server.h"

int main(int argc, char **argv)
{
    const mcp_server_spec spec = {
        .name = "customer-mcp",
        .title = "FantaCo Customer MCP Server",
        .summary = "MCP server exposing the FantaCo Customer API as tools",
        .instructions =
            "Tools for FantaCo's customer records. Use search_customers to find customers by "
            "company name, contact name, email or phone (partial, case-insensitive) and to learn "
            "their 5-character customer id; use get_customer to read one customer's full "
            "record. The customer id is what the finance tools (orders, invoices, disputes, "
            "receipts) take as customer_id.",
        .default_port = 9001,
        .backend_env = "CUSTOMER_API_BASE_URL",
        .default_backend_url = "http://127.0.0.1:8081",
        .backend_name = "customer service",
        .backend_health_path = "/actuator/health",
        .tools = customer_tools, /* customer_tools.c */
        .ntools = customer_ntools,
    };
    return mcp_server_main(&spec, argc, argv);
}
