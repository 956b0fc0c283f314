/*
 * fuzz_utf8: common/utf8.c's promises on arbitrary bytes: folding succeeds
 * exactly on valid text, keeps it valid and keeps its number of code
 * points; a prefix never ends inside a character.
 */
#include "fuzz.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    bool valid = utf8_valid(s, size);
    char *folded = utf8_fold_new(s, size);
    FUZZ_ASSERT((folded != NULL) == valid);
    if (folded) {
        size_t n = strlen(folded);
        FUZZ_ASSERT(utf8_valid(folded, n));
        if (!memchr(s, '\0', size)) /* an embedded NUL would end the folded C string early */
            FUZZ_ASSERT(utf8_length(folded, n) == utf8_length(s, size));
        char *again = utf8_fold_new(folded, n);
        FUZZ_ASSERT(again != NULL);
        free(again);
    }
    free(folded);

    char *cstr = fuzz_cstr_new(data, size);
    size_t len = strlen(cstr), max = size ? data[0] % 8 : 0;
    int cut = utf8_prefix(cstr, max);
    FUZZ_ASSERT(cut >= 0 && (size_t)cut <= max && (size_t)cut <= len);
    if (utf8_valid(cstr, len))
        FUZZ_ASSERT(utf8_valid(cstr, (size_t)cut));
    free(cstr);
    return 0;
}
