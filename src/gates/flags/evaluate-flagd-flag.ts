import jsonLogic from 'json-logic-js';
import type { FlagdFlag } from '../../actions/flag/read-flagd-file.ts';

/** MurmurHash3 x86 32-bit of the UTF-8 bytes of `text`, seed 0 (what flagd's fractional uses). */
export function murmur3(text: string): number {
  const bytes = new TextEncoder().encode(text);
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = 0;
  const blocks = bytes.length - (bytes.length % 4);
  for (let i = 0; i < blocks; i += 4) {
    let k =
      (bytes[i] ?? 0) |
      ((bytes[i + 1] ?? 0) << 8) |
      ((bytes[i + 2] ?? 0) << 16) |
      ((bytes[i + 3] ?? 0) << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = bytes.length % 4;
  if (tail === 3) k ^= (bytes[blocks + 2] ?? 0) << 16;
  if (tail >= 2) k ^= (bytes[blocks + 1] ?? 0) << 8;
  if (tail >= 1) {
    k ^= bytes[blocks] ?? 0;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

type FlagdData = { targetingKey?: unknown; $flagd?: { flagKey?: unknown } };

/**
 * flagd's `fractional`: the bucketing value (the first argument when it is not a
 * `[variant, weight]` pair, else `$flagd.flagKey` + `targetingKey`) hashed with murmur3 into
 * [0, 100), then the variant whose cumulative share of the weights covers the bucket.
 */
function fractional(this: FlagdData, ...args: unknown[]): string | null {
  let key: string;
  let buckets = args;
  if (typeof args[0] === 'string') {
    key = args[0];
    buckets = args.slice(1);
  } else {
    const flagKey = this.$flagd?.flagKey;
    key = `${typeof flagKey === 'string' ? flagKey : ''}${typeof this.targetingKey === 'string' ? this.targetingKey : ''}`;
  }
  const pairs = buckets
    .filter((b): b is unknown[] => Array.isArray(b) && typeof b[0] === 'string')
    .map((b) => ({ variant: b[0] as string, weight: typeof b[1] === 'number' ? b[1] : 1 }));
  const total = pairs.reduce((sum, p) => sum + p.weight, 0);
  if (total <= 0) return null;
  const hash = murmur3(key) | 0; // flagd reads it as int32
  const bucket = (Math.abs(hash) / 0x7fffffff) * 100;
  let end = 0;
  for (const pair of pairs) {
    end += (pair.weight / total) * 100;
    if (bucket < end) return pair.variant;
  }
  return pairs.at(-1)?.variant ?? null;
}

/** `1.2.3` → [1, 2, 3] (a leading `v` and a pre-release or build suffix dropped), or undefined. */
function parseVersion(text: unknown): [number, number, number] | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.trim());
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/** flagd's `sem_ver`: [value, operator, target] with = != < <= > >= ^ (same major) ~ (same minor). */
function semVer(value: unknown, operator: unknown, target: unknown): boolean {
  const a = parseVersion(value);
  const b = parseVersion(target);
  if (a === undefined || b === undefined) return false;
  const order = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  switch (operator) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '^':
      return a[0] === b[0];
    case '~':
      return a[0] === b[0] && a[1] === b[1];
    default:
      return false;
  }
}

jsonLogic.add_operation('fractional', fractional);
jsonLogic.add_operation('sem_ver', semVer);
jsonLogic.add_operation(
  'starts_with',
  (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b),
);
jsonLogic.add_operation(
  'ends_with',
  (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.endsWith(b),
);

/** `{"$ref": "name"}` replaced by the shared evaluator of that name, recursively (cycles stop). */
export function resolveRefs(
  rule: unknown,
  evaluators: Readonly<Record<string, unknown>>,
  seen: readonly string[] = [],
): unknown {
  if (Array.isArray(rule)) return rule.map((item) => resolveRefs(item, evaluators, seen));
  if (typeof rule !== 'object' || rule === null) return rule;
  const record = rule as Record<string, unknown>;
  const ref = record['$ref'];
  if (typeof ref === 'string' && Object.keys(record).length === 1) {
    if (seen.includes(ref) || !Object.hasOwn(evaluators, ref)) return null;
    return resolveRefs(evaluators[ref], evaluators, [...seen, ref]);
  }
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, resolveRefs(value, evaluators, seen)]),
  );
}

/** How flagd resolves a flag for one context. */
export type FlagdResolution =
  | { kind: 'variant'; variant: string; reason: 'STATIC' | 'TARGETING_MATCH' | 'DEFAULT' }
  /** No variant: disabled, no default, or targeting that errs; the application's code default. */
  | { kind: 'none'; reason: 'DISABLED' | 'NO_DEFAULT' | 'ERROR'; detail?: string | undefined };

/**
 * Resolves a flag as flagd does for `context`: a `DISABLED` flag resolves to nothing; without
 * `targeting` (or `{}`) the default variant (STATIC); else the targeting's JsonLogic result
 * (custom operations `fractional`, `sem_ver`, `starts_with`, `ends_with`; `$flagd.flagKey` and
 * `$flagd.timestamp` in the data): a variant name (a boolean is its string) is a TARGETING_MATCH,
 * null the default variant, anything else an error. Pure: `now` is passed in; never throws.
 */
export function resolveFlagdFlag(
  key: string,
  flag: FlagdFlag,
  evaluators: Readonly<Record<string, unknown>>,
  context: Readonly<Record<string, unknown>>,
  now: Date,
): FlagdResolution {
  if (flag.state === 'DISABLED') return { kind: 'none', reason: 'DISABLED' };
  const fallback = (reason: 'STATIC' | 'DEFAULT'): FlagdResolution =>
    typeof flag.defaultVariant === 'string'
      ? { kind: 'variant', variant: flag.defaultVariant, reason }
      : { kind: 'none', reason: 'NO_DEFAULT' };
  const targeting = flag.targeting;
  if (
    targeting === undefined ||
    targeting === null ||
    (typeof targeting === 'object' && Object.keys(targeting).length === 0)
  )
    return fallback('STATIC');
  let result: unknown;
  try {
    result = jsonLogic.apply(resolveRefs(targeting, evaluators) as jsonLogic.RulesLogic, {
      ...context,
      $flagd: { flagKey: key, timestamp: Math.floor(now.getTime() / 1000) },
    });
  } catch (error) {
    return { kind: 'none', reason: 'ERROR', detail: (error as Error).message };
  }
  if (result === null || result === undefined) return fallback('DEFAULT');
  const name = typeof result === 'boolean' ? String(result) : result;
  if (typeof name === 'string' && Object.hasOwn(flag.variants, name))
    return { kind: 'variant', variant: name, reason: 'TARGETING_MATCH' };
  return {
    kind: 'none',
    reason: 'ERROR',
    detail: `targeting returned ${JSON.stringify(result)}, not a variant`,
  };
}

/** Every string (and boolean, as its string) a rule holds: the variants it could return. */
export function literalsOf(rule: unknown, into = new Set<string>()): Set<string> {
  if (typeof rule === 'string') into.add(rule);
  else if (typeof rule === 'boolean') into.add(String(rule));
  else if (Array.isArray(rule)) for (const item of rule) literalsOf(item, into);
  else if (typeof rule === 'object' && rule !== null)
    for (const value of Object.values(rule)) literalsOf(value, into);
  return into;
}

/** Words of a string variant that mean off. */
const offWords = new Set(['', 'off', 'false', 'disabled', 'disable', 'none', '0', 'no']);

/**
 * Whether a variant turns the feature on. A variant named in `offVariants` is off; else by its
 * value: a boolean is itself; a number is on unless 0; a string is on unless empty or an off
 * word (`off`, `false`, `disabled`, `disable`, `none`, `0`, `no`, any case); null is off; an object
 * with a boolean `enabled` is that; any other object or array is on unless empty. Never throws.
 */
export function isVariantOn(name: string, value: unknown, offVariants: readonly string[]): boolean {
  if (offVariants.includes(name)) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return !offWords.has(value.trim().toLowerCase());
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') {
    const enabled = (value as Record<string, unknown>)['enabled'];
    if (typeof enabled === 'boolean') return enabled;
    return Object.keys(value).length > 0;
  }
  return true;
}
