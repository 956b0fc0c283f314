/*
 * customer_assets: files embedded into the customer-api binary at build time
 * (see cmake/embed.cmake): migrations, the demo data and the OpenAPI document.
 * Each is NUL-terminated; *_len excludes the NUL.
 */
#ifndef FANTACO_CUSTOMER_ASSETS_H
#define FANTACO_CUSTOMER_ASSETS_H

#include <stddef.h>

extern const char mig_customer_0001_pg[], mig_customer_0001_sqlite[];
extern const char mig_customer_0002_pg[], mig_customer_0002_sqlite[];
extern const char mig_customer_0003_pg[], mig_customer_0003_sqlite[];
extern const char mig_customer_0004_pg[], mig_customer_0004_sqlite[];
extern const char mig_customer_0005_pg[], mig_customer_0005_sqlite[];
extern const char seed_customers_json[];
extern const size_t seed_customers_json_len;
extern const char customer_openapi_json[];
extern const size_t customer_openapi_json_len;

#endif
