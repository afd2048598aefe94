// Bounded concurrency for the pipeline's I/O (API requests, object uploads, page reads).

/** Run `fn` over `items`, at most `limit` at a time; after a failure no new item starts, and the first error is thrown. */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { err: unknown } | undefined;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
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
