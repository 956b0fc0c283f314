/* Unit tests for common/trace: W3C traceparent validation and the traceparent of a child call. */
#include <string.h>

#include "test.h"
#include "trace.h"

#define TID "4bf92f3577b34da6a3ce929d0e0e4736"
#define GOOD "00-" TID "-00f067aa0ba902b7-01"

static void test_valid(void)
{
    trace_context t;
    CHECK(trace_parse(GOOD, "congo=t61rcWkgMzE", &t));
    CHECK_EQ_STR(t.trace_id, TID);
    CHECK_EQ_STR(t.flags, "01");
    CHECK_EQ_STR(t.state, "congo=t61rcWkgMzE");
    /* a later version may append fields */
    CHECK(trace_parse("01-" TID "-00f067aa0ba902b7-00-what-ever", NULL, &t));
    CHECK_EQ_STR(t.state, "");
}

static void test_invalid(void)
{
    trace_context t;
    const char *bad[] = {
        NULL, "", "00-" TID "-00f067aa0ba902b7", "00-" TID "-00f067aa0ba902b7-01-extra",
        "ff-" TID "-00f067aa0ba902b7-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-" TID "-0000000000000000-01", "00-" TID "-00f067aa0ba902b7-0x", "00_" TID "-00f067aa0ba902b7-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(!trace_parse(bad[i], NULL, &t));
}

static void test_state_dropped_when_unfit(void)
{
    trace_context t;
    char big[TRACE_STATE_MAX + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK(trace_parse(GOOD, big, &t));
    CHECK_EQ_STR(t.state, "");
    CHECK(trace_parse(GOOD, "a=b\r\nX-Injected: 1", &t));
    CHECK_EQ_STR(t.state, "");
}

static void test_child(void)
{
    trace_context t, child;
    char buf[64];
    CHECK(trace_parse(GOOD, NULL, &t));
    trace_child_parent(&t, buf, sizeof buf);
    CHECK(trace_parse(buf, NULL, &child));
    CHECK_EQ_STR(child.trace_id, TID);
    CHECK(strncmp(buf + 36, "00f067aa0ba902b7", 16) != 0); /* this hop is the new parent */
}

static void test_new(void)
{
    trace_context a, b, parsed;
    char buf[64];
    trace_new(&a);
    trace_new(&b);
    CHECK(strlen(a.trace_id) == 32 && strcmp(a.trace_id, b.trace_id) != 0);
    CHECK_EQ_STR(a.flags, "01");
    CHECK_EQ_STR(a.state, "");
    trace_child_parent(&a, buf, sizeof buf);
    CHECK(trace_parse(buf, NULL, &parsed)); /* a valid traceparent: lower-case hex, not zero */
    CHECK_EQ_STR(parsed.trace_id, a.trace_id);
}

TEST_MAIN(TEST(test_valid), TEST(test_invalid), TEST(test_state_dropped_when_unfit),
          TEST(test_child), TEST(test_new))
