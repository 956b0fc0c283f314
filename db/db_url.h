/*
 * db_url: private to db/. Turns a DATABASE_URL into what a backend needs to
 * connect: libpq keyword/value arrays for PostgreSQL (libpq itself parses
 * the URI; we only add defaults) or a file path for SQLite.
 */
#ifndef FANTACO_DB_URL_H
#define FANTACO_DB_URL_H

#include "db.h"

typedef struct {
    db_backend backend;
    char *path;      /* SQLite: the database file path (relative or absolute) */
    char **keywords; /* PostgreSQL: NULL-terminated arrays for */
    char **values;   /*   PQconnectdbParams(keywords, values, 0) */
} db_url;

/*
 * Parses url into *out. Accepted forms:
 *   postgresql://... and postgres://...  handed to libpq's URI parser; adds
 *       connect_timeout=3 and application_name=app_name when absent and
 *       forces client_encoding=UTF8. Passwords come from the URL or from
 *       PGPASSWORD/.pgpass (libpq reads those itself when connecting).
 *   sqlite:///abs/path.db   absolute path /abs/path.db
 *   sqlite://rel/path.db    relative path rel/path.db
 *   sqlite:rel.db           relative path rel.db
 * The SQLite path is taken literally (no %-decoding, no ?query); an empty
 * path and ":memory:" are refused (every thread has its own connection, so
 * an in-memory database could not be shared).
 * Returns DB_OK, or DB_EINVAL with err (may be NULL) filled and *out zeroed.
 * On success the caller owns *out and frees it with db__url_cleanup.
 */
int db__url_parse(db_url *out, const char *url, const char *app_name, error_info *err);

/* Frees what db__url_parse allocated. NULL-safe, idempotent. */
void db__url_cleanup(db_url *u);

/* The PostgreSQL value of keyword, or NULL when unset (for tests/logs). */
const char *db__url_param(const db_url *u, const char *keyword);

#endif
