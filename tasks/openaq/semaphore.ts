// At most `size` holders at once; the others wait in order.
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
