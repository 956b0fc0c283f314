/*
 * fuzz_dates: the two date parsers on the same text. finance-api's
 * fin_time_parse (services/finance/finance_model.c, used by
 * finance_request.c for startDate/endDate) must give a canonical
 * timestamp that it parses again to itself; the MCP schema's format "date"
 * (mcp/mcp_schema.c) must accept only YYYY-MM-DD, and every date-only text
 * finance-api accepts.
 */
#include <ctype.h>
#include <stdbool.h>

#include "finance_model.h"
#include "fuzz.h"
#include "mcp_schema.h"

static bool schema_date_ok(const char *s)
{
    static json_t *doc;
    static mcp_schema *schema;
    if (!schema) { /* never freed: one schema for the whole run */
        doc = json_pack("{s:s, s:{s:{s:s, s:s}}, s:[s]}", "type", "object", "properties", "day",
                        "type", "string", "format", "date", "required", "day");
        char msg[128];
        schema = mcp_schema_compile(doc, msg, sizeof msg);
        FUZZ_ASSERT(schema);
    }
    json_t *day = json_string(s); /* NULL for invalid UTF-8: not a JSON string at all */
    if (!day)
        return false;
    json_t *args = json_pack("{s:o}", "day", day);
    char msg[256];
    bool ok = mcp_schema_validate(schema, args, msg, sizeof msg) == 0;
    json_decref(args);
    return ok;
}

/* YYYY-MM-DD by shape: the least a "date" must be. */
static bool date_shaped(const char *s)
{
    if (strlen(s) != 10)
        return false;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr_new(data, size);
    for (int end_of_day = 0; end_of_day < 2; end_of_day++) {
        char out[FIN_TIME_SIZE], again[FIN_TIME_SIZE];
        if (fin_time_parse(s, end_of_day, out) != 0)
            continue;
        FUZZ_ASSERT(strlen(out) == FIN_TIME_SIZE - 1);
        FUZZ_ASSERT(fin_time_parse(out, end_of_day, again) == 0);
        FUZZ_ASSERT(strcmp(out, again) == 0);
        if (strlen(s) == 10)
            FUZZ_ASSERT(schema_date_ok(s));
    }
    if (schema_date_ok(s))
        FUZZ_ASSERT(date_shaped(s));
    free(s);
    return 0;
}
