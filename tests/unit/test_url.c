/* Tests for url: the base URLs of the servers a binary calls. */
#include <stdlib.h>

#include "test.h"
#include "url.h"

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

TEST_MAIN(TEST(test_base_drops_trailing_slashes), TEST(test_base_drops_the_suffix_once),
          TEST(test_base_of_nothing_is_null), TEST(test_is_http))
