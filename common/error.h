/*
 * error: the detail of a library call's failure, in a struct the caller
 * owns, as jansson's json_error_t. A layer's functions return 0 or one of
 * that layer's negative codes (db_status, http_client_error, upstream_status,
 * ...) and, when given a non-NULL error_info, fill it with the same code and
 * one line of text. A call that succeeds leaves err cleared (code 0, text
 * ""), even when it recovered from a failure on the way (a retry, a
 * fallback), so err->code always equals the returned code. The text is for
 * logs, never for clients: it may quote SQL, URLs or what an upstream sent.
 * Callers that only need the code pass NULL.
 */
#ifndef FANTACO_ERROR_H
#define FANTACO_ERROR_H

#define ERROR_TEXT_MAX 512 /* room for a URL and an upstream's words */

typedef struct {
    int code;                  /* 0: no error */
    char text[ERROR_TEXT_MAX]; /* "" when code is 0 */
} error_info;

/* Empties err (NULL: nothing). */
void error_clear(error_info *err);

/*
 * Sets err (NULL: nothing) to code and the formatted text, folded onto one
 * line (backend messages span lines), and returns code, so a callee can
 * `return error_set(err, DB_EQUERY, "...")`.
 */
int error_set(error_info *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
