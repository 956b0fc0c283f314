/* Unit tests of mcp_servers: names, URLs, the add/remove life cycle, the probe. */
#include <string.h>

#include "fake_llama.h"
#include "http_client.h"
#include "mcp_servers.h"
#include "test.h"

static void test_names_and_urls(void)
{
    CHECK(mcps_valid_name("customer_mcp"));
    CHECK(mcps_valid_name("a-B_9"));
    CHECK(!mcps_valid_name(""));
    CHECK(!mcps_valid_name(NULL));
    CHECK(!mcps_valid_name("with space"));
    CHECK(!mcps_valid_name("slash/name"));
    CHECK(!mcps_valid_name("<script>"));
    char long_name[70];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    CHECK(!mcps_valid_name(long_name));
    CHECK(mcps_valid_url("http://127.0.0.1:9001/mcp"));
    CHECK(mcps_valid_url("https://mcp.example.com/sse"));
    CHECK(!mcps_valid_url("ftp://x/"));
    CHECK(!mcps_valid_url("http://"));
    CHECK(!mcps_valid_url("http:///path"));
    CHECK(!mcps_valid_url("http://a b/"));
    CHECK(!mcps_valid_url("javascript:alert(1)"));
    CHECK(!mcps_valid_url(NULL));
}

static void test_life_cycle(void)
{
    mcps_list *l = mcps_new();
    CHECK_EQ_INT(mcps_add(l, "customer_mcp", "http://c/mcp", true, false), MCPS_OK);
    CHECK_EQ_INT(mcps_add(l, "customer_mcp", "http://other/mcp", false, true), MCPS_ETAKEN);
    CHECK_EQ_INT(mcps_add(l, "extra", "http://e/mcp", false, true), MCPS_OK);
    /* pending: the name is taken, but the server is not offered yet */
    CHECK_EQ_INT(mcps_add(l, "extra", "http://e2/mcp", false, true), MCPS_ETAKEN);
    json_t *active = mcps_snapshot(l, false);
    CHECK_EQ_INT(json_array_size(active), 1);
    json_decref(active);
    CHECK(mcps_get(l, "extra") == NULL);
    CHECK_EQ_INT(mcps_begin_remove(l, "extra"), MCPS_EBUSY);
    CHECK_EQ_INT(mcps_commit(l, "extra"), MCPS_OK);
    CHECK_EQ_INT(mcps_begin_remove(l, "customer_mcp"), MCPS_ESTATIC);
    CHECK_EQ_INT(mcps_begin_remove(l, "nobody"), MCPS_ENOTFOUND);
    CHECK_EQ_INT(mcps_begin_remove(l, "extra"), MCPS_OK);
    CHECK_EQ_INT(mcps_begin_remove(l, "extra"), MCPS_EBUSY);
    mcps_cancel_remove(l, "extra"); /* the remote unregister failed: keep it */
    json_t *s = mcps_get(l, "extra");
    CHECK_EQ_STR(json_string_value(json_object_get(s, "url")), "http://e/mcp");
    CHECK(json_is_false(json_object_get(s, "static")));
    json_decref(s);
    mcps_set_registered(l, "extra", "http://e/mcp", true);
    mcps_set_registered(l, "extra", "http://stale/mcp", false); /* another URL: ignored */
    s = mcps_get(l, "extra");
    CHECK(json_is_true(json_object_get(s, "registered")));
    json_decref(s);
    CHECK_EQ_INT(mcps_begin_remove(l, "extra"), MCPS_OK);
    mcps_remove(l, "extra");
    json_t *all = mcps_snapshot(l, true);
    CHECK_EQ_INT(json_array_size(all), 1);
    json_decref(all);
    for (int i = 0; i < MCPS_MAX - 1; i++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", i);
        CHECK_EQ_INT(mcps_add(l, name, "http://x/mcp", false, false), MCPS_OK);
    }
    CHECK_EQ_INT(mcps_add(l, "one_more", "http://x/mcp", false, false), MCPS_EFULL);
    mcps_free(l);
}

static void test_probe(void)
{
    fake_llama f = {0};
    fake_llama_start(&f);
    char url[128];
    snprintf(url, sizeof url, "%s/mcp", f.url);
    CHECK_EQ_STR(mcps_probe(url, 1000), "reachable"); /* the fake has no /health */
    fake_llama_stop(&f);
    char dead[64];
    fake_dead_url(dead, sizeof dead);
    snprintf(url, sizeof url, "%s/mcp", dead);
    CHECK_EQ_STR(mcps_probe(url, 1000), "down");
    http_client_thread_cleanup();
}

TEST_MAIN(TEST(test_names_and_urls), TEST(test_life_cycle), TEST(test_probe))
