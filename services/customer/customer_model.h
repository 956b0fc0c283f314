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
 * Validates body (any JSON value) as a customer. with_id: whether
 * customerId is part of the body (POST) or comes from the path (PUT).
 * Returns 0 and fills *out with strings borrowed from body, or -1 and sets
 * *errors to a new array of {field, rejectedValue, message}.
 */
int cust_validate(json_t *body, bool with_id, cust_values *out, json_t **errors);

/*
 * Builds the customer JSON of row `row`; the columns must be the
 * CUST_NFIELDS fields in table order followed by created_at, updated_at.
 * Returns a new reference.
 */
json_t *cust_row_to_json(const db_result *r, int row);

#endif
