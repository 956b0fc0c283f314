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
    /* what libcurl, which will call it, cannot parse */
    CHECK(!mcps_valid_url("http://[::1"));
    CHECK(!mcps_valid_url("http://host:99999/mcp"));
    CHECK(mcps_valid_url("http://[::1]:9001/mcp"));
}

static void test_read_server(void)
{
    const char *name, *url;
    json_t *in = json_pack("{s:s, s:s}", "name", "tools", "url", "http://h/mcp");
    CHECK(mcps_read_server(in, &name, &url) == NULL);
    CHECK_EQ_STR(name, "tools");
    CHECK_EQ_STR(url, "http://h/mcp");
    json_object_set_new(in, "url", json_string("ftp://h/mcp"));
    CHECK_EQ_STR(mcps_read_server(in, &name, &url), "url");
    json_object_del(in, "name"); /* the name is checked first */
    CHECK_EQ_STR(mcps_read_server(in, &name, &url), "name");
    CHECK(name == NULL);
    json_decref(in);
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

/* The names of the active snapshot, joined by ','. */
static void active_names(mcps_list *l, char *out, size_t size)
{
    json_t *active = mcps_snapshot(l, false);
    size_t i, used = 0;
    json_t *s;
    out[0] = '\0';
    json_array_foreach(active, i, s)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "," : "",
                                 json_string_value(json_object_get(s, "name")));
    json_decref(active);
}

static int refreshes;

static void count_refresh(void *arg, mcps_list *l)
{
    (void)l;
    (*(int *)arg)++;
}

static void test_sync_stored(void)
{
    mcps_list *l = mcps_new();
    char got[256];
    mcps_add(l, "customer_mcp", "http://c/mcp", true, false);
    mcps_add(l, "old", "http://o/mcp", false, false);
    mcps_add(l, "pending", "http://p/mcp", false, true);
    mcps_add(l, "moved", "http://m1/mcp", false, false);
    mcps_set_registered(l, "moved", "http://m1/mcp", true);
    json_t *rows = json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "name", "customer_mcp", "url",
                             "http://evil/mcp", "name", "moved", "url", "http://m2/mcp", "name",
                             "new", "url", "http://n/mcp");

    /* rows read before a change of the list are dropped */
    unsigned long gen = mcps_generation(l);
    mcps_commit(l, "pending");
    CHECK_EQ_INT(mcps_sync_stored(l, rows, gen), -1);
    mcps_begin_remove(l, "pending"); /* being removed: left alone */

    /* old is dropped, moved takes the new URL, new is added; the static one wins */
    CHECK_EQ_INT(mcps_sync_stored(l, rows, mcps_generation(l)), 3);
    active_names(l, got, sizeof got);
    CHECK_EQ_STR(got, "customer_mcp,moved,new");
    json_t *moved = mcps_get(l, "moved");
    CHECK_EQ_STR(json_string_value(json_object_get(moved, "url")), "http://m2/mcp");
    CHECK(json_is_false(json_object_get(moved, "registered")));
    json_decref(moved);
    json_t *c = mcps_get(l, "customer_mcp");
    CHECK_EQ_STR(json_string_value(json_object_get(c, "url")), "http://c/mcp");
    json_decref(c);
    CHECK_EQ_INT(mcps_sync_stored(l, rows, mcps_generation(l)), 0);
    mcps_cancel_remove(l, "pending");
    CHECK_EQ_INT(mcps_sync_stored(l, rows, mcps_generation(l)), 1); /* now settled: dropped */

    /* the hook runs before active snapshots and gets, not before full ones */
    mcps_set_refresh(l, count_refresh, &refreshes);
    json_decref(mcps_snapshot(l, false));
    json_decref(mcps_get(l, "new"));
    json_decref(mcps_snapshot(l, true));
    CHECK_EQ_INT(refreshes, 2);
    json_decref(rows);
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

TEST_MAIN(TEST(test_names_and_urls), TEST(test_read_server), TEST(test_life_cycle), TEST(test_sync_stored),
          TEST(test_probe))
