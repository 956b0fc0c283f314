/*
 * db_url: DATABASE_URL parsing (see db_url.h). PostgreSQL URIs are parsed by
 * libpq (PQconninfoParse), never by hand; we only add our defaults to the
 * keyword/value arrays libpq gives back.
 */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db_backend.h"
#include "db_url.h"
#include "xalloc.h"

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* libpq messages end with a newline; drop it for one-line logs. */
static int invalid(error_info *err, const char *what, const char *detail)
{
    size_t len = strlen(detail);
    while (len > 0 && (detail[len - 1] == '\n' || detail[len - 1] == ' '))
        len--;
    return error_set(err, DB_EINVAL, "invalid DATABASE_URL: %s%.*s", what, (int)len, detail);
}

static int parse_sqlite(db_url *out, const char *url, error_info *err)
{
    /* "sqlite:///abs" leaves "/abs", "sqlite://rel" leaves "rel". */
    size_t skip = has_prefix(url, "sqlite://") ? strlen("sqlite://") : strlen("sqlite:");
    const char *path = url + skip;
    size_t len = strlen(path);

    if (len == 0)
        return invalid(err, "sqlite URL has no file path", "");
    if (strcmp(path, ":memory:") == 0)
        return invalid(err, "in-memory SQLite cannot be shared between threads", "");
    if (strpbrk(path, "?#") != NULL)
        return invalid(err, "query parameters are not supported in sqlite URLs", "");
    if (path[len - 1] == '/')
        return invalid(err, "sqlite URL names a directory, not a file", "");
    out->backend = DB_BACKEND_SQLITE;
    out->path = xstrdup(path);
    return DB_OK;
}

static void add_param(db_url *u, size_t *n, const char *keyword, const char *value)
{
    u->keywords[*n] = xstrdup(keyword);
    u->values[*n] = xstrdup(value);
    (*n)++;
}

/* Copies libpq's parsed options, then adds ours where the URL has none. */
static void fill_pg_params(db_url *u, const PQconninfoOption *opts, const char *app_name)
{
    size_t count = 0, n = 0;
    bool has_timeout = false, has_app = false;

    for (const PQconninfoOption *o = opts; o->keyword != NULL; o++)
        count++;
    u->keywords = xcalloc(count + 4, sizeof(char *));
    u->values = xcalloc(count + 4, sizeof(char *));
    for (const PQconninfoOption *o = opts; o->keyword != NULL; o++) {
        /* We always talk UTF-8: our text is UTF-8 and fold() assumes it. */
        if (o->val == NULL || strcmp(o->keyword, "client_encoding") == 0)
            continue;
        has_timeout |= strcmp(o->keyword, "connect_timeout") == 0;
        has_app |= strcmp(o->keyword, "application_name") == 0;
        add_param(u, &n, o->keyword, o->val);
    }
    if (!has_timeout)
        add_param(u, &n, "connect_timeout", "3");
    if (!has_app && app_name != NULL)
        add_param(u, &n, "application_name", app_name);
    add_param(u, &n, "client_encoding", "UTF8");
}

static int parse_pg(db_url *out, const char *url, const char *app_name, error_info *err)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &msg);

    if (opts == NULL) {
        int rc = invalid(err, "", msg != NULL ? msg : "out of memory");
        PQfreemem(msg);
        return rc;
    }
    out->backend = DB_BACKEND_POSTGRES;
    fill_pg_params(out, opts, app_name);
    PQconninfoFree(opts);
    return DB_OK;
}

int db__url_parse(db_url *out, const char *url, const char *app_name, error_info *err)
{
    memset(out, 0, sizeof(*out));
    if (url == NULL || *url == '\0')
        return invalid(err, "empty", "");
    if (has_prefix(url, "postgresql://") || has_prefix(url, "postgres://"))
        return parse_pg(out, url, app_name, err);
    if (has_prefix(url, "sqlite:"))
        return parse_sqlite(out, url, err);
    return invalid(err, "expected postgresql://, postgres:// or sqlite: URL", "");
}

static void free_strings(char **v)
{
    if (v == NULL)
        return;
    for (char **p = v; *p != NULL; p++)
        free(*p);
    free(v);
}

void db__url_cleanup(db_url *u)
{
    if (u == NULL)
        return;
    free(u->path);
    free_strings(u->keywords);
    free_strings(u->values);
    u->path = NULL;
    u->keywords = u->values = NULL;
}

const char *db__url_param(const db_url *u, const char *keyword)
{
    if (u->keywords == NULL)
        return NULL;
    for (size_t i = 0; u->keywords[i] != NULL; i++)
        if (strcmp(u->keywords[i], keyword) == 0)
            return u->values[i];
    return NULL;
}
