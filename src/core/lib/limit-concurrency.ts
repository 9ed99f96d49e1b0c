/**
 * `run` with at most `size` calls in flight (≥ 1): a call beyond waits for a slot, in the order
 * the calls came. A call's result or rejection is its own; a slot is freed either way. Never
 * throws itself.
 */
export function limitConcurrency<Args extends unknown[], Value>(
  size: number,
  run: (...args: Args) => Promise<Value>,
): (...args: Args) => Promise<Value> {
  const limit = Math.max(1, Math.floor(size));
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (running < limit) {
      running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  // The slot goes straight to the next caller waiting, so none can overtake it.
  const release = () => {
    const next = waiting.shift();
    if (next === undefined) running--;
    else next();
  };
  return async (...args) => {
    await acquire();
    try {
      return await run(...args);
    } finally {
      release();
    }
  };
}
