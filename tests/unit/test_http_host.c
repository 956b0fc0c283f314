/* Unit tests for common/http_host: which Host values pass the DNS-rebinding check. */
#include <stddef.h>

#include "http_host.h"
#include "test.h"

static http_host_list *list_new(const char *listen, const char *allowed)
{
    const char *bad = NULL;
    size_t bad_len = 0;
    return http_host_list_new(listen, allowed, &bad, &bad_len);
}

static void test_default_allows_loopback_names_and_addresses(void)
{
    http_host_list *l = list_new("0.0.0.0", NULL);
    const char *ok[] = {"localhost", "localhost:8080", "LOCALHOST:1", "localhost.", "app.localhost:9",
                        "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:8080", "10.1.2.3:8080"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        CHECK(http_host_list_allows(l, ok[i]));
    http_host_list_free(l);
}

static void test_default_refuses_other_names_and_junk(void)
{
    http_host_list *l = list_new("0.0.0.0", "");
    const char *no[] = {"evil.example", "evil.example:8080", "localhost.evil.example", "localhost:80x",
                        "user@localhost", "localhost/x", "", "[evil]", "[::1", "::1", "local host",
                        "xlocalhost", ".localhost", NULL};
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        CHECK(!http_host_list_allows(l, no[i]));
    http_host_list_free(l);
}

static void test_listen_name_is_allowed(void)
{
    http_host_list *l = list_new("api.internal", NULL);
    CHECK(http_host_list_allows(l, "api.internal:8081"));
    CHECK(!http_host_list_allows(l, "other.internal"));
    http_host_list_free(l);
}

static void test_entries_exact_wildcard_and_any(void)
{
    http_host_list *l = list_new("127.0.0.1", " customer-api , *.apps.example.com,[fd00::1]");
    CHECK(l != NULL);
    CHECK(http_host_list_allows(l, "customer-api:8081"));
    CHECK(http_host_list_allows(l, "Route.Apps.Example.Com"));
    CHECK(http_host_list_allows(l, "a.b.apps.example.com:443"));
    CHECK(!http_host_list_allows(l, "apps.example.com"));
    CHECK(!http_host_list_allows(l, "customer-api.evil"));
    CHECK(http_host_list_allows(l, "localhost")); /* the defaults stay */
    http_host_list_free(l);
    l = list_new("127.0.0.1", "*");
    CHECK(http_host_list_allows(l, "evil.example"));
    CHECK(http_host_list_allows(l, NULL));
    http_host_list_free(l);
}

static void test_bad_entry_is_named(void)
{
    const char *allowed = "ok.example, bad.example:8080 ,x";
    const char *bad = NULL;
    size_t bad_len = 0;
    CHECK(http_host_list_new(NULL, allowed, &bad, &bad_len) == NULL);
    CHECK(bad == allowed + 12);
    CHECK_EQ_INT(bad_len, 16);
    CHECK(list_new(NULL, "*.") == NULL);
    CHECK(list_new(NULL, "http://x") == NULL);
    CHECK(list_new(NULL, "*evil") == NULL);
}

TEST_MAIN(TEST(test_default_allows_loopback_names_and_addresses),
          TEST(test_default_refuses_other_names_and_junk), TEST(test_listen_name_is_allowed),
          TEST(test_entries_exact_wildcard_and_any), TEST(test_bad_entry_is_named))
