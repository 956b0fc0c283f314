/*
 * db_result: the rows of one statement, behind the public db_result_*
 * accessors. Two shapes: a wrapped PGresult (PostgreSQL already returns
 * text, so nothing is copied), or cells copied out of SQLite row by row
 * (SQLite's column pointers die at the next step, so they must be copied).
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "db_backend.h"
#include "xalloc.h"

struct db_result {
    int rows, cols;
    long changes;
    PGresult *pg;  /* PostgreSQL: owned, PQclear on free */
    char **cells;  /* SQLite: rows * cols owned strings, NULL = SQL NULL */
    int row_cap;   /* SQLite: rows the cells array has room for */
};

db_result *db__result_new(int cols)
{
    db_result *r = xcalloc(1, sizeof(*r));

    r->cols = cols;
    return r;
}

char **db__result_add_row(db_result *r)
{
    if (r->rows == r->row_cap) {
        r->row_cap = r->row_cap ? r->row_cap * 2 : 16;
        r->cells = xrealloc(r->cells, (size_t)r->row_cap * (size_t)r->cols * sizeof(char *));
    }
    char **row = r->cells + (size_t)r->rows * (size_t)r->cols;
    memset(row, 0, (size_t)r->cols * sizeof(char *));
    r->rows++;
    return row;
}

void db__result_set_changes(db_result *r, long changes)
{
    r->changes = changes;
}

/* PQcmdTuples counts rows for SELECT too; SQLite reports 0 there, and
 * callers only ask after INSERT/UPDATE/DELETE, so report 0 for both. */
static long pg_changes(PGresult *res)
{
    const char *n = PQcmdTuples(res);

    if (*n == '\0' || strncmp(PQcmdStatus(res), "SELECT", 6) == 0)
        return 0;
    return strtol(n, NULL, 10);
}

db_result *db__result_wrap_pg(void *pgresult)
{
    db_result *r = xcalloc(1, sizeof(*r));

    r->pg = pgresult;
    r->rows = PQntuples(r->pg);
    r->cols = PQnfields(r->pg);
    r->changes = pg_changes(r->pg);
    return r;
}

int db_result_rows(const db_result *r)
{
    return r != NULL ? r->rows : 0;
}

int db_result_cols(const db_result *r)
{
    return r != NULL ? r->cols : 0;
}

const char *db_result_get(const db_result *r, int row, int col)
{
    if (r == NULL || row < 0 || row >= r->rows || col < 0 || col >= r->cols)
        return NULL;
    if (r->pg != NULL)
        return PQgetisnull(r->pg, row, col) ? NULL : PQgetvalue(r->pg, row, col);
    return r->cells[(size_t)row * (size_t)r->cols + (size_t)col];
}

long db_result_changes(const db_result *r)
{
    return r != NULL ? r->changes : 0;
}

void db_result_free(db_result *r)
{
    if (r == NULL)
        return;
    if (r->pg != NULL)
        PQclear(r->pg);
    for (size_t i = 0; r->cells != NULL && i < (size_t)r->rows * (size_t)r->cols; i++)
        free(r->cells[i]);
    free(r->cells);
    free(r);
}
