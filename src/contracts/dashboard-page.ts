// What the dashboard page (web/src/pages/dashboard/render-dashboard.ts) and the HTML that serves
// it (src/server/dashboard-page.ts, whose inline script starts the page's requests early, docs/adr/0048)
// must agree on. Plain values only: the page's bundle imports this file.

/** The page's part endpoints (`/api/v1/dashboard/<part>`), the quick ones first. */
export const dashboardPartNames = ['filters', 'releases', 'delivery', 'tests'] as const;
export type DashboardPartName = (typeof dashboardPartNames)[number];

/** The filters the page keeps in its URL and sends to every part. */
export const dashboardFilterNames = ['service', 'env', 'window'] as const;

/** Where the page keeps the `read` token for the browser session (`sessionStorage`). */
export const dashboardTokenKey = 'candor-token';
