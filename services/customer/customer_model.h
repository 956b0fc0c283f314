/*
 * customer_model: the Customer resource's fields, their validation rules and
 * the mapping between JSON bodies, database rows and JSON replies.
 *
 * The field table is the single source of truth: JSON name, column, label
 * for messages, maximum length in characters, and whether it is required.
 */
#ifndef FANTACO_CUSTOMER_MODEL_H
#define FANTACO_CUSTOMER_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

enum {
    CUST_ID,
    CUST_COMPANY_NAME,
    CUST_CONTACT_NAME,
    CUST_CONTACT_TITLE,
    CUST_ADDRESS,
    CUST_CITY,
    CUST_REGION,
    CUST_POSTAL_CODE,
    CUST_COUNTRY,
    CUST_PHONE,
    CUST_FAX,
    CUST_CONTACT_EMAIL,
    CUST_NFIELDS
};

typedef struct {
    const char *json;   /* "companyName" */
    const char *column; /* "company_name" */
    const char *label;  /* "Company name", for messages */
    int max_chars;
    bool required;
} cust_field;

extern const cust_field cust_fields[CUST_NFIELDS];

/* Field values borrowed from a parsed body (NULL = absent or null). */
typedef struct {
    const char *v[CUST_NFIELDS];
} cust_values;

/*
 * What the store is asked for a search: partial, case-insensitive matches
 * (NULL: not given) and the page, in customerId order: at most limit rows
 * (0: every row) after skipping offset.
 */
typedef struct {
    const char *company_name, *contact_name, *contact_email, *phone;
    int64_t limit, offset;
} cust_filter;

/*
 * Validates body (any JSON value) as a customer. with_id: whether
 * customerId is part of the body (POST) or comes from the path (PUT).
 * Returns 0 and fills *out with strings borrowed from body, or -1 after
 * appending every problem found to problems (problem.h).
 */
int cust_validate(json_t *body, bool with_id, cust_values *out, json_t *problems);

/*
 * Builds the customer JSON of row `row`; the columns must be the
 * CUST_NFIELDS fields in table order followed by created_at, updated_at.
 * Returns a new reference, or NULL when a value is not UTF-8.
 */
json_t *cust_row_to_json(const db_result *r, int row);

/* Room for the parameters of a row write: the fields in table order, then the time. */
#define CUST_ROW_PARAMS (CUST_NFIELDS + 1)

/*
 * Fills params for a statement that writes a whole row: v's fields in table
 * order with id in place of v's id, then the current local time, written
 * into now[0..now_len) (40 bytes are enough). The strings are borrowed.
 */
void cust_row_params(const cust_values *v, const char *id, char *now, size_t now_len,
                     const char *params[CUST_ROW_PARAMS]);

#endif
