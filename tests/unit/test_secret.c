/* Unit tests for common/secret: equal only when equal, whatever the lengths. */
#include "secret.h"
#include "test.h"

static void test_equal_strings_match(void)
{
    CHECK(secret_equal("0123456789abcdef", "0123456789abcdef"));
    CHECK(secret_equal("", ""));
}

static void test_any_difference_refuses(void)
{
    CHECK(!secret_equal("0123456789abcdeF", "0123456789abcdef")); /* last byte */
    CHECK(!secret_equal("x123456789abcdef", "0123456789abcdef")); /* first byte */
    CHECK(!secret_equal("0123456789abcde", "0123456789abcdef")); /* a prefix */
    CHECK(!secret_equal("0123456789abcdef0", "0123456789abcdef")); /* longer */
    CHECK(!secret_equal("", "0123456789abcdef"));
    CHECK(!secret_equal("abcabc", "abc")); /* a repetition of the secret */
}

TEST_MAIN(TEST(test_equal_strings_match), TEST(test_any_difference_refuses))
