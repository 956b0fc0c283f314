/*
 * finance-api: the FantaCo Finance REST service.
 *
 *   client --REST /api/finance--> finance-api --> PostgreSQL or SQLite
 *
 * Routes in finance_routes.c, storage in finance_store.c; settings,
 * health, /metrics, API docs and shutdown are service_main's
 * (services/common/service.h over common/app.h).
 */
#include "finance_assets.h"
#include "finance_routes.h"
#include "finance_schema.h"
#include "finance_store.h"
#include "service.h"

int main(int argc, char **argv)
{
    const service_spec spec = {
        .name = "finance-api",
        .summary = "FantaCo Finance REST API over PostgreSQL or SQLite",
        .default_port = 8082,
        .default_sqlite_url = "sqlite://data/finance.db",
        .schema = &fin_schema,
        .error_body = fin_error_body,
        .register_routes = fin_routes_register,
        .seed = fin_store_seed,
        .generate = fin_store_generate,
        .openapi_json = finance_openapi_json,
        .openapi_json_len = finance_openapi_json_len,
    };
    return service_main(&spec, argc, argv);
}
