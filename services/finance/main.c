/* finance-api: the FantaCo Finance REST service. */
#include "finance_routes.h"
#include "finance_schema.h"
#include "finance_store.h"
#include "service.h"

int main(int argc, char **argv)
{
    static const service_spec spec = {
        .name = "finance-api",
        .summary = "FantaCo Finance REST API over PostgreSQL or SQLite",
        .default_port = 8082,
        .default_sqlite_url = "sqlite://data/finance.db",
        .schema = &fin_schema,
        .error_body = fin_error_body,
        .register_routes = fin_routes_register,
        .seed = fin_store_seed,
        .generate = fin_store_generate,
    };
    return service_main(&spec, argc, argv);
}
