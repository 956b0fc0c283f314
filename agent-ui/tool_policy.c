/* tool_policy: read-only tools run, writes wait for approval (see tool_policy.h). */
#include "tool_policy.h"

#include <stdio.h>

#include "mcp_client.h"

const char *tool_mode_name(tool_mode m)
{
    switch (m) {
    case TOOLS_WRITES_OUT:
        return "writes-left-out";
    case TOOLS_UNAPPROVED:
        return "writes-without-approval";
    default:
        return "ask-before-writes";
    }
}

bool tool_release_asks(const char *version)
{
    int major = 0, minor = 0;
    if (!version || sscanf(version, "%d.%d", &major, &minor) != 2)
        return false;
    return major > 0 || minor >= 3;
}

tool_mode tool_mode_for(const char *version, bool allow_unapproved)
{
    if (tool_release_asks(version))
        return TOOLS_ASK;
    return allow_unapproved ? TOOLS_UNAPPROVED : TOOLS_WRITES_OUT;
}

int tool_policy_list(const char *url, int timeout_ms, json_t **reads, json_t **writes,
                     error_info *err)
{
    mcpc_session s;
    json_t *tools = NULL;
    *reads = *writes = NULL;
    int rc = mcpc_open(&s, url, timeout_ms, err);
    if (rc != UPSTREAM_OK)
        return rc;
    rc = mcpc_tools_list(&s, &tools, err);
    mcpc_close(&s);
    if (rc != UPSTREAM_OK)
        return rc;
    *reads = json_array();
    *writes = json_array();
    size_t i;
    const json_t *t;
    json_array_foreach(tools, i, t) {
        json_t *name = json_object_get(t, "name");
        if (!json_is_string(name))
            continue;
        bool ro = json_is_true(json_object_get(json_object_get(t, "annotations"), "readOnlyHint"));
        json_array_append(ro ? *reads : *writes, name);
    }
    json_decref(tools);
    return UPSTREAM_OK;
}

/*
 * require_approval for a server with both kinds: the filter form. llama-stack
 * 0.3.5 misreads the filter and asks for every tool; chat_turn then approves
 * the read-only ones itself, so the person still sees cards for writes only.
 */
static json_t *approval_value(const json_t *reads, const json_t *writes)
{
    if (!reads || !writes)
        return json_string("always");
    if (json_array_size(writes) == 0)
        return json_string("never");
    if (json_array_size(reads) == 0)
        return json_string("always");
    return json_pack("{s:O, s:O}", "always", writes, "never", reads);
}

json_t *tool_policy_entry(const char *name, const char *url, tool_mode mode, const json_t *reads,
                          const json_t *writes)
{
    json_t *entry = json_pack("{s:s, s:s, s:s}", "type", "mcp", "server_label", name, "server_url",
                              url);
    if (mode == TOOLS_ASK) {
        json_object_set_new(entry, "require_approval", approval_value(reads, writes));
        return entry;
    }
    json_object_set_new(entry, "require_approval", json_string("never"));
    if (mode == TOOLS_UNAPPROVED)
        return entry;
    if (!reads || json_array_size(reads) == 0) {
        json_decref(entry);
        return NULL;
    }
    json_object_set_new(entry, "allowed_tools", json_deep_copy(reads));
    return entry;
}
