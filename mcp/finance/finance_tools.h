/*
 * finance_tools: the tools finance-mcp offers: fetch_order_history and
 * fetch_invoice_history (read), start_duplicate_charge_dispute and
 * find_lost_receipt (write). Each handler makes one REST call on
 * finance-api through the mcp_backend it gets as ctx.
 */
#ifndef FANTACO_FINANCE_TOOLS_H
#define FANTACO_FINANCE_TOOLS_H

#include <stddef.h>

#include "mcp_tool.h"

extern const mcp_tool finance_tools[];
extern const size_t finance_ntools;

#endif
