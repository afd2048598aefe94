// Bounded concurrency for the pipeline's I/O (API requests, object uploads, page reads): one semaphore, and the two
// ways the tasks use it.

/** At most `size` holders at once; the others wait in order. */
export class Semaphore {
  private held = 0;
  private queue: (() => void)[] = [];

  constructor(readonly size: number) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.held < this.size) {
      this.held++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.queue = this.queue.filter((g) => g !== grant);
        reject(signal?.reason);
      };
      this.queue.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Hands the slot straight to the next waiter, if any. */
  release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.held--;
  }
}

/** Run `fn` over `items`, at most `limit` at a time; after a failure no new item starts, and the first error is thrown. */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const slots = new Semaphore(limit);
  let failed: { err: unknown } | undefined;
  await Promise.all(
    items.map(async (item) => {
      await slots.acquire();
      try {
        if (!failed) await fn(item);
      } catch (err) {
        failed ??= { err };
      } finally {
        slots.release();
      }
    }),
  );
  if (failed) throw failed.err;
}

/** `fn` over `items`, at most `ahead` running at once, results yielded in the items' order. */
export async function* inOrder<T, R>(items: readonly T[], ahead: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  let next = 0;
  const fill = () => {
    while (next < items.length && pending.length < ahead) {
      const p = fn(items[next++]!);
      p.catch(() => undefined); // rejections surface when awaited, in order
      pending.push(p);
    }
  };
  fill();
  while (pending.length) {
    const r = await pending.shift()!;
    fill();
    yield r;
  }
}
