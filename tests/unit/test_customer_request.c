/* Unit tests for customer_request: the page numbers of a search and the next page's query. */
#include <stdint.h>
#include <stdlib.h>

#include "customer_request.h"
#include "test.h"

/* cust_request_count_parse's value for text, or -1 when refused (*out must stay untouched). */
static int64_t count_of(const char *text, int64_t min, int64_t max)
{
    int64_t v = -7;
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
    CHECK_EQ_INT(count_of("00000000000000000000000000042", 0, 100), 42); /* leading zeros */
    const char *refused[] = {"",   "0",   "1001", "-1",    "+1", " 1",   "1 ",   "1.0",
                             "1e3", "0x10", "abc", "١", "99999999999999999999999", "2147483648"};
    /* beyond 64 bits (strtoll's ERANGE) and beyond a 32-bit long: out of range, never clamped */
    CHECK_EQ_INT(count_of("99999999999999999999999", 0, INT64_MAX), -1);
    CHECK_EQ_INT(count_of("9223372036854775808", 0, INT64_MAX), -1);
    CHECK_EQ_INT(count_of("9223372036854775807", 0, INT64_MAX), INT64_MAX);
    CHECK_EQ_INT(count_of("4294967296", 0, CUST_OFFSET_MAX), -1);
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
                "companyName=A%26B%3DC%2BD&contactName=&contactEmail=x%40example.com&"
                "phone=%C3%96%201&offset=20&limit=10");
    /* only RFC 3986's unreserved characters stay: sub-delimiters are encoded too */
    expect_next((cust_filter){.company_name = "a,b;c$d(e)f!g*h'i", .phone = "._-~",
                              .limit = 1},
                "companyName=a%2Cb%3Bc%24d%28e%29f%21g%2Ah%27i&phone=._-~&offset=1&limit=1");
}

/* The next page's offset past CUST_OFFSET_MAX would be refused: no query then. */
static void test_next_query_at_the_largest_offset(void)
{
    expect_next((cust_filter){.limit = 10, .offset = CUST_OFFSET_MAX - 10},
                "offset=2147483647&limit=10");
    cust_filter past[] = {{.limit = 10, .offset = CUST_OFFSET_MAX - 9},
                          {.limit = 1000, .offset = CUST_OFFSET_MAX},
                          {.limit = INT64_MAX, .offset = CUST_OFFSET_MAX}};
    for (size_t i = 0; i < sizeof past / sizeof *past; i++)
        CHECK(cust_request_next_query_new(&past[i]) == NULL);
}

TEST_MAIN(TEST(test_count_parse), TEST(test_next_query),
          TEST(test_next_query_at_the_largest_offset))
