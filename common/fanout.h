/*
 * fanout: runs one function for each of n items at once, on threads of its
 * own, and returns when all are done. For calls that mostly wait on the
 * network (agent-ui probing every MCP server before a chat turn), so that n
 * of them take as long as the slowest, not as long as all together.
 *
 * Each call gets its index and the shared arg; calls must only write their
 * own item's slot. Should a thread not start (out of threads), its item
 * runs on the calling thread instead: slower, never skipped. Threads use
 * http_client_perform's per-thread handle, which is released when they end.
 */
#ifndef FANTACO_FANOUT_H
#define FANTACO_FANOUT_H

#include <stddef.h>

typedef void (*fanout_fn)(size_t index, void *arg);

/* Calls fn(i, arg) for every i < n, concurrently; returns after the last. */
void fanout_run(size_t n, fanout_fn fn, void *arg);

#endif
