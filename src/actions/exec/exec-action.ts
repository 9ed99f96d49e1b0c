import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DurationText } from '../../core/lib/parse-duration.ts';
import { fillTemplate } from '../../core/release/fill-template.ts';
import { BoundedOutput, defaultOutputLimit, redact, secretValues } from '../action-output.ts';
import {
  defineRollbackAction,
  type ActionContext,
  type ActionOutcome,
} from '../rollback-action.ts';

/** Variables every command gets, so it can find its programs and its home. */
const inherited = ['PATH', 'HOME', 'LANG', 'TZ'] as const;

const ExecConfig = z.strictObject({
  kind: z.literal('exec'),
  /** The program and its arguments, never a shell string: `[kubectl, argo, rollouts, undo, …]`. */
  argv: z.array(z.string().min(1)).min(1),
  /** Working directory, relative to the repository root. */
  cwd: z.string().min(1).optional(),
  timeout: DurationText.default(300_000),
  /** After the timeout, SIGTERM; after this grace, SIGKILL. */
  killAfter: DurationText.default(5_000),
  /** Variables passed from candor's environment besides PATH, HOME, LANG and TZ (values redacted). */
  env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).default([]),
  /** Characters of output kept (head and tail). */
  outputLimit: z.number().int().min(256).max(1_048_576).default(defaultOutputLimit),
});
type ExecConfig = z.output<typeof ExecConfig>;

function filledArgv(
  config: ExecConfig,
  context: ActionContext,
): { argv: string[]; errors: string[] } {
  const argv: string[] = [];
  const errors: string[] = [];
  config.argv.forEach((arg, index) => {
    const filled = fillTemplate(arg, context.values);
    if (filled.ok) argv.push(filled.value);
    else errors.push(...filled.errors.map((e) => `argv[${index}]: ${e}`));
  });
  return { argv, errors };
}

/** The environment of the child: the inherited names, the allow-list, and CANDOR_* values. */
function childEnvironment(config: ExecConfig, context: ActionContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of [...inherited, ...config.env]) {
    const value = context.env[name];
    if (value !== undefined) env[name] = value;
  }
  const { values } = context;
  env['CANDOR_SERVICE'] = values.service;
  env['CANDOR_ENVIRONMENT'] = values.environment;
  env['CANDOR_PURPOSE'] = values.purpose;
  if (values.deployment !== undefined) env['CANDOR_DEPLOYMENT'] = values.deployment;
  if (values.reason !== undefined) env['CANDOR_REASON'] = values.reason;
  return env;
}

const quote = (arg: string) =>
  /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;

/** Runs a program with an argv array (no shell), a timeout, an environment allow-list. */
export const execAction = defineRollbackAction({
  id: 'exec',
  description:
    'runs a program with an argv array (no shell), a timeout and an environment allow-list',
  dryRun: false,
  config: ExecConfig,
  describe(config, context) {
    const { argv, errors } = filledArgv(config, context);
    if (errors.length > 0) return errors.map((e) => `error: ${e}`);
    const secrets = secretValues(context.env, config.env);
    return [
      `run ${redact(argv.map(quote).join(' '), secrets)}`,
      `in ${resolve(context.cwd, config.cwd ?? '.')}, timeout ${config.timeout / 1000}s`,
    ];
  },
  async run(config, context, signal): Promise<ActionOutcome> {
    const { argv, errors } = filledArgv(config, context);
    if (errors.length > 0) return { result: 'failure', message: errors.join('; '), output: '' };
    const secrets = secretValues(context.env, config.env);
    const output = new BoundedOutput(config.outputLimit);
    const [program, ...args] = argv as [string, ...string[]];
    const timeout = AbortSignal.timeout(config.timeout);
    const stop = AbortSignal.any([signal, timeout]);
    return await new Promise<ActionOutcome>((settle) => {
      let spawnError: NodeJS.ErrnoException | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      const child = spawn(program, args, {
        cwd: resolve(context.cwd, config.cwd ?? '.'),
        env: childEnvironment(config, context),
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so a timeout stops what it started too.
        detached: true,
      });
      const kill = (sig: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, sig);
        } catch {
          // Already gone.
        }
      };
      const onStop = () => {
        kill('SIGTERM');
        killTimer = setTimeout(() => kill('SIGKILL'), config.killAfter);
        killTimer.unref();
      };
      if (stop.aborted) onStop();
      else stop.addEventListener('abort', onStop, { once: true });
      child.stdout.setEncoding('utf8').on('data', (text: string) => output.write(text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => output.write(text));
      child.on('error', (error) => (spawnError = error));
      child.on('close', (code, sig) => {
        stop.removeEventListener('abort', onStop);
        if (killTimer !== undefined) clearTimeout(killTimer);
        const text = redact(output.toString(), secrets);
        const message = spawnError
          ? spawnError.code === 'ENOENT'
            ? `cannot run ${program}: not found on PATH or not executable`
            : `cannot run ${program}: ${spawnError.message}`
          : timeout.aborted
            ? `timed out after ${config.timeout / 1000}s (${sig ?? 'killed'})`
            : signal.aborted
              ? `stopped (${sig ?? 'aborted'})`
              : code === 0
                ? 'exited with 0'
                : code === null
                  ? `killed by ${sig}`
                  : `exited with ${code}`;
        settle({
          result: code === 0 && !stop.aborted ? 'success' : 'failure',
          message: redact(message, secrets),
          output: text,
        });
      });
    });
  },
});
