/* Tests for thread_stack: an idle worker's stack pages go back to the kernel. */
#define _GNU_SOURCE /* pthread_getattr_np */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test.h"
#include "thread_stack.h"

#define STACK_SIZE (512 * 1024)
#define DEEP_BYTES (64 * 1024)

/* Touches DEEP_BYTES of stack below the caller, as a request does, and returns a checksum. */
static __attribute__((noinline)) int go_deep(int seed)
{
    volatile char buf[DEEP_BYTES];
    for (size_t i = 0; i < sizeof buf; i += 512)
        buf[i] = (char)(seed + (int)i);
    int sum = 0;
    for (size_t i = 0; i < sizeof buf; i += 512)
        sum += buf[i];
    return sum;
}

/* Resident pages of this thread's stack between its low end and 16 KiB below the caller. */
static __attribute__((noinline)) size_t resident_below_caller(uintptr_t stack_low)
{
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t low = (stack_low + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t high = ((uintptr_t)__builtin_frame_address(0) - 16 * 1024) & ~((uintptr_t)page - 1);
    unsigned char vec[STACK_SIZE / 4096];
    size_t pages = (high - low) / (size_t)page;
    if (high <= low || pages > sizeof vec || mincore((void *)low, high - low, vec) != 0)
        return (size_t)-1;
    size_t n = 0;
    for (size_t i = 0; i < pages; i++)
        n += vec[i] & 1;
    return n;
}

typedef struct {
    int init; /* call thread_stack_init first */
    size_t before, after;
    int sum_first, sum_again;
} probe;

static void *probe_thread(void *arg)
{
    probe *p = arg;
    pthread_attr_t attr;
    void *addr;
    size_t size;
    pthread_getattr_np(pthread_self(), &attr);
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
    if (p->init)
        thread_stack_init();
    p->sum_first = go_deep(1);
    p->before = resident_below_caller((uintptr_t)addr);
    thread_stack_release();
    p->after = resident_below_caller((uintptr_t)addr);
    p->sum_again = go_deep(1); /* the released pages come back zeroed and work as before */
    return NULL;
}

static probe run_probe(int init)
{
    probe p = {.init = init};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, STACK_SIZE);
    pthread_t t;
    CHECK(pthread_create(&t, &attr, probe_thread, &p) == 0);
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
    return p;
}

static void test_release_gives_back_the_pages_below_the_caller(void)
{
    probe p = run_probe(1);
    CHECK(p.before != (size_t)-1 && p.after != (size_t)-1);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    CHECK(p.before >= (DEEP_BYTES - 16 * 1024) / page / 2); /* the deep call left them resident */
    CHECK_EQ_INT((int)p.after, 0);
    CHECK_EQ_INT(p.sum_again, p.sum_first);
}

static void test_thread_without_init_keeps_its_stack(void)
{
    probe p = run_probe(0);
    CHECK(p.before != (size_t)-1 && p.before > 0);
    CHECK_EQ_INT((int)p.after, (int)p.before);
    CHECK_EQ_INT(p.sum_again, p.sum_first);
}

TEST_MAIN(TEST(test_release_gives_back_the_pages_below_the_caller),
          TEST(test_thread_without_init_keeps_its_stack))
