/*
 * thread_stack: gives a worker thread's stack pages back to the kernel when
 * the thread goes idle. civetweb starts every worker at once and hands each
 * new connection to the worker that has waited longest, so over time every
 * one of the --threads workers serves a request, and a request reaches
 * ~32 KiB deep (civetweb's frames put our handler 23 KiB down). Without
 * this the pages a worker touched once stay resident while it waits (16 KiB
 * a worker, 16 MB over 1024 of them).
 */
#ifndef FANTACO_THREAD_STACK_H
#define FANTACO_THREAD_STACK_H

/*
 * Notes the calling thread's stack bounds, for thread_stack_release. Call
 * once on the thread, before its first release; a thread that never calls
 * it is never released (the main thread's stack grows on demand).
 */
void thread_stack_init(void);

/*
 * Releases (MADV_DONTNEED) the calling thread's stack below the caller's
 * frame, as glibc does with a finished thread's stack: nothing lives below
 * the stack pointer, and the kernel gives zeroed pages on the next touch.
 * Keeps a margin for this call's own frames. Does nothing on a thread
 * without thread_stack_init.
 */
void thread_stack_release(void);

#endif
