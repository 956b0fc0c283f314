/*
 * fuzz.h: what every libFuzzer target of tests/fuzz shares. A target
 * defines LLVMFuzzerTestOneInput (declared here, for -Wmissing-prototypes)
 * and checks the parser's own promises with FUZZ_ASSERT, so a wrong answer
 * is a crash that libFuzzer reports and keeps, like a memory error.
 */
#ifndef FANTACO_FUZZ_H
#define FANTACO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* libFuzzer calls this once before the first input: jansson allocates as the binaries do. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    xalloc_init();
    return 0;
}

#define FUZZ_ASSERT(cond)                                                                   \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n", __FILE__, __LINE__, #cond);  \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

/* A NUL-terminated copy of data[0..size) (embedded NULs cut it short); the caller frees it. */
static inline char *fuzz_cstr_new(const uint8_t *data, size_t size)
{
    return xstrndup((const char *)data, size);
}

/*
 * Splits data at its first '\n' into two NUL-terminated copies (the second
 * is "" when there is no '\n'), for targets that take two strings.
 */
static inline void fuzz_split_new(const uint8_t *data, size_t size, char **first, char **second)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t n = nl ? (size_t)(nl - data) : size;
    *first = xstrndup((const char *)data, n);
    *second = nl ? xstrndup((const char *)nl + 1, size - n - 1) : xstrdup("");
}

#endif
