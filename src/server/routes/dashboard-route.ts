import type { FastifyInstance } from 'fastify';
import {
  buildDashboard,
  buildDashboardFilters,
  buildDeliveryPanels,
  buildDeploymentTimeline,
  buildReleasesPanel,
  buildTestsPanel,
  type DashboardPartQuery,
} from '../../app/dashboard/build-dashboard.ts';
import { DashboardQuery, TimelineQuery } from '../../contracts/dashboard.ts';
import { queryParameters } from '../../contracts/query-parameters.ts';
import type { QuarantineEntry } from '../../core/quarantine/quarantine.ts';
import type { DashboardReads } from '../../app/dashboard/dashboard-in-worker.ts';
import type { Store } from '../../store/open-store.ts';
import { requireScope } from '../authenticate.ts';
import { parseWith } from '../parse-with.ts';
import { serveDashboardPage } from '../dashboard-page.ts';

/** How `candor serve` shows the dashboard (README "The dashboard and `candor report`"). */
export type DashboardSettings = {
  /** `--public-dashboard`: the page and its reads answer without a token (read-only). */
  isPublic: boolean;
  /** The quarantined tests the server knows of (its `.candor/quarantine.yml`). */
  quarantine: () => readonly QuarantineEntry[];
  /** `candor serve`'s read workers of the heavy parts (docs/adr/0048); absent: this thread. */
  reads?: DashboardReads | undefined;
};

/**
 * The dashboard: the page at `/` (static assets, no token: it asks for one) and its reads with a
 * `read` token, or none with `--public-dashboard`: `GET /api/v1/dashboard` (every panel), its
 * parts on their own (`/filters`, `/delivery`, `/tests`, `/releases` under it: the page requests
 * them at once and draws each panel as it arrives) and
 * `GET /api/v1/dashboard/deployments/:deployment/timeline?service=S`.
 */
export async function dashboardRoute(
  app: FastifyInstance,
  context: { store: Store; now: () => Date; dashboard?: DashboardSettings | undefined },
) {
  const { store, now } = context;
  const settings = context.dashboard ?? { isPublic: false, quarantine: () => [] };
  const guard = settings.isPublic ? [] : [requireScope(store, 'read')];
  const reads = settings.reads;
  const parts = {
    '': (at: Store, query: DashboardPartQuery) =>
      buildDashboard(at, query, {
        testsPanel: reads?.testsPanel,
        deliveryPanels: reads?.deliveryPanels,
      }),
    '/filters': buildDashboardFilters,
    '/delivery': (at: Store, query: DashboardPartQuery) =>
      reads !== undefined ? reads.deliveryPanels(query) : buildDeliveryPanels(at, query),
    '/tests': (at: Store, query: DashboardPartQuery) =>
      reads !== undefined ? reads.testsPanel(query) : buildTestsPanel(at, query),
    '/releases': buildReleasesPanel,
  } satisfies Record<string, (store: Store, query: DashboardPartQuery) => Promise<object>>;
  for (const [path, build] of Object.entries(parts))
    app.get(
      `/api/v1/dashboard${path}`,
      { onRequest: guard, config: { queryParameters: queryParameters(DashboardQuery) } },
      async (request) =>
        build(store, {
          ...parseWith(DashboardQuery, request.query, 'query'),
          now: now(),
          quarantine: settings.quarantine(),
        }),
    );
  app.get<{ Params: { deployment: string } }>(
    '/api/v1/dashboard/deployments/:deployment/timeline',
    { onRequest: guard, config: { queryParameters: queryParameters(TimelineQuery) } },
    async (request) => {
      const query = parseWith(TimelineQuery, request.query, 'query');
      return buildDeploymentTimeline(store, {
        service: query.service,
        environment: query.env,
        deployment: request.params.deployment,
      });
    },
  );
  await serveDashboardPage(app, { isPublic: settings.isPublic });
}
