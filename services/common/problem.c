/* problem: validation problems as {field, rejectedValue, message} objects in a JSON array. */
#include "problem.h"

void problem_add(json_t *problems, const char *field, json_t *rejected, const char *message)
{
    json_array_append_new(problems, json_pack("{s:s, s:O, s:s}", "field", field, "rejectedValue",
                                              rejected ? rejected : json_null(), "message",
                                              message));
}

const char *problem_first_message(const json_t *problems)
{
    return json_string_value(json_object_get(json_array_get(problems, 0), "message"));
}
