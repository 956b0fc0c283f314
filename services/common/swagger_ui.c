/* swagger_ui: /swagger-ui.html and its embedded assets (swagger-ui-dist from npm). */
#include "swagger_ui.h"

#include <stdio.h>
#include <string.h>

extern const char swagger_ui_css[], swagger_ui_bundle_js[];
extern const size_t swagger_ui_css_len, swagger_ui_bundle_js_len;

/* validatorUrl null: the stock page would send the document to validator.swagger.io. */
static const char initializer_js[] =
    "window.ui = SwaggerUIBundle({url: \"/v3/api-docs\", dom_id: \"#swagger-ui\",\n"
    "                             deepLinking: true, validatorUrl: null});\n";

static const char absent_text[] =
    "Swagger UI is not built into this binary: cmake found no npm, or `npm pack "
    "swagger-ui-dist@" FANTACO_SWAGGER_UI_VERSION "` failed.\n"
    "To enable it, install npm (Debian: apt-get install npm), make the npm registry "
    "reachable and build again (cmake -S . -B build && cmake --build build).\n"
    "The OpenAPI document itself is at /v3/api-docs.\n";

static void page(http_request *req, void *ctx)
{
    const char *name = ctx;
    char html[1024];
    if (!FANTACO_SWAGGER_UI_FOUND) {
        http_reply_raw(req, 503, "text/plain; charset=utf-8", absent_text, strlen(absent_text));
        return;
    }
    int n = snprintf(html, sizeof html,
                     "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<title>%s - Swagger UI</title>\n"
                     "<link rel=\"stylesheet\" href=\"/swagger-ui/swagger-ui.css\">\n"
                     "</head>\n<body>\n<div id=\"swagger-ui\"></div>\n"
                     "<script src=\"/swagger-ui/swagger-ui-bundle.js\"></script>\n"
                     "<script src=\"/swagger-ui/swagger-initializer.js\"></script>\n"
                     "</body>\n</html>\n",
                     name);
    http_reply_raw(req, 200, "text/html; charset=utf-8", html, (size_t)n);
}

static void asset(http_request *req, const char *type, const char *body, size_t len)
{
    if (!FANTACO_SWAGGER_UI_FOUND)
        http_reply_raw(req, 503, "text/plain; charset=utf-8", absent_text, strlen(absent_text));
    else
        http_reply_raw(req, 200, type, body, len);
}

static void css(http_request *req, void *ctx)
{
    (void)ctx;
    asset(req, "text/css; charset=utf-8", swagger_ui_css, swagger_ui_css_len);
}

static void bundle_js(http_request *req, void *ctx)
{
    (void)ctx;
    asset(req, "application/javascript; charset=utf-8", swagger_ui_bundle_js,
          swagger_ui_bundle_js_len);
}

static void initializer(http_request *req, void *ctx)
{
    (void)ctx;
    asset(req, "application/javascript; charset=utf-8", initializer_js,
          sizeof initializer_js - 1);
}

void swagger_ui_routes(http_server *srv, const char *service_name)
{
    http_server_route(srv, "GET", "/swagger-ui.html", page, (void *)service_name);
    http_server_route(srv, "GET", "/swagger-ui/swagger-ui.css", css, NULL);
    http_server_route(srv, "GET", "/swagger-ui/swagger-ui-bundle.js", bundle_js, NULL);
    http_server_route(srv, "GET", "/swagger-ui/swagger-initializer.js", initializer, NULL);
}
