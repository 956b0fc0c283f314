/* Unit tests for customer_request: the page numbers of a search and the next page's query. */
#include <stdlib.h>

#include "customer_request.h"
#include "test.h"

/* cust_request_count_parse's value for text, or -1 when refused (*out must stay untouched). */
static long count_of(const char *text, long min, long max)
{
    long v = -7;
    if (cust_request_count_parse(text, min, max, &v) != 0) {
        CHECK_EQ_INT(v, -7);
        return -1;
    }
    return v;
}

static void test_count_parse(void)
{
    CHECK_EQ_INT(count_of("1", 1, 1000), 1);
    CHECK_EQ_INT(count_of("1000", 1, 1000), 1000);
    CHECK_EQ_INT(count_of("0007", 1, 1000), 7);
    CHECK_EQ_INT(count_of("0", 0, 10), 0);
    CHECK_EQ_INT(count_of("2147483647", 0, CUST_OFFSET_MAX), 2147483647L);
    const char *refused[] = {"",   "0",   "1001", "-1",    "+1", " 1",   "1 ",   "1.0",
                             "1e3", "0x10", "abc", "١", "99999999999999999999999", "2147483648"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        long max = i == sizeof refused / sizeof *refused - 1 ? CUST_OFFSET_MAX : 1000;
        CHECK_EQ_INT(count_of(refused[i], 1, max), -1);
    }
}

static void expect_next(cust_filter f, const char *query)
{
    char *next = cust_request_next_query_new(&f);
    CHECK_EQ_STR(next, query);
    free(next);
}

static void test_next_query(void)
{
    expect_next((cust_filter){.limit = 100}, "offset=100&limit=100");
    expect_next((cust_filter){.limit = 2, .offset = 4}, "offset=6&limit=2");
    /* every given filter, empty ones too, encoded so that '&', '=', '+', ' ', '@' and
     * non-ASCII text survive as the same values */
    expect_next((cust_filter){.company_name = "A&B=C+D", .contact_name = "",
                              .contact_email = "x@example.com", .phone = "\xc3\x96 1",
                              .limit = 10, .offset = 10},
                "companyName=A%26B%3dC%2bD&contactName=&contactEmail=x%40example.com&"
                "phone=%c3%96%201&offset=20&limit=10");
}

TEST_MAIN(TEST(test_count_parse), TEST(test_next_query))
