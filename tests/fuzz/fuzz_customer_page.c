/*
 * fuzz_customer_page: the page numbers of a customer search
 * (cust_request_count_parse) and the next page's query string on arbitrary
 * text: a number is accepted exactly when it is decimal digits only (leading
 * zeros too) within the range, with its value; the query carries the text
 * percent-encoded, only RFC 3986's unreserved characters left as they are.
 */
#include <ctype.h>

#include "customer_request.h"
#include "fuzz.h"

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr_new(data, size);
    size_t len = strlen(text);
    int64_t v = -1;
    int rc = cust_request_count_parse(text, 1, CUST_LIMIT_MAX, &v);
    bool number = len > 0 && all_digits(text);
    const char *digits = text + strspn(text, "0"); /* past 18 significant digits: out of range */
    int64_t want = number && strlen(digits) <= 18 ? strtoll(digits, NULL, 10) : -1;
    FUZZ_ASSERT((rc == 0) == (number && want >= 1 && want <= CUST_LIMIT_MAX));
    FUZZ_ASSERT(rc == 0 ? v == want : v == -1);

    cust_filter f = {.company_name = text, .phone = text, .limit = rc == 0 ? v : 100};
    char *query = cust_request_next_query_new(&f);
    /* only unreserved characters, '%' escapes and the separators of our own making */
    for (const char *p = query; *p; p++)
        FUZZ_ASSERT(isalnum((unsigned char)*p) || strchr("._-~%=&", *p));
    FUZZ_ASSERT(strncmp(query, "companyName=", 12) == 0);
    free(query);
    free(text);
    return 0;
}
