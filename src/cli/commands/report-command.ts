import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { buildDashboardReport } from '../../app/dashboard/build-dashboard-report.ts';
import { readServerQuarantine } from '../../app/dashboard/read-server-quarantine.ts';
import {
  DashboardQuery,
  dashboardQueryDefaults,
  dashboardWindows,
  type Dashboard,
  type DashboardReport,
  type DeploymentTimeline,
} from '../../contracts/dashboard.ts';
import { CandorError, isCandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import { dashboardHtml, readDashboardAssets } from '../../server/dashboard-page.ts';
import { callServer, readServerJson } from '../call-server.ts';
import { exitCodes, type CliContext, type CommandFactory } from '../cli-context.ts';
import { describeDashboard } from '../documents/describe-dashboard.ts';
import { withStore } from '../open-cli-store.ts';
import { dbOption, flagOf, serverOption } from '../options.ts';
import { rendererFor } from '../render/renderers.ts';

type ReportOptions = {
  html?: string;
  markdown?: string | true;
  service?: string;
  environment?: string;
  window?: string;
  db?: string;
  server?: string;
};

const panelStatus = z.object({ status: z.enum(['ok', 'no-data']) });
/** What `candor report --server` checks of the server's dashboard before drawing it. */
const ServerDashboard = z.object({
  generatedAt: z.string(),
  filters: z.object({ environment: z.string(), window: z.string(), services: z.array(z.string()) }),
  keys: panelStatus,
  delivery: panelStatus,
  quality: panelStatus,
  tests: panelStatus,
  releases: panelStatus,
});
const ServerTimeline = z.object({ deployment: z.string(), steps: z.array(z.unknown()) });

/**
 * The report from a `candor serve` API instead of a store: `GET /api/v1/dashboard` and the
 * timeline of each deployment it lists (one the server has no facts for yet is left out, as
 * locally). The server's clock and quarantine file decide, as they do for its page. Throws what
 * `callServer` throws.
 */
async function readServerReport(
  context: CliContext,
  server: string,
  query: DashboardQuery,
): Promise<DashboardReport> {
  const filters = { service: query.service, env: query.environment, window: query.window };
  const dashboard = (await readServerJson(
    await callServer(context, server, { method: 'GET', path: '/api/v1/dashboard', query: filters }),
    ServerDashboard,
  )) as Dashboard;
  const timelines: DeploymentTimeline[] = [];
  if (dashboard.releases.status === 'ok')
    for (const d of dashboard.releases.deployments) {
      try {
        const response = await callServer(context, server, {
          method: 'GET',
          path: `/api/v1/dashboard/deployments/${encodeURIComponent(d.deployment)}/timeline`,
          query: { service: d.service, env: d.environment },
        });
        timelines.push((await readServerJson(response, ServerTimeline)) as DeploymentTimeline);
      } catch (error) {
        if (!isCandorError(error) || error.code !== 'not-found') throw error;
      }
    }
  return { dashboard, timelines };
}

/**
 * `candor report`: the dashboard as one self-contained HTML file (`--html FILE`: script, style,
 * data, timelines and definitions inlined; it requests nothing) and/or its Markdown summary
 * (`--markdown`: to stdout, `--markdown FILE`: to a file), from the local store through the same
 * use case as `GET /api/v1/dashboard` (README "candor report"), or with `--server URL` from that
 * route of a `candor serve` (token in `$CANDOR_TOKEN`, scope `read`). Exit 0, 2 on a bad flag
 * (`--server` with `--db` too), 4 when the dashboard is not built (`--html` from a checkout
 * without `npm run build`), a file cannot be written, or the server refuses the token, cannot be
 * reached or fails.
 */
export const reportCommand: CommandFactory = (context, setExitCode) =>
  new Command('report')
    .description(
      'the dashboard as a self-contained HTML file and/or a Markdown summary (CI artifacts, step summaries)',
    )
    .addOption(new Option('--html <file>', 'write the dashboard page, data inlined, to this file'))
    .addOption(
      new Option(
        '--markdown [file]',
        'write the summary as Markdown to this file, or to stdout without one',
      ),
    )
    .addOption(new Option('--service <name>', 'only this service (default: all)'))
    .addOption(
      new Option('--environment <name>', 'the environment').default(dashboardQueryDefaults.env),
    )
    .addOption(
      new Option('--window <window>', `one of ${dashboardWindows.join(', ')}`).default(
        dashboardQueryDefaults.window,
      ),
    )
    .addOption(dbOption())
    .addOption(serverOption())
    .action(async (options: ReportOptions) => {
      if (options.html === undefined && options.markdown === undefined)
        throw new CandorError(
          'usage',
          'say what to write: --html FILE, --markdown [FILE], or both',
        );
      const parsed = DashboardQuery.safeParse({
        service: options.service,
        env: options.environment,
        window: options.window,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        // The query names it `env` (as the HTTP parameter); the flag is --environment.
        const name = issue?.path[0] === 'env' ? 'environment' : issue?.path[0];
        throw new CandorError('usage', `${flagOf(name)}: ${issue?.message ?? 'invalid'}`);
      }
      const query = parsed.data;
      const assets =
        options.html === undefined
          ? undefined
          : readDashboardAssets(context.env['CANDOR_DASHBOARD_ASSETS'] || undefined);
      if (options.html !== undefined && assets === undefined)
        throw new CandorError(
          'io',
          'the dashboard is not built, so --html has no page to fill: run `npm run build` in the checkout (or set CANDOR_DASHBOARD_ASSETS to a built dist/web); --markdown needs no build',
        );
      const report =
        options.server === undefined
          ? await withStore(context, options.db, (store) =>
              buildDashboardReport(store, {
                ...query,
                now: context.now(),
                quarantine: readServerQuarantine(context.cwd),
              }),
            )
          : await readServerReport(context, options.server, query);
      const write = (file: string, text: string) => {
        const path = resolve(context.cwd, file);
        try {
          writeFileSync(path, text);
        } catch (error) {
          throw new CandorError('io', `cannot write ${path}: ${messageOf(error)}`, {
            cause: error,
          });
        }
        context.stderr.write(
          `candor: wrote ${file} (${Math.ceil(Buffer.byteLength(text) / 1024)} KiB)\n`,
        );
      };
      if (options.html !== undefined && assets !== undefined)
        write(options.html, dashboardHtml({ isPublic: true, inline: { ...assets, data: report } }));
      if (options.markdown !== undefined) {
        const markdown = rendererFor({ markdown: true }).render(
          describeDashboard(report.dashboard),
        );
        if (options.markdown === true) context.stdout.write(markdown);
        else write(options.markdown, markdown);
      }
      setExitCode(exitCodes.ok);
    });
