/*
 * fuzz_sse_parser: agent-ui/sse_parser.c fed the input in pieces whose
 * sizes come from the first byte, as the network would cut a stream (a
 * "\r\n" split across two reads included), with a small event limit so the
 * too-big path runs too.
 */
#include "fuzz.h"
#include "sse_parser.h"

#define FUZZ_SSE_MAX_EVENT 512

static int on_event(const char *data, size_t len, void *arg)
{
    size_t *events = arg;
    FUZZ_ASSERT(len <= FUZZ_SSE_MAX_EVENT);
    FUZZ_ASSERT(data[len] == '\0');
    (*events)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t piece = (size_t)(data[0] % 17) + 1, events = 0;
    const char *bytes = (const char *)data + 1;
    size_t left = size - 1;
    sse_parser p;
    sse_parser_init(&p, FUZZ_SSE_MAX_EVENT, on_event, &events);
    int rc = SSE_OK;
    while (left > 0 && rc == SSE_OK) {
        size_t n = left < piece ? left : piece;
        rc = sse_parser_feed(&p, bytes, n);
        bytes += n, left -= n;
    }
    if (rc == SSE_OK)
        rc = sse_parser_finish(&p);
    FUZZ_ASSERT(rc == SSE_OK || rc == SSE_ETOOBIG);
    sse_parser_cleanup(&p);
    return 0;
}
