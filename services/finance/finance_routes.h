/* finance_routes: the HTTP handlers of the Finance API. */
#ifndef FANTACO_FINANCE_ROUTES_H
#define FANTACO_FINANCE_ROUTES_H

#include <jansson.h>

#include "db.h"
#include "http_server.h"

/* Registers every /api/finance route and /v3/api-docs on srv; d must outlive srv. */
void fin_routes_register(http_server *srv, db *d);

/* The envelope of every error: {"success":false,"message":…,"data":null}. */
json_t *fin_error_body(int status, const char *message, json_t *errors);

#endif
