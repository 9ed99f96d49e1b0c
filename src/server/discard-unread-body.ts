import type { IncomingMessage } from 'node:http';

/** How much of a refused body the server still takes off the wire before it closes. */
export type DiscardBudget = { bytes: number; ms: number };

/**
 * 4 MiB or 2 s: a client needs about one round trip to see an early answer and stop sending;
 * what it sends meanwhile is what is in flight, bounded by the TCP buffers (Linux grows them to
 * 4 MiB at most by default). nginx's lingering close is the same idea (docs/adr/0006).
 */
export const defaultDiscardBudget: DiscardBudget = { bytes: 4 * 1024 * 1024, ms: 2_000 };

/**
 * True while a request over a real connection announced a body that has not been read to its
 * end (an injected test request has no connection to keep or close).
 */
export function hasUnreadBody(request: IncomingMessage): boolean {
  if (request.complete !== false) return false;
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || Number(length ?? 0) > 0;
}

/**
 * Lingering close for a request answered before its body was read: the rest of the body is read
 * and dropped (never kept), so the client sees the answer instead of a connection reset. Past
 * `budget` (bytes or time) the connection is destroyed. A body that ends within the budget
 * leaves the connection open for the next request when `keepAlive`, else ends it. Never throws.
 */
export function discardUnreadBody(
  request: IncomingMessage,
  options: { budget: DiscardBudget; keepAlive: boolean },
): void {
  let discarded = 0;
  const stop = (): void => {
    clearTimeout(timer);
    request.off('data', onData);
    request.off('end', onEnd);
  };
  const onEnd = (): void => {
    stop();
    if (!options.keepAlive) request.socket.end();
  };
  const close = (): void => {
    stop();
    request.socket.destroy();
  };
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > options.budget.bytes) close();
  };
  const timer = setTimeout(close, options.budget.ms);
  timer.unref();
  request.on('data', onData);
  request.once('end', onEnd);
  request.resume();
}
