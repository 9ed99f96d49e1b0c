/** Helpers to read a webhook's JSON without trusting its shape. */

export type Json = Record<string, unknown>;

/** True for a JSON object (not an array, not null). */
export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value[key]` when `value` is an object and the member is one, else an empty object. */
export const objectAt = (value: unknown, key: string): Json => {
  const member = isObject(value) ? value[key] : undefined;
  return isObject(member) ? member : {};
};

/** A non-blank string, or a finite number as text (ids are numbers in some payloads). */
export const textAt = (value: unknown, key: string): string | undefined => {
  const member = isObject(value) ? value[key] : undefined;
  if (typeof member === 'string') return member.trim() === '' ? undefined : member;
  if (typeof member === 'number' && Number.isFinite(member)) return String(member);
  return undefined;
};

/** The event without its undefined members (candor's event JSON has no undefined). */
export const defined = (event: Json): Json =>
  Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined));

/**
 * A sender's time as ISO-8601 with an offset, or undefined when it is none: ISO-8601 as it is;
 * GitLab's `2021-04-28 21:50:00 +0200` and `2016-08-12 15:23:28 UTC`; epoch numbers in seconds,
 * milliseconds, microseconds or nanoseconds (Opsgenie mixes milliseconds and nanoseconds),
 * told apart by size.
 */
export function isoTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    const ms =
      value >= 1e17
        ? value / 1e6
        : value >= 1e14
          ? value / 1e3
          : value >= 1e11
            ? value
            : value * 1e3;
    const date = new Date(Math.floor(ms));
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const spaced =
    /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ?(UTC|Z|[+-]\d{2}:?\d{2})$/.exec(text);
  if (spaced) {
    const [, day, time, zone = ''] = spaced;
    const offset =
      zone === 'UTC' || zone === 'Z'
        ? 'Z'
        : zone.includes(':')
          ? zone
          : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    return `${day}T${time}${offset}`;
  }
  return text === '' ? undefined : text;
}

/**
 * One `commit_created` per commit of a push payload (GitHub and GitLab share the shape: `commits`
 * with `id` and `timestamp`), keyed by its sha so a commit pushed to several branches is one event;
 * `common` holds the fields every event of the delivery carries (source, service). Commits without
 * an id are skipped. Never throws.
 */
export function pushedCommitEvents(payload: Json, common: Json): Json[] {
  const commits = Array.isArray(payload['commits']) ? payload['commits'] : [];
  return commits.filter(isObject).flatMap((commit) => {
    const sha = textAt(commit, 'id');
    if (sha === undefined) return [];
    return [
      defined({
        type: 'commit_created',
        id: `commit/${sha}`,
        ...common,
        occurredAt: isoTime(commit['timestamp']),
        commit: sha,
      }),
    ];
  });
}
