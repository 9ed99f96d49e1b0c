import type {
  DashboardQuery,
  DashboardReport,
  DeploymentTimeline,
} from '../../contracts/dashboard.ts';
import { isCandorError } from '../../core/lib/candor-error.ts';
import type { QuarantineEntry } from '../../core/quarantine/quarantine.ts';
import type { Store } from '../../store/open-store.ts';
import { buildDashboard, buildDeploymentTimeline } from './build-dashboard.ts';

/**
 * What `candor report` shows: the same dashboard as `GET /api/v1/dashboard` for the query, and
 * the timeline of each deployment its recent releases panel lists (the page opens them without
 * a server). A listed deployment that has no projected facts yet has no timeline (the page says
 * it is not in the report). Throws what `buildDashboard` throws.
 */
export async function buildDashboardReport(
  store: Store,
  query: DashboardQuery & { now: Date; quarantine?: readonly QuarantineEntry[] | undefined },
): Promise<DashboardReport> {
  const dashboard = await buildDashboard(store, query);
  const timelines: DeploymentTimeline[] = [];
  if (dashboard.releases.status === 'ok')
    for (const d of dashboard.releases.deployments) {
      try {
        timelines.push(
          await buildDeploymentTimeline(store, {
            service: d.service,
            environment: d.environment,
            deployment: d.deployment,
          }),
        );
      } catch (error) {
        if (!isCandorError(error) || error.code !== 'not-found') throw error;
      }
    }
  return { dashboard, timelines };
}
