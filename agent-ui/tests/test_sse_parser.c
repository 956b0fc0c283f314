/* Unit tests of sse_parser: line endings, chunk boundaries, limits. */
#include <stdlib.h>
#include <string.h>

#include "sse_parser.h"
#include "test.h"

typedef struct {
    char events[16][128];
    int n;
    int stop_after; /* 0: never */
} collected;

static int collect(const char *data, size_t len, void *arg)
{
    collected *c = arg;
    CHECK_EQ_INT(strlen(data), len);
    if (c->n < 16)
        snprintf(c->events[c->n], sizeof c->events[0], "%s", data);
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

/* Feeds text in pieces of `step` bytes (0: all at once) and finishes. */
static int parse(const char *text, size_t step, collected *c, size_t max)
{
    sse_parser p;
    sse_parser_init(&p, max, collect, c);
    size_t len = strlen(text), at = 0;
    int rc = SSE_OK;
    while (rc == SSE_OK && at < len) {
        size_t n = step && step < len - at ? step : len - at;
        rc = sse_parser_feed(&p, text + at, n);
        at += n;
    }
    if (rc == SSE_OK)
        rc = sse_parser_finish(&p);
    sse_parser_cleanup(&p);
    return rc;
}

static const char *const stream = ": comment\r\nevent: x\r\ndata: {\"a\":1}\r\n\r\n"
                                  "data:no-space\n\n"
                                  "data: line1\ndata: line2\nid: 7\n\n"
                                  "data\n\n"
                                  "data: cr only\r\r"
                                  "retry: 10\n\n"
                                  "data: tail without blank line";

static void check_stream_events(const collected *c)
{
    CHECK_EQ_INT(c->n, 6);
    CHECK_EQ_STR(c->events[0], "{\"a\":1}");
    CHECK_EQ_STR(c->events[1], "no-space");
    CHECK_EQ_STR(c->events[2], "line1\nline2");
    CHECK_EQ_STR(c->events[3], "");
    CHECK_EQ_STR(c->events[4], "cr only");
    CHECK_EQ_STR(c->events[5], "tail without blank line");
}

static void test_whole_stream(void)
{
    collected c = {0};
    CHECK_EQ_INT(parse(stream, 0, &c, 1024), SSE_OK);
    check_stream_events(&c);
}

static void test_every_chunk_size_gives_the_same_events(void)
{
    for (size_t step = 1; step <= strlen(stream); step++) {
        collected c = {0};
        CHECK_EQ_INT(parse(stream, step, &c, 1024), SSE_OK);
        check_stream_events(&c);
    }
}

static void test_blank_lines_alone_make_no_events(void)
{
    collected c = {0};
    CHECK_EQ_INT(parse("\n\n\r\n: only comments\n\n", 0, &c, 64), SSE_OK);
    CHECK_EQ_INT(c.n, 0);
}

static void test_oversized_line_is_an_error(void)
{
    collected c = {0};
    char big[200];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_EQ_INT(parse(big, 7, &c, 64), SSE_ETOOBIG);
    CHECK_EQ_INT(c.n, 0);
}

static void test_oversized_event_is_an_error(void)
{
    collected c = {0};
    CHECK_EQ_INT(parse("data: 0123456789\ndata: 0123456789\ndata: 0123456789\n\n", 0, &c, 30),
                 SSE_ETOOBIG);
}

static void test_callback_can_stop(void)
{
    collected c = {.stop_after = 2};
    CHECK_EQ_INT(parse("data: 1\n\ndata: 2\n\ndata: 3\n\n", 0, &c, 64), SSE_ESTOPPED);
    CHECK_EQ_INT(c.n, 2);
}

TEST_MAIN(TEST(test_whole_stream), TEST(test_every_chunk_size_gives_the_same_events),
          TEST(test_blank_lines_alone_make_no_events), TEST(test_oversized_line_is_an_error),
          TEST(test_oversized_event_is_an_error), TEST(test_callback_can_stop))
