/** `daily_totals`: executions and retry-flaky executions per repository and day (budget trend). */
export type DailyTotalsTable = {
  repo: string;
  day: string;
  on_default_branch: number;
  executions: number;
  flaky: number;
};
