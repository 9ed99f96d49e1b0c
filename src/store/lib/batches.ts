import type { StoreCapabilities } from '../dialects/store-dialect.ts';

/**
 * The most rows one statement carries, whatever the dialect allows: beyond it a statement grows
 * without saving round trips, and each distinct row count is one more prepared statement (ADR 3).
 */
export const maxRowsPerStatement = 1_000;

/**
 * Rows (or `IN (...)` values) one statement may carry: as many as the dialect's `maxParameters`
 * allows for rows of `width` parameters once `fixed` other parameters of the statement are
 * counted, at most `maxRowsPerStatement`, at least 1. The one batching policy of the store
 * (docs/adr/0012). Never throws.
 */
export function rowsPerStatement(
  capabilities: Pick<StoreCapabilities, 'maxParameters'>,
  width: number,
  fixed = 0,
): number {
  const fit = Math.floor((capabilities.maxParameters - fixed) / Math.max(1, width));
  return Math.max(1, Math.min(maxRowsPerStatement, fit));
}

/**
 * `values` in consecutive slices of `rowsPerStatement(capabilities, width, fixed)`, in order;
 * nothing for an empty list. Never throws.
 */
export function* batches<T>(
  capabilities: Pick<StoreCapabilities, 'maxParameters'>,
  values: readonly T[],
  width: number,
  fixed = 0,
): Generator<T[]> {
  const size = rowsPerStatement(capabilities, width, fixed);
  for (let i = 0; i < values.length; i += size) yield values.slice(i, i + size);
}
