/*
 * Unit tests for common/url: a path segment's encoding (as customer-api's
 * Location header has always spelled it) and the parts libcurl reads from
 * a URL, absent parts as NULL, and base URLs as the settings spell them.
 */
#include <stdlib.h>

#include "test.h"
#include "url.h"

static void expect_segment(const char *s, const char *encoded)
{
    char *got = url_segment_encode_new(s);
    CHECK_EQ_STR(got, encoded);
    free(got);
}

static void test_segment_encode(void)
{
    expect_segment("ALFKI", "ALFKI");
    expect_segment("", "");
    expect_segment("\xc3\x96" "B CD", "%c3%96B%20CD"); /* hex digits in lower case */
    expect_segment("a/b?c#d", "a%2fb%3fc%23d");
    expect_segment("._-$,;~()", "._-$,;~()");
    expect_segment("%+&=", "%25%2b%26%3d");
    expect_segment("\x7f\x01", "%7f%01");
    /* a dot segment would be resolved by libcurl and the server: another path */
    expect_segment(".", "%2e");
    expect_segment("..", "%2e%2e");
    expect_segment("...", "...");
    expect_segment(".a", ".a");
}

static void test_parse_parts(void)
{
    url_parts u;
    CHECK_EQ_INT(url_parse("HTTPS://Example.COM:8443/a/b?x=1#top", &u), 0);
    CHECK_EQ_STR(u.scheme, "https");
    CHECK_EQ_STR(u.host, "Example.COM");
    CHECK_EQ_STR(u.path, "/a/b");
    CHECK_EQ_STR(u.query, "x=1");
    CHECK_EQ_STR(u.fragment, "top");
    url_parts_cleanup(&u);

    CHECK_EQ_INT(url_parse("http://[::1]:3000", &u), 0);
    CHECK_EQ_STR(u.host, "[::1]");
    CHECK_EQ_STR(u.path, "/");
    CHECK(u.query == NULL && u.fragment == NULL);
    url_parts_cleanup(&u);
    url_parts_cleanup(&u); /* idempotent */
    url_parts_cleanup(NULL);
}

static void test_parse_refuses(void)
{
    url_parts u;
    CHECK_EQ_INT(url_parse("localhost:3000/x", &u), -1); /* no scheme it knows */
    CHECK(u.scheme == NULL && u.host == NULL && u.path == NULL);
    url_parts_cleanup(&u);
    CHECK_EQ_INT(url_parse("null", &u), -1);
    url_parts_cleanup(&u);
    CHECK_EQ_INT(url_parse("", &u), -1);
    url_parts_cleanup(&u);
    CHECK_EQ_INT(url_parse("http://", &u), -1);
    url_parts_cleanup(&u);
}

static void check_base(const char *url, const char *suffix, const char *want)
{
    char *got = url_base_new(url, suffix);
    CHECK_EQ_STR(got, want);
    free(got);
}

static void test_base_drops_trailing_slashes(void)
{
    check_base("http://127.0.0.1:8081", NULL, "http://127.0.0.1:8081");
    check_base("http://127.0.0.1:8081///", NULL, "http://127.0.0.1:8081");
    check_base("https://api.example/prefix/", NULL, "https://api.example/prefix");
}

static void test_base_drops_the_suffix_once(void)
{
    check_base("http://llama:8321/v1", "/v1", "http://llama:8321");
    check_base("http://llama:8321/v1/", "/v1", "http://llama:8321");
    check_base("http://llama:8321/", "/v1", "http://llama:8321");
    check_base("http://llama:8321/api/v1x", "/v1", "http://llama:8321/api/v1x");
    check_base("/v1", "/v1", "");
}

static void test_base_of_nothing_is_null(void)
{
    check_base(NULL, NULL, NULL);
    check_base("", "/v1", NULL);
}

static void test_is_http(void)
{
    CHECK(url_is_http("http://x"));
    CHECK(url_is_http("https://x"));
    CHECK(!url_is_http("ftp://x"));
    CHECK(!url_is_http("HTTP://x")); /* as the MCP adapters always required */
    CHECK(!url_is_http(""));
    CHECK(!url_is_http(NULL));
}

TEST_MAIN(TEST(test_segment_encode), TEST(test_parse_parts), TEST(test_parse_refuses),
          TEST(test_base_drops_trailing_slashes), TEST(test_base_drops_the_suffix_once),
          TEST(test_base_of_nothing_is_null), TEST(test_is_http))
