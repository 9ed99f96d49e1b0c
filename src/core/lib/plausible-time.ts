import { hourMs } from './time.ts';

/**
 * When something candor is told about may have happened: not before 1970 (a zero or garbage
 * timestamp) and at most `maxAheadMs` after candor heard of it (clock skew between machines).
 */
export const plausibleTimeLimits = {
  earliest: '1970-01-01T00:00:00.000Z',
  maxAheadMs: 24 * hourMs,
} as const;

/**
 * Why an ISO-8601 time is not plausible for `field`, or undefined when it is; `receivedAt` is
 * when candor received it (passed in: the core reads no clock). Never throws.
 */
export function implausibleTime(
  field: string,
  iso: string,
  receivedAt: string,
): string | undefined {
  const { earliest, maxAheadMs } = plausibleTimeLimits;
  const at = Date.parse(iso);
  const latest = Date.parse(receivedAt) + maxAheadMs;
  if (at >= Date.parse(earliest) && at <= latest) return undefined;
  return `${field}: ${iso} is outside the accepted range ${earliest} to ${new Date(latest).toISOString()} (at most ${maxAheadMs / hourMs} h after candor received it)`;
}
