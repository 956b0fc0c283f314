/*
 * problem: the one shape of a request's validation problems in both REST
 * services. A request reader appends one object per problem,
 *   {"field": "customerId", "rejectedValue": <the value or null>, "message": "..."},
 * to a JSON array its caller owns, and returns -1; the handler decides the
 * status and replies once (customer-api sends the whole list as `errors`,
 * finance-api the first message in its envelope).
 */
#ifndef FANTACO_PROBLEM_H
#define FANTACO_PROBLEM_H

#include <jansson.h>

/* Appends a problem to problems; rejected is borrowed (NULL: null), message copied. */
void problem_add(json_t *problems, const char *field, json_t *rejected, const char *message);

/* The first problem's message, borrowed from problems; NULL when there is none. */
const char *problem_first_message(const json_t *problems);

#endif
