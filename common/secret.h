/* secret: comparing secrets (tokens, bearer ids) without revealing a matching prefix. */
#ifndef FANTACO_SECRET_H
#define FANTACO_SECRET_H

#include <stdbool.h>

/*
 * True when given equals expected. The time taken depends on expected's
 * length only, never on where the strings first differ.
 */
bool secret_equal(const char *given, const char *expected);

#endif
