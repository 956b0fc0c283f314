/* customer_model: validation rules and row/JSON mapping of the Customer resource. */
#include "customer_model.h"

#include <stdio.h>
#include <string.h>

#include "problem.h"
#include "timefmt.h"
#include "utf8.h"

const cust_field cust_fields[CUST_NFIELDS] = {
    [CUST_ID] = {"customerId", "customer_id", "Customer ID", 5, true},
    [CUST_COMPANY_NAME] = {"companyName", "company_name", "Company name", 40, true},
    [CUST_CONTACT_NAME] = {"contactName", "contact_name", "Contact name", 30, false},
    [CUST_CONTACT_TITLE] = {"contactTitle", "contact_title", "Contact title", 30, false},
    [CUST_ADDRESS] = {"address", "address", "Address", 60, false},
    [CUST_CITY] = {"city", "city", "City", 15, false},
    [CUST_REGION] = {"region", "region", "Region", 15, false},
    [CUST_POSTAL_CODE] = {"postalCode", "postal_code", "Postal code", 10, false},
    [CUST_COUNTRY] = {"country", "country", "Country", 15, false},
    [CUST_PHONE] = {"phone", "phone", "Phone", 24, false},
    [CUST_FAX] = {"fax", "fax", "Fax", 24, false},
    [CUST_CONTACT_EMAIL] = {"contactEmail", "contact_email", "Contact email", 255, false},
};

static size_t chars(const char *s)
{
    return utf8_length(s, strlen(s));
}

/*
 * A practical address check, not RFC 5322: one '@', a non-empty local part,
 * a domain with a dot that neither starts nor ends it, and no white space.
 */
static bool email_valid(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || strpbrk(s, " \t\r\n"))
        return false;
    const char *domain = at + 1;
    size_t n = strlen(domain);
    const char *dot = strchr(domain, '.');
    return n >= 3 && dot && domain[0] != '.' && domain[n - 1] != '.' && !strstr(domain, "..");
}

static bool id_chars_valid(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '/')
            return false;
    return true;
}

/* Checks one field; returns its string (borrowed) or NULL, adding any problem. */
static const char *check_field(const cust_field *f, json_t *value, json_t *problems)
{
    char msg[160];
    if (!value || json_is_null(value)) {
        if (f->required) {
            snprintf(msg, sizeof msg, "%s is required", f->label);
            problem_add(problems, f->json, value, msg);
        }
        return NULL;
    }
    if (!json_is_string(value)) {
        snprintf(msg, sizeof msg, "%s must be a string", f->label);
        problem_add(problems, f->json, value, msg);
        return NULL;
    }
    const char *s = json_string_value(value);
    size_t n = chars(s);
    if (f == &cust_fields[CUST_ID] && n != 5) {
        problem_add(problems, f->json, value, "Customer ID must be exactly 5 characters");
    } else if (f == &cust_fields[CUST_ID] && !id_chars_valid(s)) {
        /* The id becomes a path segment and a Location header. */
        problem_add(problems, f->json, value,
                  "Customer ID must not contain '/' or control characters");
    } else if (f->required && strspn(s, " \t\r\n") == strlen(s)) {
        snprintf(msg, sizeof msg, "%s is required", f->label);
        problem_add(problems, f->json, value, msg);
    } else if (n > (size_t)f->max_chars) {
        snprintf(msg, sizeof msg, "%s must not exceed %d characters", f->label, f->max_chars);
        problem_add(problems, f->json, value, msg);
    } else if (f == &cust_fields[CUST_CONTACT_EMAIL] && !email_valid(s)) {
        problem_add(problems, f->json, value, "Contact email must be valid");
    } else {
        return s;
    }
    return NULL;
}

int cust_validate(json_t *body, bool with_id, cust_values *out, json_t *problems)
{
    size_t before = json_array_size(problems);
    memset(out, 0, sizeof *out);
    if (!json_is_object(body)) {
        problem_add(problems, "body", NULL, "Request body must be a JSON object");
        return -1;
    }
    for (int i = with_id ? 0 : 1; i < CUST_NFIELDS; i++)
        out->v[i] = check_field(&cust_fields[i], json_object_get(body, cust_fields[i].json),
                                problems);
    return json_array_size(problems) > before ? -1 : 0;
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The member names are our ASCII constants: _nocheck spares a UTF-8 scan of each per row. The
 * values come from the database and keep json_string's check: NULL for the whole row when one
 * fails it, never a row without that member. */
json_t *cust_row_to_json(const db_result *r, int row)
{
    static const char *const stamps[] = {"createdAt", "updatedAt"};
    json_t *obj = json_object();
    for (int i = 0; i < CUST_NFIELDS + 2; i++) {
        const char *name = i < CUST_NFIELDS ? cust_fields[i].json : stamps[i - CUST_NFIELDS];
        if (json_object_set_new_nocheck(obj, name, text_or_null(db_result_get(r, row, i))) != 0) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

void cust_row_params(const cust_values *v, const char *id, char *now, size_t now_len,
                     const char *params[CUST_ROW_PARAMS])
{
    timefmt_local_iso(now, now_len);
    for (int i = 0; i < CUST_NFIELDS; i++)
        params[i] = v->v[i];
    params[CUST_ID] = id;
    params[CUST_NFIELDS] = now;
}
