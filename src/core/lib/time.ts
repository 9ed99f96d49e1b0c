/** Milliseconds in a minute, an hour, a day (UTC: no leap seconds, no daylight saving), a week. */
export const minuteMs = 60_000;
export const hourMs = 3_600_000;
export const dayMs = 86_400_000;
export const weekMs = 604_800_000;

/** A duration in milliseconds as seconds (durations are reported in seconds). Never throws. */
export function toSeconds(ms: number): number {
  return ms / 1_000;
}

/** The UTC date of an instant as YYYY-MM-DD. Never throws for a valid date. */
export function toIsoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The YYYY-MM-DD date `days` days after (or before, when negative) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return toIsoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs));
}

/** Whole days from one YYYY-MM-DD date to another (negative when `to` is earlier). Never throws. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

/** The Monday (UTC) of the week of a YYYY-MM-DD day, as YYYY-MM-DD: weeks start on Monday. */
export function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const offset = (date.getUTCDay() + 6) % 7;
  return toIsoDate(new Date(date.getTime() - offset * dayMs));
}
