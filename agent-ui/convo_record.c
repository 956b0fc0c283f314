/* convo_record: a chat turn's browser events, bounded, for its transcript (see convo_record.h). */
#include "convo_record.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

/* Room kept for the events that end the turn or decide an approval, which are always kept. */
#define RESERVE_BYTES 4096
#define BUDGET (CONVO_MAX_TURN_BYTES - RESERVE_BYTES)

struct convo_record {
    json_t *events;
    size_t bytes; /* about what the events take as JSON */
    bool cut;
    char *text; /* the text deltas since the last other event, gathered into one */
    size_t text_len, text_cap;
};

convo_record *convo_record_new(void)
{
    convo_record *r = xcalloc(1, sizeof *r);
    r->events = json_array();
    return r;
}

void convo_record_free(convo_record *r)
{
    if (!r)
        return;
    json_decref(r->events);
    free(r->text);
    free(r);
}

/* Cuts a long string member of obj to CONVO_MAX_OUTPUT_BYTES at a character boundary. */
static void cut_member(json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v) || json_string_length(v) <= CONVO_MAX_OUTPUT_BYTES)
        return;
    const char *s = json_string_value(v);
    int keep = utf8_prefix(s, CONVO_MAX_OUTPUT_BYTES);
    char *cut = xasprintf("%.*s…", keep, s);
    json_object_set_new(obj, key, json_string(cut));
    free(cut);
}

/* Appends a text delta to the text run being gathered. */
static void gather_text(convo_record *r, const json_t *data)
{
    const char *delta = json_string_value(json_object_get(data, "delta"));
    size_t n = delta ? strlen(delta) : 0;
    if (r->text_len + n + 1 > r->text_cap) {
        r->text_cap = (r->text_len + n + 1) * 2;
        r->text = xrealloc(r->text, r->text_cap);
    }
    memcpy(r->text + r->text_len, delta ? delta : "", n);
    r->text_len += n;
    r->text[r->text_len] = '\0';
}

/* Ends the text run gathered so far with one text event. */
static void flush_text(convo_record *r)
{
    if (r->text_len == 0)
        return;
    json_array_append_new(r->events, json_pack("{s:s, s:{s:s%}}", "event", "text", "data", "delta",
                                               r->text, r->text_len));
    r->text_len = 0;
}

static bool always_kept(const char *event)
{
    return strcmp(event, "done") == 0 || strcmp(event, "error") == 0 ||
           strcmp(event, "approval_result") == 0;
}

void convo_record_add(convo_record *r, const char *event, const json_t *data)
{
    if (strcmp(event, "text") == 0) {
        const char *delta = json_string_value(json_object_get(data, "delta"));
        size_t size = delta ? strlen(delta) + 8 : 0; /* + escapes, roughly */
        if (r->bytes + size <= BUDGET) {
            r->bytes += size;
            gather_text(r, data);
            return;
        }
    }
    flush_text(r);
    json_t *copy = json_deep_copy(data);
    cut_member(copy, "output");
    cut_member(copy, "error");
    char *text = json_dumps(copy, JSON_COMPACT);
    size_t size = (text ? strlen(text) : 0) + strlen(event) + 24;
    free(text);
    if (r->bytes + size > BUDGET && !always_kept(event)) {
        if (!r->cut)
            json_array_append_new(r->events, json_pack("{s:s, s:{}}", "event", "cut", "data"));
        r->cut = true;
        json_decref(copy);
        return;
    }
    r->bytes += size;
    json_array_append_new(r->events, json_pack("{s:s, s:o}", "event", event, "data", copy));
}

const json_t *convo_record_events(convo_record *r)
{
    flush_text(r);
    return r->events;
}

const char *convo_record_response_id(convo_record *r)
{
    flush_text(r);
    size_t n = json_array_size(r->events);
    const json_t *last = n ? json_array_get(r->events, n - 1) : NULL;
    if (!last || strcmp(json_string_value(json_object_get(last, "event")), "done") != 0)
        return NULL;
    return json_string_value(json_object_get(json_object_get(last, "data"), "responseId"));
}
