/*
 * unit-tests: runs the suites of tests/unit (see test.h), all of them or
 * those whose name matches an argument. The suites are listed at build time
 * in unit_suites.h (tests/unit/CMakeLists.txt writes it).
 *
 * Exit status: 0 when every selected case passed, 1 when one failed (or a
 * setup did), 77 (TEST_SKIPPED) when every selected suite was skipped, 2
 * for a bad command line or a pattern that selects nothing (a typo must
 * not pass).
 */
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "xalloc.h"

int test_failures;
int test_checks;

#define UNIT_SUITE(name) extern const test_suite name##_suite;
#include "unit_suites.h"
#undef UNIT_SUITE

static const test_suite *const suites[] = {
#define UNIT_SUITE(name) &name##_suite,
#include "unit_suites.h"
#undef UNIT_SUITE
};

#define N_SUITES (sizeof suites / sizeof *suites)

typedef struct {
    int passed, failed, skipped_suites, ran_suites;
} tally;

/* True when no pattern is given or one matches "suite" or "suite/case". */
static bool selected(char **patterns, int n, const char *suite, const char *name)
{
    char full[256];

    if (n == 0)
        return true;
    snprintf(full, sizeof full, "%s/%s", suite, name);
    for (int i = 0; i < n; i++)
        if (fnmatch(patterns[i], suite, 0) == 0 || fnmatch(patterns[i], full, 0) == 0)
            return true;
    return false;
}

static void suite_run(const test_suite *s, char **patterns, int n, tally *t)
{
    bool started = false;

    for (size_t i = 0; i < s->n; i++) {
        if (!selected(patterns, n, s->name, s->cases[i].name))
            continue;
        if (!started) {
            started = true;
            int rc = s->setup ? s->setup() : 0;
            if (rc == TEST_SKIPPED) {
                printf("skip %s\n", s->name);
                t->skipped_suites++;
                return;
            }
            if (rc != 0) {
                printf("FAIL %s (setup)\n", s->name);
                t->failed++;
                return;
            }
            t->ran_suites++;
        }
        int before = test_failures;
        s->cases[i].fn();
        if (test_failures == before) {
            t->passed++;
            printf("ok   %s/%s\n", s->name, s->cases[i].name);
        } else {
            t->failed++;
            printf("FAIL %s/%s\n", s->name, s->cases[i].name);
        }
        fflush(stdout);
    }
    if (started && s->teardown)
        s->teardown();
}

int main(int argc, char **argv)
{
    tally t = {0};

    xalloc_init(); /* jansson allocates as the binaries do */
    if (argc == 2 && (strcmp(argv[1], "--list") == 0 || strcmp(argv[1], "-l") == 0)) {
        for (size_t i = 0; i < N_SUITES; i++)
            for (size_t j = 0; j < suites[i]->n; j++)
                printf("%s/%s\n", suites[i]->name, suites[i]->cases[j].name);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [--list] [suite-or-suite/case-pattern...]\n", argv[0]);
            return 2;
        }
    }
    for (size_t i = 0; i < N_SUITES; i++)
        suite_run(suites[i], argv + 1, argc - 1, &t);
    printf("%d passed, %d failed, %d skipped\n", t.passed, t.failed, t.skipped_suites);
    if (t.failed)
        return 1;
    if (t.ran_suites == 0 && t.skipped_suites > 0)
        return TEST_SKIPPED;
    if (t.ran_suites == 0) {
        fprintf(stderr, "no test matches");
        for (int i = 1; i < argc; i++)
            fprintf(stderr, " %s", argv[i]);
        fprintf(stderr, " (unit-tests --list)\n");
        return 2;
    }
    return 0;
}
