/*
 * server_scan: what agent-ui needs to know of its MCP servers before a turn
 * or a status reply (is each one up, which of its tools only read data),
 * asked of all of them at once (common/fanout): a turn waits as long as the
 * slowest server, at most one probe and one tools/list timeout, however
 * many servers were added at run time.
 */
#ifndef FANTACO_SERVER_SCAN_H
#define FANTACO_SERVER_SCAN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct {
    const char *name, *url; /* borrowed from the scanned snapshot */
    const char *health;     /* mcps_probe's "up", "reachable" or "down"; NULL when not probed */
    long long probe_ms;     /* how long the probe took */
    bool listed;            /* tools/list was asked (the server was not down, or no probe) */
    int list_rc;            /* its upstream_status */
    json_t *reads, *writes; /* owned: tool_policy_list's split, NULL when it failed */
    error_info list_err;
    long long list_ms;
} server_scan;

typedef struct {
    int probe_timeout_ms; /* > 0: probe each server's /health first */
    int list_timeout_ms;  /* > 0: list the tools of each server not found down */
} server_scan_plan;

/*
 * Scans every server of servers (an mcps_snapshot array) as plan says, all
 * at once. Returns an array of json_array_size(servers) results in the
 * snapshot's order (free with server_scan_free; servers must outlive it).
 */
server_scan *server_scan_run(const json_t *servers, server_scan_plan plan);

void server_scan_free(server_scan *scans, size_t n);

#endif
