import { Command } from 'commander';
import { loadCandorConfig } from '../../app/config/load-candor-config.ts';
import { approveWave, decideNextWave, releasePlanFor } from '../../app/release/release-waves.ts';
import type { CandorConfig } from '../../config/candor-config.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import { exitCodes, type CliContext, type CommandFactory } from '../cli-context.ts';
import { describeMessage } from '../documents/describe-message.ts';
import { describeNextWave, describeReleasePlan } from '../documents/describe-release.ts';
import { withStore } from '../open-cli-store.ts';
import { configOption, dbOption, jsonOption, markdownOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

function configOf(context: CliContext, path: string | undefined): CandorConfig {
  const loaded = loadCandorConfig({ cwd: context.cwd, path });
  if (!loaded.ok)
    throw new CandorError(
      'usage',
      loaded.errors.map((p) => formatProblem(p, path ?? 'candor.yml')).join('\n'),
    );
  return loaded.value.config;
}

/** Exit codes of `candor release next`: 0 go (or done), 1 stop, 3 wait. */
const exitOfDecision = {
  go: exitCodes.ok,
  done: exitCodes.ok,
  stop: exitCodes.rejected,
  wait: 3,
} as const;

type Common = { service: string; config?: string; db?: string; json?: boolean; markdown?: boolean };

/** `candor release plan|next|approve` (README "candor release"): serial region waves from the ledger. */
export const releaseCommand: CommandFactory = (context, setExitCode) => {
  const release = new Command('release').description(
    'serial region waves: which wave may go now, from the ledger',
  );
  release
    .command('plan')
    .description("print the service's waves")
    .requiredOption('--service <name>', 'the service')
    .addOption(configOption())
    .addOption(jsonOption())
    .addOption(markdownOption())
    .action((options: Common) => {
      const plan = releasePlanFor(configOf(context, options.config), options.service);
      if (options.json)
        context.stdout.write(
          `${JSON.stringify({ service: options.service, waves: plan.waves })}\n`,
        );
      else
        writeDocument(context.stdout, describeReleasePlan(options.service, plan), {
          markdown: options.markdown,
        });
      setExitCode(exitCodes.ok);
    });
  release
    .command('next')
    .description(
      'which wave of a deployment may go now: exit 0 go, 1 stop (a wave failed), 3 wait (bake, approval, deploying)',
    )
    .requiredOption('--service <name>', 'the service')
    .requiredOption(
      '--deployment <id>',
      "the release's deployment id, carried by every region's events",
    )
    .addOption(configOption())
    .addOption(dbOption())
    .addOption(
      jsonOption(
        'print JSON: {"decision", "wave", "environments", "reason", "until", "waves": [...]}',
      ),
    )
    .addOption(markdownOption())
    .action(async (options: Common & { deployment: string }) => {
      const config = configOf(context, options.config);
      const next = await withStore(context, options.db, (store) =>
        decideNextWave(store, config, {
          service: options.service,
          deployment: options.deployment,
          now: context.now(),
        }),
      );
      if (options.json) context.stdout.write(`${JSON.stringify(next)}\n`);
      else writeDocument(context.stdout, describeNextWave(next), { markdown: options.markdown });
      setExitCode(exitOfDecision[next.decision]);
    });
  release
    .command('approve')
    .description('record that a wave may go (release_approved)')
    .requiredOption('--service <name>', 'the service')
    .requiredOption('--deployment <id>', "the release's deployment id")
    .requiredOption('--wave <name>', 'the wave approved')
    .option('--by <who>', 'who approves (default: $GITHUB_ACTOR, $GITLAB_USER_LOGIN, else $USER)')
    .addOption(configOption())
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (options: Common & { deployment: string; wave: string; by?: string }) => {
      const config = configOf(context, options.config);
      const by =
        options.by ??
        context.env['GITHUB_ACTOR'] ??
        context.env['GITLAB_USER_LOGIN'] ??
        context.env['USER'] ??
        'unknown';
      const approved = await withStore(context, options.db, (store) =>
        approveWave(store, config, {
          service: options.service,
          deployment: options.deployment,
          wave: options.wave,
          by,
          now: context.now(),
        }),
      );
      if (options.json)
        context.stdout.write(`${JSON.stringify({ ...approved, wave: options.wave, by })}\n`);
      else
        writeDocument(
          context.stdout,
          describeMessage(
            approved.recorded
              ? `approved wave ${options.wave} of ${options.deployment} (${by})`
              : `wave ${options.wave} of ${options.deployment} was already approved: the first approval stands`,
          ),
        );
      setExitCode(exitCodes.ok);
    });
  return release;
};
