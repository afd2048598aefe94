// A file operation that never finishes: glibc before 2.41 (Debian 12's 2.36, the base of windsock's Docker image) can
// lose a pthread_cond_signal (https://sourceware.org/bugzilla/show_bug.cgi?id=25847). libuv's thread pool signals a
// condition variable when it queues work (fs.promises, crypto.scrypt, dns.lookup, zlib); with the signal lost, the job
// stays queued while every pool thread sleeps, until the next job is queued. A process with nothing else to queue
// waits forever. Seen here once: a test worker stuck on the import of a module (its fd open at offset 0), gdb showing
// one job in libuv's queue and all 4 threads idle; one fs.stat from the inspector set it going again.
// So every process queues a trivial job now and then: its signal wakes a thread, which then takes every queued job.
import fs from 'node:fs';

/** How often a job is queued: a stuck operation waits at most this long. */
export const NUDGE_EVERY_MS = 1_000;

let timer: NodeJS.Timeout | undefined;
let nudges = 0;

/**
 * Queues a no-op job on libuv's thread pool every `NUDGE_EVERY_MS`, from now until the process exits. The timer is
 * unref'd: it never keeps a process alive. Idempotent (one timer per thread).
 */
export function startThreadpoolNudge(): void {
  timer ??= setInterval(() => fs.access('/', () => void nudges++), NUDGE_EVERY_MS).unref();
}

/** How many nudges have completed in this thread (for tests). */
export function threadpoolNudges(): number {
  return nudges;
}
