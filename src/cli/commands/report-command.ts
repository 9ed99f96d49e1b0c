import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { buildDashboardReport } from '../../app/dashboard/build-dashboard-report.ts';
import { readServerQuarantine } from '../../app/dashboard/read-server-quarantine.ts';
import {
  DashboardQuery,
  dashboardQueryDefaults,
  dashboardWindows,
} from '../../contracts/dashboard.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import { dashboardHtml, readDashboardAssets } from '../../server/dashboard-page.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeDashboard } from '../documents/describe-dashboard.ts';
import { withStore } from '../open-cli-store.ts';
import { dbOption, flagOf } from '../options.ts';
import { rendererFor } from '../render/renderers.ts';

type ReportOptions = {
  html?: string;
  markdown?: string | true;
  service?: string;
  environment?: string;
  window?: string;
  db?: string;
};

/**
 * `candor report`: the dashboard as one self-contained HTML file (`--html FILE`: script, style,
 * data, timelines and definitions inlined; it requests nothing) and/or its Markdown summary
 * (`--markdown`: to stdout, `--markdown FILE`: to a file), from the local store through the same
 * use case as `GET /api/v1/dashboard` (README "candor report"). Exit 0, 2 on a bad flag, 4 when
 * the dashboard is not built (`--html` from a checkout without `npm run build`) or a file cannot
 * be written.
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
      const report = await withStore(context, options.db, (store) =>
        buildDashboardReport(store, {
          ...query,
          now: context.now(),
          quarantine: readServerQuarantine(context.cwd),
        }),
      );
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
