/** Runs `fn` over `items`, at most `n` at a time. */
export async function pool<T>(
  items: readonly T[],
  n: number,
  fn: (t: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/**
 * Resolves when `p` settles or after `ms`, whichever comes first (never rejects; `p` runs on
 * either way): how an engine pass waits a bounded time for sends that may hang.
 */
export function settledOrAfter(p: Promise<void>, ms: number): Promise<void> {
  if (ms === Infinity) return p;
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    p.then(done, done);
  });
}
