/* server_scan: probe and tools/list of every MCP server at once (see server_scan.h). */
#include "server_scan.h"

#include <stdlib.h>
#include <string.h>

#include "chat_events.h"
#include "fanout.h"
#include "mcp_servers.h"
#include "tool_policy.h"
#include "xalloc.h"

typedef struct {
    server_scan *scans;
    server_scan_plan plan;
} scan_job;

/* fanout_fn: one server; writes only its own slot. */
static void scan_one(size_t i, void *arg)
{
    scan_job *job = arg;
    server_scan *s = &job->scans[i];
    long long start = chat_clock_monotonic_ms();
    if (job->plan.probe_timeout_ms > 0) {
        s->health = mcps_probe(s->url, job->plan.probe_timeout_ms);
        s->probe_ms = chat_clock_monotonic_ms() - start;
        if (strcmp(s->health, "down") == 0)
            return;
    }
    if (job->plan.list_timeout_ms <= 0)
        return;
    start = chat_clock_monotonic_ms();
    s->listed = true;
    s->list_rc = tool_policy_list(s->url, job->plan.list_timeout_ms, &s->reads, &s->writes,
                                  &s->list_err);
    s->list_ms = chat_clock_monotonic_ms() - start;
}

server_scan *server_scan_run(const json_t *servers, server_scan_plan plan)
{
    size_t n = json_array_size(servers);
    scan_job job = {.scans = xcalloc(n ? n : 1, sizeof *job.scans), .plan = plan};
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(servers, i);
        job.scans[i].name = json_string_value(json_object_get(s, "name"));
        job.scans[i].url = json_string_value(json_object_get(s, "url"));
    }
    fanout_run(n, scan_one, &job);
    return job.scans;
}

void server_scan_free(server_scan *scans, size_t n)
{
    if (!scans)
        return;
    for (size_t i = 0; i < n; i++) {
        json_decref(scans[i].reads);
        json_decref(scans[i].writes);
    }
    free(scans);
}
