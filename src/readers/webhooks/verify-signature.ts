import { createHmac, hash, timingSafeEqual } from 'node:crypto';

/** The hex HMAC-SHA256 of `body` keyed with `secret` (GitHub, PagerDuty). Never throws. */
export function hmacSha256Hex(secret: string, body: Uint8Array): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * True when two texts are equal, in time that depends on neither (both are hashed first, so even
 * their lengths do not leak). For signatures and shared tokens. Never throws.
 */
export function isSameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(hash('sha256', given, 'hex'), 'hex');
  const b = Buffer.from(hash('sha256', expected, 'hex'), 'hex');
  return timingSafeEqual(a, b);
}

/** A header's value trimmed, or undefined when absent or blank. */
export function headerOf(
  headers: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
