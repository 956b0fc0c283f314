/* Unit tests for customer_model: the validation rules of the Customer resource. */
#include <jansson.h>

#include "customer_model.h"
#include "test.h"

static json_t *parse(const char *text)
{
    json_error_t err;
    return json_loads(text, 0, &err);
}

/* Validates text and returns the errors array's first field name (or NULL when valid). */
static const char *first_error_field(const char *text, bool with_id, json_t **errors)
{
    json_t *body = parse(text);
    cust_values v;
    *errors = json_array();
    int rc = cust_validate(body, with_id, &v, *errors);
    CHECK_EQ_INT(rc, json_array_size(*errors) > 0 ? -1 : 0);
    json_decref(body);
    if (rc == 0)
        return NULL;
    return json_string_value(json_object_get(json_array_get(*errors, 0), "field"));
}

static void expect_field(const char *text, bool with_id, const char *field)
{
    json_t *errors;
    CHECK_EQ_STR(first_error_field(text, with_id, &errors), field);
    json_decref(errors);
}

static void test_valid_customer(void)
{
    json_t *body = parse("{\"customerId\":\"ABCDE\",\"companyName\":\"Acme\","
                         "\"contactEmail\":\"a@b.co\",\"city\":null,\"extra\":1}");
    cust_values v;
    json_t *errors = json_array();
    CHECK_EQ_INT(cust_validate(body, true, &v, errors), 0);
    CHECK_EQ_INT(json_array_size(errors), 0);
    CHECK_EQ_STR(v.v[CUST_ID], "ABCDE");
    CHECK_EQ_STR(v.v[CUST_COMPANY_NAME], "Acme");
    CHECK(v.v[CUST_CITY] == NULL);
    json_decref(errors);
    json_decref(body);
}

static void test_customer_id_rules(void)
{
    json_t *errors;
    CHECK_EQ_STR(first_error_field("{\"customerId\":\"ABCD\",\"companyName\":\"x\"}", true,
                                   &errors),
                 "customerId");
    json_t *e = json_array_get(errors, 0);
    CHECK_EQ_STR(json_string_value(json_object_get(e, "message")),
                 "Customer ID must be exactly 5 characters");
    CHECK_EQ_STR(json_string_value(json_object_get(e, "rejectedValue")), "ABCD");
    json_decref(errors);
    expect_field("{\"companyName\":\"x\"}", true, "customerId");
    expect_field("{\"customerId\":12345,\"companyName\":\"x\"}", true, "customerId");
    /* Five characters, six bytes: valid. */
    expect_field("{\"customerId\":\"\xc3\x96" "BCDE\",\"companyName\":\"x\"}", true, NULL);
    /* PUT takes the id from the path and ignores the body's. */
    expect_field("{\"customerId\":\"TOO LONG\",\"companyName\":\"x\"}", false, NULL);
}

static void test_field_rules(void)
{
    expect_field("{\"customerId\":\"ABCDE\"}", true, "companyName");
    expect_field("{\"customerId\":\"ABCDE\",\"companyName\":\"   \"}", true, "companyName");
    expect_field("{\"customerId\":\"ABCDE\",\"companyName\":42}", true, "companyName");
    expect_field("{\"customerId\":\"ABCDE\",\"companyName\":\"x\",\"city\":[]}", true, "city");
    expect_field("{\"customerId\":\"ABCDE\",\"companyName\":\"x\",\"city\":\"0123456789abcdef\"}",
                 true, "city");
    expect_field("{\"customerId\":\"ABCDE\",\"companyName\":\"x\",\"contactEmail\":\"nope\"}",
                 true, "contactEmail");
    expect_field("{\"customerId\":\"ABCDE\",\"companyName\":\"x\",\"contactEmail\":\"a@b\"}",
                 true, "contactEmail");
    expect_field("{\"customerId\":\"AB/DE\",\"companyName\":\"x\"}", true, "customerId");
    expect_field("{\"customerId\":\"AB\\nDE\",\"companyName\":\"x\"}", true, "customerId");
    expect_field("[]", true, "body");
}

static void test_lengths_in_characters(void)
{
    /* 40 x U+00D6 is 80 bytes but 40 characters: valid; 41 is not. */
    char body[256] = "{\"customerId\":\"ABCDE\",\"companyName\":\"";
    for (int i = 0; i < 40; i++)
        strcat(body, "\xc3\x96");
    strcat(body, "\"}");
    expect_field(body, true, NULL);
    body[strlen(body) - 2] = '\0';
    strcat(body, "\xc3\x96\"}");
    expect_field(body, true, "companyName");
}

static void test_several_errors(void)
{
    json_t *errors;
    first_error_field("{\"customerId\":\"A\",\"companyName\":null,\"fax\":1}", true, &errors);
    CHECK_EQ_INT(json_array_size(errors), 3);
    json_decref(errors);
}

TEST_MAIN(TEST(test_valid_customer), TEST(test_customer_id_rules), TEST(test_field_rules),
          TEST(test_lengths_in_characters), TEST(test_several_errors))
