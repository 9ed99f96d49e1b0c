/** What a DORA report measures: the window, the production environment and the filters. */
export type DoraOptions = {
  /** Start of the window, epoch milliseconds (inclusive). */
  from: number;
  /** End of the window, epoch milliseconds (inclusive). */
  to: number;
  /** The environment whose deployments count. Default `production`. */
  environment: string;
  /** An incident opened this long after a deployment starts links to it by inference, and makes it failed. */
  incidentWindowMs: number;
  service?: string | undefined;
  team?: string | undefined;
};

/** True when `at` lies in the window (both ends included). Never throws. */
export function isInWindow(at: number, window: Pick<DoraOptions, 'from' | 'to'>): boolean {
  return at >= window.from && at <= window.to;
}
