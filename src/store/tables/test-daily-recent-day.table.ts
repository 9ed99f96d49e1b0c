/**
 * `test_daily_recent_days`: the days `test_daily_recent` holds rows of (docs/adr/0055), written
 * with those rows in the same transaction, so which days wait to be settled, or fall in a
 * window, is one look-up instead of an index over every recent row.
 */
export type TestDailyRecentDayTable = {
  /** YYYY-MM-DD (UTC). */
  day: string;
};
