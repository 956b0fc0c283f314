/*
 * Unit tests of chat_events: every recorded Llama Stack / OGX stream in
 * tests/fixtures/<name>.sse goes through sse_parser and the translator; the
 * browser events must equal tests/fixtures/<name>.events (one per line:
 * event name, a tab, the data as compact JSON with sorted keys). Streams
 * without a terminal event are failed the way chat_turn does. Set
 * FANTACO_UPDATE_GOLDEN=1 to rewrite the .events files after a reviewed change.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_events.h"
#include "sse_parser.h"
#include "test.h"
#include "xalloc.h"

typedef struct {
    char *out;
    size_t len;
    chat_translator *tr;
} run_state;

static long long fake_now;

static long long fake_clock(void)
{
    return fake_now += 7;
}

static void record(const char *event, json_t *data, void *arg)
{
    run_state *st = arg;
    char *json = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    char *line = xasprintf("%s\t%s\n", event, json);
    st->out = xrealloc(st->out, st->len + strlen(line) + 1);
    memcpy(st->out + st->len, line, strlen(line) + 1);
    st->len += strlen(line);
    free(line);
    free(json);
    json_decref(data);
}

static int feed(const char *data, size_t len, void *arg)
{
    run_state *st = arg;
    chat_translator_feed(st->tr, data, len);
    return 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0, got;
    char chunk[4096];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf = xrealloc(buf, (cap = n + got + 1));
        memcpy(buf + n, chunk, got);
        n += got;
    }
    fclose(f);
    if (!buf)
        buf = xcalloc(1, 1);
    buf[n] = '\0';
    *len = n;
    (void)cap;
    return buf;
}

/* The translator's output for one .sse fixture, fed in 97-byte pieces. */
static char *translate_file(const char *path)
{
    size_t len = 0;
    char *text = read_file(path, &len);
    CHECK(text != NULL);
    run_state st = {.out = xcalloc(1, 1)};
    fake_now = 1000;
    st.tr = chat_translator_new(record, &st, fake_clock, "test");
    sse_parser p;
    sse_parser_init(&p, 1 << 20, feed, &st);
    for (size_t at = 0; text && at < len; at += 97)
        CHECK_EQ_INT(sse_parser_feed(&p, text + at, len - at < 97 ? len - at : 97), SSE_OK);
    CHECK_EQ_INT(sse_parser_finish(&p), SSE_OK);
    if (!chat_translator_finished(st.tr))
        chat_translator_fail(st.tr, "the stream ended early");
    sse_parser_cleanup(&p);
    chat_translator_free(st.tr);
    free(text);
    return st.out;
}

static void check_fixture(const char *dir, const char *name)
{
    char *sse = xasprintf("%s/%s", dir, name);
    char *golden = xasprintf("%.*s.events", (int)(strlen(sse) - 4), sse);
    char *got = translate_file(sse);
    size_t len = 0;
    char *want = read_file(golden, &len);
    if (getenv("FANTACO_UPDATE_GOLDEN")) {
        FILE *f = fopen(golden, "wb");
        CHECK(f != NULL);
        if (f) {
            fputs(got, f);
            fclose(f);
        }
    } else if (!want || strcmp(want, got) != 0) {
        fprintf(stderr, "%s: translation differs from %s:\n%s\n", name, golden, got);
        CHECK(0);
    }
    free(want);
    free(got);
    free(golden);
    free(sse);
}

static void test_fixtures_translate_as_recorded(void)
{
    DIR *d = opendir(AGENT_FIXTURES);
    CHECK(d != NULL);
    int count = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".sse") == 0) {
            check_fixture(AGENT_FIXTURES, e->d_name);
            count++;
        }
    }
    if (d)
        closedir(d);
    CHECK(count >= 10);
}

/* Translates one fixture and returns its output (for targeted checks). */
static char *output_of(const char *name)
{
    char *path = xasprintf("%s/%s", AGENT_FIXTURES, name);
    char *out = translate_file(path);
    free(path);
    return out;
}

static int count_lines_starting(const char *text, const char *prefix)
{
    int n = 0;
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        n += strncmp(p, prefix, strlen(prefix)) == 0;
    return n;
}

static void test_every_release_gives_the_same_turn(void)
{
    const char *names[] = {"llama-0.3.5-orders.sse", "llama-0.7.3-orders.sse",
                           "ogx-1.5.0-orders.sse"};
    for (size_t i = 0; i < 3; i++) {
        char *out = output_of(names[i]);
        CHECK_EQ_INT(count_lines_starting(out, "tool_call\t"), 2);
        CHECK_EQ_INT(count_lines_starting(out, "tool_result\t"), 2);
        CHECK_EQ_INT(count_lines_starting(out, "done\t"), 1);
        CHECK_EQ_INT(count_lines_starting(out, "error\t"), 0);
        CHECK(strstr(out, "\"arguments\":{\"contact_email\":\"thomashardy@example.com\"}") != NULL);
        CHECK(strstr(out, "\"arguments\":{\"customer_id\":\"AROUT\"}") != NULL);
        CHECK(strstr(out, "\"server\":\"finance_mcp\"") != NULL);
        CHECK(strstr(out, "ORD-008") != NULL);
        free(out);
    }
}

static void test_upstream_error_text_is_not_passed_on(void)
{
    char *out = output_of("hand-failed.sse");
    CHECK(strstr(out, "secret upstream detail") == NULL);
    CHECK(strstr(out, "after the end") == NULL);
    CHECK_EQ_INT(count_lines_starting(out, "error\t"), 1);
    /* the announced call is closed with an error before the turn's error */
    CHECK(strstr(out, "tool_result\t{\"durationMs\"") != NULL);
    free(out);
}

static void test_not_json_is_reported(void)
{
    run_state st = {.out = xcalloc(1, 1)};
    st.tr = chat_translator_new(record, &st, fake_clock, "t");
    CHECK_EQ_INT(chat_translator_feed(st.tr, "<html>", 6), -1);
    CHECK_EQ_INT(chat_translator_feed(st.tr, "[1]", 3), -1);
    CHECK_EQ_INT(chat_translator_feed(st.tr, "{}", 2), 0);
    CHECK(!chat_translator_finished(st.tr));
    CHECK_EQ_STR(st.out, "");
    chat_translator_free(st.tr);
    free(st.out);
}

TEST_MAIN(TEST(test_fixtures_translate_as_recorded), TEST(test_every_release_gives_the_same_turn),
          TEST(test_upstream_error_text_is_not_passed_on), TEST(test_not_json_is_reported))
