/*
 * finance_assets: files embedded into the finance-api binary at build time
 * (see cmake/embed.cmake): migrations, the demo data and the OpenAPI
 * document. Each is NUL-terminated; *_len excludes the NUL.
 */
#ifndef FANTACO_FINANCE_ASSETS_H
#define FANTACO_FINANCE_ASSETS_H

#include <stddef.h>

extern const char mig_finance_0001_pg[], mig_finance_0001_sqlite[];
extern const char seed_orders_json[], seed_invoices_json[], seed_disputes_json[],
    seed_receipts_json[];
extern const size_t seed_orders_json_len, seed_invoices_json_len, seed_disputes_json_len,
    seed_receipts_json_len;
extern const char finance_openapi_json[];
extern const size_t finance_openapi_json_len;

#endif
