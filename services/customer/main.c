/*
 * customer-api: the FantaCo Customer REST service.
 *
 *   client --REST /api/customers--> customer-api --> PostgreSQL or SQLite
 *
 * Routes in customer_routes.c, storage in customer_store.c; settings,
 * health, /metrics, API docs and shutdown are service_main's
 * (services/common/service.h over common/app.h).
 */
#include "customer_assets.h"
#include "customer_routes.h"
#include "customer_store.h"
#include "service.h"

int main(int argc, char **argv)
{
    const service_spec spec = {
        .name = "customer-api",
        .summary = "FantaCo Customer REST API over PostgreSQL or SQLite",
        .default_port = 8081,
        .default_sqlite_url = "sqlite://data/customer.db",
        .schema = cust_schema(),
        .error_body = cust_error_body,
        .register_routes = cust_routes_register,
        .seed = cust_store_seed,
        .generate = cust_store_generate,
        .openapi_json = customer_openapi_json,
        .openapi_json_len = customer_openapi_json_len,
    };
    return service_main(&spec, argc, argv);
}
