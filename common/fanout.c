/* fanout: one thread per item, joined before returning (see fanout.h). */
#include "fanout.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "xalloc.h"

typedef struct {
    fanout_fn fn;
    void *arg;
    size_t index;
    pthread_t thread;
    bool started;
} fanout_item;

static void *run_item(void *p)
{
    fanout_item *item = p;
    item->fn(item->index, item->arg);
    return NULL;
}

void fanout_run(size_t n, fanout_fn fn, void *arg)
{
    if (n == 0)
        return;
    fanout_item *items = xcalloc(n, sizeof *items);
    /* item 0 runs here, on the caller's thread, while the others run on theirs */
    for (size_t i = 1; i < n; i++) {
        items[i] = (fanout_item){.fn = fn, .arg = arg, .index = i};
        items[i].started = pthread_create(&items[i].thread, NULL, run_item, &items[i]) == 0;
    }
    fn(0, arg);
    for (size_t i = 1; i < n; i++) {
        if (items[i].started)
            pthread_join(items[i].thread, NULL);
        else
            fn(i, arg);
    }
    free(items);
}
