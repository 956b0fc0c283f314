/*
 * test.h: the project's tiny unit-test harness. A test file defines
 * `static void test_x(void)` functions and lists them in TEST_MAIN; each
 * failed CHECK prints file:line and the run exits non-zero. The last line
 * is "N passed, M failed" so CI can read the result.
 */
#ifndef FANTACO_TEST_H
#define FANTACO_TEST_H

#include <stdio.h>
#include <string.h>

#include "xalloc.h"

static int test_failures;
static int test_checks;

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        test_checks++;                                                                      \
        if (!(cond)) {                                                                      \
            test_failures++;                                                                \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);        \
        }                                                                                   \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                  \
    do {                                                                                    \
        long long va_ = (long long)(a), vb_ = (long long)(b);                               \
        test_checks++;                                                                      \
        if (va_ != vb_) {                                                                   \
            test_failures++;                                                                \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, #a,  \
                    #b, va_, vb_);                                                          \
        }                                                                                   \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                                  \
    do {                                                                                    \
        const char *sa_ = (a), *sb_ = (b);                                                  \
        test_checks++;                                                                      \
        if ((sa_ || sb_) && (!sa_ || !sb_ || strcmp(sa_, sb_) != 0)) {                                        \
            test_failures++;                                                                \
            fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
                    #a, #b, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");                    \
        }                                                                                   \
    } while (0)

/* Exit status of a test program that could not run its checks here; ctest
 * reports it as "Skipped" (SKIP_RETURN_CODE), never as passed. */
#define TEST_SKIPPED 77

typedef struct {
    const char *name;
    void (*fn)(void);
} test_case;

/* Runs each case, prints one line per case and the closing summary. */
static inline int test_run(const test_case *cases, size_t n)
{
    int passed = 0, failed = 0;
    xalloc_init(); /* jansson allocates as the binaries do */
    for (size_t i = 0; i < n; i++) {
        int before = test_failures;
        cases[i].fn();
        if (test_failures == before) {
            passed++;
            printf("ok   %s\n", cases[i].name);
        } else {
            failed++;
            printf("FAIL %s\n", cases[i].name);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#define TEST(fn) {#fn, fn}
#define TEST_MAIN(...)                                                                      \
    int main(void)                                                                          \
    {                                                                                       \
        static const test_case cases_[] = {__VA_ARGS__};                                    \
        return test_run(cases_, sizeof cases_ / sizeof *cases_);                            \
    }

#endif
