import { z } from 'zod';
import { deliveryEventTypes, deliveryResults } from './event-kinds.ts';
import { implausibleTime, plausibleTimeLimits } from '../lib/plausible-time.ts';
import { formatIssuePath } from '../lib/format-issue-path.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * Bounds on what one event may carry (README "Limits"): `attributes` may nest at most
 * `attributeDepth` levels (the attributes object itself is level 1) and serialize to at most
 * `attributeBytes` bytes of UTF-8 JSON; `occurredAt` must lie between `earliestOccurredAt` and
 * `maxAheadMs` after the time candor received the event.
 */
export const deliveryEventLimits = {
  attributeDepth: 8,
  attributeBytes: 64 * 1024,
  earliestOccurredAt: plausibleTimeLimits.earliest,
  maxAheadMs: plausibleTimeLimits.maxAheadMs,
} as const;

/**
 * The first problem of an attributes value, checked without recursion (so no input can overflow
 * the stack): the path of the first object or array nested deeper than the limit, else whether
 * its JSON is larger than the limit. Stops counting as soon as the size limit is passed.
 */
function attributesProblem(attributes: Record<string, unknown>): string | undefined {
  const { attributeDepth, attributeBytes } = deliveryEventLimits;
  const stack: { value: object; depth: number; path: PropertyKey[] }[] = [
    { value: attributes, depth: 1, path: ['attributes'] },
  ];
  let bytes = 0;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.depth > attributeDepth) {
      return `nested deeper than ${attributeDepth} levels at ${formatIssuePath(item.path)}`;
    }
    const entries: [PropertyKey, unknown][] = Array.isArray(item.value)
      ? item.value.map((child: unknown, index) => [index, child])
      : Object.entries(item.value);
    // Brackets and commas, then each key and scalar as JSON.stringify writes them.
    bytes += 2 + Math.max(0, entries.length - 1);
    for (const [key, child] of entries) {
      if (typeof key === 'string') bytes += jsonBytes(key) + 1;
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, depth: item.depth + 1, path: [...item.path, key] });
      } else {
        bytes += jsonBytes(child);
      }
    }
    if (bytes > attributeBytes) {
      return `larger than ${attributeBytes / 1024} KiB (more than ${attributeBytes} bytes of JSON)`;
    }
  }
  return undefined;
}

/** UTF-8 length of a scalar's JSON text (`null` for what JSON has no form for). */
function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) return 4;
  let bytes = 0;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00) {
      // A surrogate pair (JSON.stringify escapes lone surrogates as ASCII).
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * One delivery event as users send it (CLI flags, JSON lines, HTTP). `occurredAt` is when it
 * happened (ISO-8601 with an offset), kept apart from when candor received it.
 */
export const DeliveryEvent = z.strictObject({
  type: z.enum(deliveryEventTypes),
  id: text(200).optional(),
  source: text(500).optional(),
  occurredAt: z.iso.datetime({ offset: true }),
  service: text(200),
  environment: text(100).optional(),
  commit: text(100).optional(),
  commits: z.array(text(100)).max(10_000).optional(),
  deployment: text(200).optional(),
  incident: text(200).optional(),
  result: z.enum(deliveryResults).optional(),
  attributes: z
    .record(z.string(), z.unknown())
    .superRefine((attributes, context) => {
      const problem = attributesProblem(attributes);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
});
export type DeliveryEvent = z.infer<typeof DeliveryEvent>;

/** Where an event came from when it does not say: idempotency is on (source, id). */
export const defaultEventSource = 'default';

export type EventProblem = { path: string; message: string };

/** When candor received an event (ISO-8601): the bound on how far ahead `occurredAt` may be. */
export type EventContext = { receivedAt: string };

function occurredAtProblem(occurredAt: string, context: EventContext): EventProblem | undefined {
  const message = implausibleTime('occurredAt', occurredAt, context.receivedAt);
  return message === undefined ? undefined : { path: 'occurredAt', message };
}

/**
 * Validates one event; problems name the field. `occurredAt` must lie between 1970 and 24 h
 * after `context.receivedAt` (deliveryEventLimits). Never throws.
 */
export function parseDeliveryEvent(
  value: unknown,
  context: EventContext,
): { ok: true; value: DeliveryEvent } | { ok: false; errors: EventProblem[] } {
  const parsed = DeliveryEvent.safeParse(value);
  const errors: EventProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const path = formatIssuePath(issue.path);
        return { path, message: `${path || '(event)'}: ${issue.message}` };
      });
  // The range is checked even when other fields are wrong, so one answer lists every problem.
  const occurredAt = parsed.success
    ? parsed.data.occurredAt
    : errors.some((e) => e.path === 'occurredAt')
      ? undefined
      : typeof value === 'object' && value !== null && 'occurredAt' in value
        ? value.occurredAt
        : undefined;
  const timeProblem =
    typeof occurredAt === 'string' ? occurredAtProblem(occurredAt, context) : undefined;
  if (timeProblem) errors.push(timeProblem);
  if (parsed.success && errors.length === 0) return { ok: true, value: parsed.data };
  return { ok: false, errors };
}
