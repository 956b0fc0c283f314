/* thread_stack: gives an idle worker thread's stack pages back to the kernel. */
#define _GNU_SOURCE /* pthread_getattr_np: the only way to a thread's own stack bounds */
#include "thread_stack.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* This thread's usable stack, [low, high), low rounded up to a page; 0 until thread_stack_init. */
static _Thread_local uintptr_t stack_low, stack_high;

/*
 * Room below the caller's frame for this function and madvise's, with the
 * red zone. madvise is glibc's system-call stub (no frame of its own); a
 * library interposing it (LD_PRELOAD) would need its frames to fit here.
 */
#define RELEASE_MARGIN 1024

void thread_stack_init(void)
{
    pthread_attr_t attr;
    void *addr;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return;
    if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
        uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
        stack_low = ((uintptr_t)addr + page - 1) & ~(page - 1);
        stack_high = (uintptr_t)addr + size;
    }
    pthread_attr_destroy(&attr);
}

void thread_stack_release(void)
{
    /* the frame address, not a local's: a sanitizer may keep locals off the stack */
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    if (frame <= stack_low || frame >= stack_high || frame - stack_low <= RELEASE_MARGIN)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t high = (frame - RELEASE_MARGIN) & ~(page - 1);
    if (high > stack_low)
        madvise((void *)stack_low, high - stack_low, MADV_DONTNEED);
}
