/* Unit tests for common/utf8: validation, length in code points, stepping, folding. */
#include <stdlib.h>

#include "test.h"
#include "utf8.h"

static void test_valid(void)
{
    CHECK(utf8_valid("plain ascii", 11));
    CHECK(utf8_valid("Berglunds snabbk\xc3\xb6p", 18));
    CHECK(!utf8_valid("\xff", 1));
    CHECK(!utf8_valid("\xc3", 1));             /* truncated */
    CHECK(!utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    CHECK(!utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    CHECK(!utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
    CHECK(utf8_valid("\xf0\x9f\x98\x80", 4));  /* emoji */
}

static void test_length(void)
{
    CHECK_EQ_INT(utf8_length("abc", 3), 3);
    CHECK_EQ_INT(utf8_length("\xc3\x96\xc3\x96", 4), 2);
}

static void test_char_len(void)
{
    CHECK_EQ_INT(utf8_char_len("ab", 2), 1);
    CHECK_EQ_INT(utf8_char_len("\xc3\xb6" "a", 3), 2);
    CHECK_EQ_INT(utf8_char_len("\xe2\x82\xac", 3), 3);     /* euro sign */
    CHECK_EQ_INT(utf8_char_len("\xf0\x9f\x98\x80", 4), 4); /* emoji */
    /* what starts no character is a character of one byte */
    CHECK_EQ_INT(utf8_char_len("\xff", 1), 1);
    CHECK_EQ_INT(utf8_char_len("\xb6" "a", 2), 1);         /* stray continuation byte */
    CHECK_EQ_INT(utf8_char_len("\xc3", 1), 1);          /* cut at the end of the text */
    CHECK_EQ_INT(utf8_char_len("\xc3" "a", 2), 1);      /* lead byte without its continuation */
    CHECK_EQ_INT(utf8_char_len("\xe2\x82" "a", 3), 1); /* a continuation byte short */
    CHECK_EQ_INT(utf8_char_len("\xc0\xaf", 2), 1);     /* overlong */
    CHECK_EQ_INT(utf8_char_len("\xed\xa0\x80", 3), 1); /* surrogate */
}

static void test_fold(void)
{
    char *s = utf8_fold_new("SNABBK\xc3\x96P", 9);
    CHECK_EQ_STR(s, "snabbk\xc3\xb6p");
    free(s);
    s = utf8_fold_new("\xc3\x85\xc3\x84\xc3\x96 \xce\xa3", 9); /* ÅÄÖ Σ */
    CHECK_EQ_STR(s, "\xc3\xa5\xc3\xa4\xc3\xb6 \xcf\x83");
    free(s);
    CHECK(utf8_fold_new("\xff", 1) == NULL);
}

TEST_MAIN(TEST(test_valid), TEST(test_length), TEST(test_char_len), TEST(test_fold))
