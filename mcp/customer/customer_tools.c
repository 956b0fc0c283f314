/* customer_tools: customer-mcp's tools, each one REST call on customer-api. */
#include "customer_tools.h"

#include <stdio.h>
#include <stdlib.h>

#include "mcp_backend.h"
#include "mcp_tool.h"
#include "url.h"
#include "xalloc.h"

/* JSON inside MCP_JSON must stay as written: clang-format would split its strings. */
/* clang-format off */
/* A customer as customer-api returns it (absent values are null). */
#define NULLABLE_TEXT {"type": ["string", "null"]}
#define CUSTOMER_SCHEMA                                                                     \
    {"type": "object",                                                                      \
     "properties": {"customerId": {"type": "string", "description": "5-character id"},      \
                    "companyName": {"type": "string"},                                      \
                    "contactName": NULLABLE_TEXT, "contactTitle": NULLABLE_TEXT,            \
                    "address": NULLABLE_TEXT, "city": NULLABLE_TEXT,                        \
                    "region": NULLABLE_TEXT, "postalCode": NULLABLE_TEXT,                   \
                    "country": NULLABLE_TEXT, "phone": NULLABLE_TEXT, "fax": NULLABLE_TEXT, \
                    "contactEmail": NULLABLE_TEXT, "createdAt": NULLABLE_TEXT,              \
                    "updatedAt": NULLABLE_TEXT},                                            \
     "required": ["customerId", "companyName"]}

/* clang-format on */

/* search_customers returns this many matches at most (customer-api is asked for one more). */
#define SEARCH_RESULTS_MAX 100

/* {"results": the first SEARCH_RESULTS_MAX of list, "more": whether list had more}: a new
 * value (list, the backend's *out, stays as it is; its customers are shared). */
static json_t *search_result_new(const json_t *list)
{
    json_t *results = json_array();
    size_t n = json_array_size(list);
    for (size_t i = 0; i < n && i < SEARCH_RESULTS_MAX; i++)
        json_array_append(results, json_array_get(list, i));
    return json_pack("{s:o, s:b}", "results", results, "more", n > SEARCH_RESULTS_MAX);
}

static json_t *search_customers(void *ctx, const json_t *args, char **error)
{
    static const char *const filters[][2] = {{"company_name", "companyName"},
                                             {"contact_name", "contactName"},
                                             {"contact_email", "contactEmail"},
                                             {"phone", "phone"}};
    char *query = NULL;
    for (size_t i = 0; i < sizeof filters / sizeof *filters; i++)
        mcp_backend_query_add(&query, filters[i][1], mcp_arg_string(args, filters[i][0]));
    char limit[16];
    snprintf(limit, sizeof limit, "%d", SEARCH_RESULTS_MAX + 1); /* the extra one says "more" */
    mcp_backend_query_add(&query, "limit", limit);
    char *path = xasprintf("/api/customers?%s", query);
    json_t *list = NULL, *result = NULL;
    error_info err;
    if (mcp_backend_call(ctx, "GET", path, NULL, &list, error, &err) != MCP_BACKEND_OK)
        mcp_backend_log_failure(&err);
    else if (json_is_array(list))
        result = search_result_new(list);
    else
        *error = xstrdup("The customer service sent an unexpected reply.");
    json_decref(list);
    free(path);
    free(query);
    return result;
}

static json_t *get_customer(void *ctx, const json_t *args, char **error)
{
    char *id = url_segment_encode_new(mcp_arg_string(args, "customer_id"));
    char *path = xasprintf("/api/customers/%s", id);
    json_t *customer = NULL;
    error_info err;
    int rc = mcp_backend_call(ctx, "GET", path, NULL, &customer, error, &err);
    if (rc != MCP_BACKEND_OK)
        mcp_backend_log_failure(&err);
    if (rc == MCP_BACKEND_EREJECTED)
        mcp_backend_hint(error, "A customer id is usually 5 upper-case letters such as AROUT; "
                                "search_customers finds it by company, contact name or email.");
    if (rc == MCP_BACKEND_OK && !json_is_object(customer)) {
        json_decref(customer);
        customer = NULL;
        *error = xstrdup("The customer service sent an unexpected reply.");
    }
    free(path);
    free(id);
    return customer;
}

/* JSON inside MCP_JSON must stay as written: clang-format would split its strings. */
/* clang-format off */
const mcp_tool customer_tools[] = {
    {
        .name = "search_customers",
        .title = "Search customers",
        .description =
            "Find FantaCo customers by company name, contact person, contact email address or "
            "phone number. Use it to look up a customer's 5-character customer id, which the "
            "other customer and finance tools need. Every argument is optional and matches any "
            "part of the stored value, ignoring upper/lower case (\"snabb\" finds \"Berglunds "
            "snabbköp\"); null counts as not given; when several are given, a customer must "
            "match all of them. With no argument every customer matches. At most the first "
            "100 matches (in customerId order) are returned. Returns {\"results\": [customer, "
            "...], \"more\": true|false}, an empty list when nothing matches; \"more\" is true "
            "when more than these 100 customers match (the others are not shown: give a more "
            "specific argument to find them) and false when results holds every match; each customer has customerId, companyName, "
            "contactName, contactTitle, address, city, region, postalCode, country, phone, fax, "
            "contactEmail, createdAt and updatedAt (missing values are null).",
        .input_schema = MCP_JSON({
            "type": "object",
            "properties": {
                "company_name": {"type": ["string", "null"], "maxLength": 255,
                                 "description": "Part of the company name, e.g. \"Around\"."},
                "contact_name": {"type": ["string", "null"], "maxLength": 255,
                                 "description": "Part of the contact's name, e.g. \"Hardy\"."},
                "contact_email": {"type": ["string", "null"], "maxLength": 255,
                                  "description": "Part or all of the email address."},
                "phone": {"type": ["string", "null"], "maxLength": 255,
                          "description": "Part of the phone number as stored, e.g. \"555-7788\"."}
            }
        }),
        .output_schema = MCP_JSON({
            "type": "object",
            "properties": {"results": {"type": "array", "items": CUSTOMER_SCHEMA},
                           "more": {"type": "boolean", "description": "true: more than these 100 customers match; give a more specific argument"}},
            "required": ["results", "more"]
        }),
        .hints = {.read_only = true, .destructive = false,
                  .idempotent = true, .open_world = false},
        .handler = search_customers,
    },
    {
        .name = "get_customer",
        .title = "Get customer",
        .description =
            "Get the full record of one FantaCo customer by customer id. customer_id is the "
            "customer's id, usually five upper-case letters such as \"AROUT\"; use "
            "search_customers first when you only know a name or an email address. Returns the "
            "customer: customerId, companyName, contactName, contactTitle, address, city, "
            "region, postalCode, country, phone, fax, contactEmail, createdAt and updatedAt "
            "(ISO-8601 timestamps; missing values are null). An unknown id gives an error "
            "saying that no customer has that id.",
        .input_schema = MCP_JSON({
            "type": "object",
            "properties": {
                "customer_id": {"type": "string", "minLength": 1,
                                "description": "The customer id, usually 5 upper-case letters such as \"AROUT\"; search_customers finds it."}
            },
            "required": ["customer_id"]
        }),
        .output_schema = MCP_JSON(CUSTOMER_SCHEMA),
        .hints = {.read_only = true, .destructive = false,
                  .idempotent = true, .open_world = false},
        .handler = get_customer,
    },
};

/* clang-format on */
const size_t customer_ntools = sizeof customer_tools / sizeof *customer_tools;
