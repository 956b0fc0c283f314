/*
 * swagger_ui: the Swagger UI page of a REST service at /swagger-ui.html,
 * offline. Its script and style sheet come from the npm package
 * swagger-ui-dist, embedded at build time (cmake/swagger_ui.cmake); the page
 * reads the service's own /v3/api-docs and calls no other host. A binary
 * built without the package answers /swagger-ui.html with 503 and a text
 * saying how to enable it.
 */
#ifndef FANTACO_SWAGGER_UI_H
#define FANTACO_SWAGGER_UI_H

#include "http_server.h"

/* Registers GET /swagger-ui.html and the assets it loads under /swagger-ui/. */
void swagger_ui_routes(http_server *srv, const char *service_name);

#endif
