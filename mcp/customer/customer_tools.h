/*
 * customer_tools: the tools customer-mcp offers, search_customers and
 * get_customer, both read-only. Each handler makes one REST call on
 * customer-api through the mcp_backend it gets as ctx.
 */
#ifndef FANTACO_CUSTOMER_TOOLS_H
#define FANTACO_CUSTOMER_TOOLS_H

#include <stddef.h>

#include "mcp_tool.h"

extern const mcp_tool customer_tools[];
extern const size_t customer_ntools;

#endif
