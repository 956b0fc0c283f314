/*
 * fuzz_db_url: DATABASE_URL parsing (db/db_url.c, libpq's URI parser
 * behind it) on arbitrary text: every accepted URL is usable as promised,
 * everything is freed.
 */
#include "db_url.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *url = fuzz_cstr_new(data, size);
    db_url u;
    if (db__url_parse(&u, url, "fuzz", NULL) == DB_OK) {
        if (u.backend == DB_BACKEND_SQLITE) {
            FUZZ_ASSERT(u.path && *u.path && !u.keywords);
        } else {
            FUZZ_ASSERT(u.backend == DB_BACKEND_POSTGRES && u.keywords && u.values);
            const char *enc = db__url_param(&u, "client_encoding");
            FUZZ_ASSERT(enc && strcmp(enc, "UTF8") == 0);
            FUZZ_ASSERT(db__url_param(&u, "connect_timeout") != NULL);
        }
    } else {
        FUZZ_ASSERT(!u.path && !u.keywords && !u.values);
    }
    db__url_cleanup(&u);
    free(url);
    return 0;
}
