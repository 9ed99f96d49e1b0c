import type { ReadSummary } from './test-result-reader.ts';

/**
 * `YYYY-MM-DD`, `T` or a space, `hh:mm[:ss[.fraction]]`, then `Z`, `±hh:mm`, `±hhmm` or nothing.
 * The fraction may have any number of digits (.NET writes 7, Go 9).
 */
const dateTime =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A report's time as ISO-8601 UTC with milliseconds, or undefined when it is not a date-time or
 * not a real moment (month 13, 25:00, before 1970). A time without a zone is read as UTC: jest-junit
 * writes UTC without `Z`, and CI machines run in UTC; a producer writing local time on a machine
 * in another zone is off by that zone's offset. Never throws.
 */
export function parseReportTime(value: string): string | undefined {
  const match = dateTime.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone = 'Z'] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = fields;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d ||
    check.getUTCHours() !== h ||
    check.getUTCMinutes() !== mi ||
    check.getUTCSeconds() !== s
  )
    return undefined;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2) || '0');
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  return fromEpochMs(utc - offsetMinutes * 60_000);
}

function fromEpochMs(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) return undefined;
  return new Date(ms).toISOString();
}

/**
 * The earliest of the start times a report states (suites, the run, events), fed as the reader
 * meets them: memory stays one value. Values that are no date-time are ignored, never an error
 * (the time is a default, the tests are what a report is for).
 */
export class EarliestTime {
  #earliest: string | undefined;

  /** Offers a date-time as the report writes it (see `parseReportTime`); undefined is ignored. */
  offer(value: string | undefined): void {
    if (value === undefined) return;
    this.#keep(parseReportTime(value));
  }

  /** Offers milliseconds since the epoch (CTRF `results.summary.start`). */
  offerEpochMs(value: number): void {
    this.#keep(fromEpochMs(value));
  }

  /** The earliest time offered, ISO-8601 UTC, or undefined when none was. */
  get value(): string | undefined {
    return this.#earliest;
  }

  #keep(iso: string | undefined): void {
    // ISO-8601 UTC strings of the same shape order as text.
    if (iso !== undefined && (this.#earliest === undefined || iso < this.#earliest))
      this.#earliest = iso;
  }
}

/** The summary with the report's earliest start time, when it stated one. */
export function withStart(summary: ReadSummary, earliest: EarliestTime): ReadSummary {
  const startedAt = earliest.value;
  return startedAt === undefined ? summary : { ...summary, startedAt };
}
