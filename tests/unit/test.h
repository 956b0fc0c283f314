/*
 * test.h: the project's tiny unit-test harness, libuv's way. A test file
 * test_<suite>.c defines `static void test_x(void)` functions and lists
 * them in TEST_MAIN (a suite named after the file) or TEST_SUITE /
 * TEST_SUITE_FULL (a suite with its own name, setup and teardown). All
 * suites link into one runner, unit-tests (unit_tests.c):
 *
 *   unit-tests                    every suite
 *   unit-tests 'mcp_*' db         the suites whose names match (fnmatch)
 *   unit-tests 'db/test_url_*'    single cases, as suite/case
 *   unit-tests --list             the names
 *
 * Each failed CHECK prints file:line; the last line is "N passed, M failed,
 * K skipped". ctest runs each suite as a test of its own (`unit-tests
 * <suite>`), so `ctest -R <suite>` and the valgrind stage see them by name.
 */
#ifndef FANTACO_TEST_H
#define FANTACO_TEST_H

#include <stdio.h>
#include <string.h>

/* Counted by the CHECK macros; defined in unit_tests.c. */
extern int test_failures;
extern int test_checks;

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

/* What a suite's setup returns when its checks cannot run here (a service
 * it needs is not configured); the runner exits with it when nothing else
 * ran, and ctest reports it as "Skipped" (SKIP_RETURN_CODE), never as
 * passed. */
#define TEST_SKIPPED 77

typedef struct {
    const char *name;
    void (*fn)(void);
} test_case;

/* setup runs before the suite's first selected case: 0 goes on,
 * TEST_SKIPPED skips the suite, anything else fails it. teardown runs
 * after its last case. Both may be NULL. */
typedef struct {
    const char *name;
    const test_case *cases;
    size_t n;
    int (*setup)(void);
    void (*teardown)(void);
} test_suite;

#define TEST(fn) {#fn, fn}

#define TEST_SUITE_FULL(suite, setup_fn, teardown_fn, ...)                                  \
    static const test_case suite##_cases_[] = {__VA_ARGS__};                                \
    extern const test_suite suite##_suite;                                                  \
    const test_suite suite##_suite = {#suite, suite##_cases_,                               \
                                      sizeof suite##_cases_ / sizeof *suite##_cases_,       \
                                      setup_fn, teardown_fn}
#define TEST_SUITE(suite, ...) TEST_SUITE_FULL(suite, NULL, NULL, __VA_ARGS__)

/* The suite of test_<name>.c, named <name>: the build defines
 * TEST_SUITE_NAME for each file (fantaco_unit_test in CMakeLists.txt). */
#define TEST_SUITE_NAMED_(suite, ...) TEST_SUITE(suite, __VA_ARGS__)
#define TEST_MAIN(...) TEST_SUITE_NAMED_(TEST_SUITE_NAME, __VA_ARGS__);

#endif
