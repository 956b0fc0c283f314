/*
 * xalloc: the project's out-of-memory policy, decided once. These servers
 * cannot do anything useful without memory, so allocation failure aborts
 * with a message instead of threading NULL checks through every caller.
 */
#ifndef FANTACO_XALLOC_H
#define FANTACO_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Routes jansson's allocations through this policy too, so that a NULL
 * from jansson means bad input (or a wrong type), never "no memory". Call
 * once at start-up before the first jansson call: app_main, the unit-test
 * runner and the fuzz targets do. Calling it again is harmless.
 */
void xalloc_init(void);

#endif
