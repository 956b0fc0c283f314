/* Unit tests of registrar: registration, "already registered", no route, failures, prompt stop. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fake_llama.h"
#include "http_client.h"
#include "registrar.h"
#include "test.h"

static const reg_timing timing = {.first_retry_ms = 50, .max_retry_ms = 200, .recheck_ms = 60000};

static bool registered(mcps_list *l, const char *name)
{
    json_t *s = mcps_get(l, name);
    bool r = json_is_true(json_object_get(s, "registered"));
    json_decref(s);
    return r;
}

static void test_registers_each_server_once(void)
{
    fake_llama f = {0};
    fake_llama_start(&f);
    llama_client c = {.base_url = f.url, .connect_timeout_ms = 1000, .timeout_ms = 3000};
    mcps_list *l = mcps_new();
    mcps_add(l, "customer_mcp", "http://127.0.0.1:9001/mcp", true, false);
    mcps_add(l, "finance_mcp", "http://127.0.0.1:9002/mcp", true, false);
    registrar *r = registrar_new(&c, l, timing);
    CHECK_EQ_INT(registrar_sync(r, NULL), UPSTREAM_OK);
    CHECK_EQ_INT(f.registers, 2);
    CHECK(registered(l, "customer_mcp") && registered(l, "finance_mcp"));
    CHECK_EQ_INT(registrar_route(r), REG_ROUTE_PRESENT);
    CHECK_EQ_INT(registrar_sync(r, NULL), UPSTREAM_OK); /* already registered: nothing to do */
    CHECK_EQ_INT(f.registers, 2);
    json_t *st = registrar_status(r);
    CHECK(json_is_true(json_object_get(st, "reachable")));
    CHECK_EQ_STR(json_string_value(json_object_get(st, "version")), "9.9.9");
    CHECK(json_is_true(json_object_get(st, "toolgroupsApi")));
    json_decref(st);
    registrar_free(r);
    mcps_free(l);
    fake_llama_stop(&f);
}

static void test_moved_group_is_replaced_and_refusal_forgiven_when_listed(void)
{
    fake_llama f = {0};
    fake_llama_start(&f);
    json_array_append_new(f.groups, json_pack("{s:s, s:{s:s}}", "identifier", "customer_mcp",
                                              "mcp_endpoint", "uri", "http://old/mcp"));
    llama_client c = {.base_url = f.url, .connect_timeout_ms = 1000, .timeout_ms = 3000};
    mcps_list *l = mcps_new();
    mcps_add(l, "customer_mcp", "http://new/mcp", true, false);
    registrar *r = registrar_new(&c, l, timing);
    CHECK_EQ_INT(registrar_sync(r, NULL), UPSTREAM_OK);
    CHECK_EQ_INT(f.deletes, 1);
    CHECK_EQ_INT(f.registers, 1);
    CHECK(registered(l, "customer_mcp"));
    /* A refusal while the listing already has the group as wanted counts as success. */
    f.register_status = 400;
    error_info err;
    CHECK_EQ_INT(registrar_register(r, "customer_mcp", "http://new/mcp", &err), UPSTREAM_OK);
    CHECK_EQ_INT(err.code, 0); /* the forgiven POST leaves no error behind */
    CHECK_EQ_INT(registrar_register(r, "other", "http://o/mcp", &err), UPSTREAM_ESTATUS);
    CHECK(strstr(err.text, "Llama Stack POST /v1/toolgroups answered 400") == err.text);
    registrar_free(r);
    mcps_free(l);
    fake_llama_stop(&f);
}

static void test_release_without_route_registers_nothing(void)
{
    fake_llama f = {0};
    fake_llama_start(&f);
    f.has_toolgroups = false;
    llama_client c = {.base_url = f.url, .connect_timeout_ms = 1000, .timeout_ms = 3000};
    mcps_list *l = mcps_new();
    mcps_add(l, "customer_mcp", "http://127.0.0.1:9001/mcp", true, false);
    registrar *r = registrar_new(&c, l, timing);
    CHECK_EQ_INT(registrar_register(r, "x", "http://x/mcp", NULL), UPSTREAM_OK);
    error_info err = {.code = -99, .text = "stale"};
    CHECK_EQ_INT(registrar_sync(r, &err), UPSTREAM_OK);
    CHECK_EQ_INT(err.code, 0); /* the 404 that tells the route is absent is no failure */
    CHECK_EQ_STR(err.text, "");
    CHECK_EQ_INT(registrar_route(r), REG_ROUTE_ABSENT);
    CHECK_EQ_INT(f.registers, 0);
    CHECK(!registered(l, "customer_mcp"));
    CHECK_EQ_INT(registrar_unregister(r, "x", NULL), UPSTREAM_OK);
    CHECK_EQ_INT(f.deletes, 0);
    registrar_free(r);
    mcps_free(l);
    fake_llama_stop(&f);
}

static void test_failed_registration_is_retried_in_background(void)
{
    fake_llama f = {0};
    fake_llama_start(&f);
    f.register_status = 500;
    llama_client c = {.base_url = f.url, .connect_timeout_ms = 1000, .timeout_ms = 3000};
    mcps_list *l = mcps_new();
    mcps_add(l, "customer_mcp", "http://127.0.0.1:9001/mcp", true, false);
    registrar *r = registrar_new(&c, l, timing);
    CHECK_EQ_INT(registrar_start(r), 0);
    for (int i = 0; i < 200 && f.registers < 3; i++)
        fake_sleep_ms(10);
    CHECK(f.registers >= 3); /* 50, 100, 200 ms backoff */
    CHECK(!registered(l, "customer_mcp"));
    f.register_status = 200;
    for (int i = 0; i < 200 && !registered(l, "customer_mcp"); i++)
        fake_sleep_ms(10);
    CHECK(registered(l, "customer_mcp"));
    registrar_free(r);
    mcps_free(l);
    fake_llama_stop(&f);
}

static void test_unreachable_is_reported_and_stop_is_prompt(void)
{
    char dead[64];
    fake_dead_url(dead, sizeof dead);
    llama_client c = {.base_url = dead, .connect_timeout_ms = 500, .timeout_ms = 1000};
    mcps_list *l = mcps_new();
    registrar *r = registrar_new(&c, l, (reg_timing){50, 60000, 60000});
    CHECK_EQ_INT(registrar_start(r), 0);
    fake_sleep_ms(300); /* the thread now waits 100 ms or more for its next try */
    json_t *st = registrar_status(r);
    CHECK(json_is_false(json_object_get(st, "reachable")));
    CHECK_EQ_STR(json_string_value(json_object_get(st, "lastError")), "not reachable");
    json_decref(st);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    registrar_stop(r);
    clock_gettime(CLOCK_MONOTONIC, &b);
    CHECK((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 600);
    registrar_free(r);
    mcps_free(l);
}

static void test_not_configured(void)
{
    llama_client c = {0};
    mcps_list *l = mcps_new();
    registrar *r = registrar_new(&c, l, timing);
    CHECK_EQ_INT(registrar_start(r), 0);
    CHECK_EQ_INT(registrar_sync(r, NULL), UPSTREAM_ENOTCONFIGURED);
    CHECK_EQ_INT(registrar_register(r, "x", "http://x/mcp", NULL), UPSTREAM_OK);
    json_t *st = registrar_status(r);
    CHECK(json_is_false(json_object_get(st, "configured")));
    CHECK(json_is_null(json_object_get(st, "url")));
    json_decref(st);
    registrar_free(r);
    mcps_free(l);
}

static void cleanup(void)
{
    http_client_thread_cleanup();
}

TEST_MAIN(TEST(test_registers_each_server_once),
          TEST(test_moved_group_is_replaced_and_refusal_forgiven_when_listed),
          TEST(test_release_without_route_registers_nothing),
          TEST(test_failed_registration_is_retried_in_background),
          TEST(test_unreachable_is_reported_and_stop_is_prompt), TEST(test_not_configured),
          TEST(cleanup))
