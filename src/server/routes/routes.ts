import type { FastifyInstance } from 'fastify';
import type { CanaryServerSettings } from '../../app/canary/canary-analyses.ts';
import type { Store } from '../../store/open-store.ts';
import { canaryRoute } from './canary-route.ts';
import { ciHealthRoute } from './ci-health-route.ts';
import { doraRoute } from './dora-route.ts';
import { eventsRoute } from './events-route.ts';
import { flakyRoute } from './flaky-route.ts';
import { healthRoute } from './health-route.ts';
import { metricsRoute } from './metrics-route.ts';
import { runsRoute } from './runs-route.ts';
import { splitRoute } from './split-route.ts';
import { testReportsRoute } from './test-reports-route.ts';
import { webhooksRoute } from './webhooks-route.ts';
import type { WebhookSecrets } from '../../app/delivery/receive-webhook.ts';
import { testsRoute } from './tests-route.ts';
import { verdictsRoute } from './verdicts-route.ts';
import { dashboardRoute, type DashboardSettings } from './dashboard-route.ts';
import type { WatchServerSettings } from '../../app/watch/served-watches.ts';
import { watchesRoute } from './watches-route.ts';

/** What every route is registered with (from `candor serve`'s flags). */
export type RouteContext = {
  store: Store;
  now: () => Date;
  /** Largest test report body, in bytes (`--body-limit`). */
  bodyLimitBytes: number;
  /** Largest POST /api/v1/events body, in bytes (`--events-body-limit`). */
  eventsBodyLimitBytes: number;
  /** The secret of each webhook receiver that is on (from the environment: README "Webhooks"). */
  webhookSecrets: WebhookSecrets;

  /** The `canary:` section of `--config` and its source; absent: canary routes answer 404. */
  canary?: CanaryServerSettings | undefined;
  /** The dashboard at `/` (`--public-dashboard`, the server's quarantine file); absent: token-only, none. */
  dashboard?: DashboardSettings | undefined;
  /** Post-deploy watches (`--config` with `watch:` and `canary:`); absent: watch routes answer 404. */
  watches?: WatchServerSettings | undefined;
};

/** A route: a Fastify plugin registered with the route context (its own encapsulated scope). */
export type Route = (app: FastifyInstance, context: RouteContext) => Promise<void>;

/**
 * Every route of the HTTP API, in registration order. Adding an endpoint is one
 * `<feature>-route.ts` calling an app use case and one line here; a route parses its input with
 * a schema of src/contracts and never reaches a repository (lint).
 */
export const routes: readonly Route[] = [
  healthRoute,
  runsRoute,
  testReportsRoute,
  eventsRoute,
  doraRoute,
  metricsRoute,
  webhooksRoute,
  flakyRoute,
  testsRoute,
  splitRoute,
  verdictsRoute,

  canaryRoute,
  dashboardRoute,
  ciHealthRoute,
  watchesRoute,
];
