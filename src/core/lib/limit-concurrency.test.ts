import { describe, expect, it } from 'vitest';
import { limitConcurrency } from './limit-concurrency.ts';

/** A call that finishes when told: its promise, and the function that settles it. */
function deferred() {
  let settle: (outcome: 'ok' | 'fail') => void = () => undefined;
  const promise = new Promise<string>((resolve, reject) => {
    settle = (outcome) => (outcome === 'ok' ? resolve('done') : reject(new Error('failed')));
  });
  return { promise, settle };
}

describe('limitConcurrency', () => {
  it('runs at most size calls at once, the rest in the order they came, failures freeing their slot', async () => {
    const calls = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const limited = limitConcurrency(2, (n: number) => {
      started.push(n);
      return (calls[n] as ReturnType<typeof deferred>).promise;
    });
    const results = [0, 1, 2, 3].map((n) => limited(n).catch((error: Error) => error.message));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    calls[1]?.settle('fail');
    await results[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    calls[0]?.settle('ok');
    calls[2]?.settle('ok');
    await results[2];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2, 3]);
    calls[3]?.settle('ok');
    expect(await Promise.all(results)).toEqual(['done', 'failed', 'done', 'done']);
  });

  it('takes a size below 1 as 1', async () => {
    let inFlight = 0;
    let most = 0;
    const limited = limitConcurrency(0, async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
    });
    await Promise.all([limited(), limited(), limited()]);
    expect(most).toBe(1);
  });
});
