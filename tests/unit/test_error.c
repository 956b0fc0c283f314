/* Unit tests for common/error: the caller's struct gets the code and one line of text. */
#include <string.h>

#include "error.h"
#include "test.h"

static void test_set_fills_code_and_text(void)
{
    error_info err;
    CHECK(error_set(&err, -3, "query %s failed: %d", "find", 7) == -3);
    CHECK(err.code == -3);
    CHECK(strcmp(err.text, "query find failed: 7") == 0);
}

static void test_text_folds_onto_one_line(void)
{
    error_info err;
    error_set(&err, -1, "ERROR:  duplicate key\nDETAIL:\tKey (id)=(A) exists.\n");
    CHECK(strcmp(err.text, "ERROR:  duplicate key DETAIL: Key (id)=(A) exists.") == 0);
}

static void test_long_text_is_cut_not_overrun(void)
{
    char big[2 * ERROR_TEXT_MAX];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    error_info err;
    error_set(&err, -2, "%s", big);
    CHECK(strlen(err.text) == ERROR_TEXT_MAX - 1);
}

static void test_null_is_allowed_and_clear_empties(void)
{
    CHECK(error_set(NULL, -4, "nobody listens") == -4);
    error_clear(NULL);
    error_info err;
    error_set(&err, -4, "something");
    error_clear(&err);
    CHECK(err.code == 0 && err.text[0] == '\0');
}

TEST_MAIN(TEST(test_set_fills_code_and_text), TEST(test_text_folds_onto_one_line),
          TEST(test_long_text_is_cut_not_overrun), TEST(test_null_is_allowed_and_clear_empties))
