import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, basename } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { DurationText } from '../../core/lib/parse-duration.ts';
import { fillTemplate } from '../../core/release/fill-template.ts';
import { readFlagdFile, type FlagdFlag } from './read-flagd-file.ts';
import { BoundedOutput, redact, secretValues } from '../action-output.ts';
import {
  defineRollbackAction,
  type ActionContext,
  type ActionOutcome,
} from '../rollback-action.ts';

const FlagdConfig = z.strictObject({
  kind: z.literal('flag'),
  provider: z.literal('flagd'),
  /** The flagd flag file (JSON or YAML), relative to the repository root. */
  file: z.string().min(1),
  flag: z.string().min(1),
  /** The variant that means off; default: the variant named `off`, else the one whose value is false. */
  offVariant: z.string().min(1).optional(),
});

const UnleashConfig = z.strictObject({
  kind: z.literal('flag'),
  provider: z.literal('unleash'),
  /** The Unleash base URL, e.g. https://unleash.example.com */
  url: z.string().min(1),
  project: z.string().min(1).default('default'),
  flag: z.string().min(1),
  /** The Unleash environment to disable the flag in; default `{{environment}}`. */
  environment: z.string().min(1).default('{{environment}}'),
  /** The environment variable holding an admin API token. */
  tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  timeout: DurationText.default(10_000),
});

const FlagConfig = z.discriminatedUnion('provider', [FlagdConfig, UnleashConfig]);
type FlagdConfig = z.output<typeof FlagdConfig>;
type UnleashConfig = z.output<typeof UnleashConfig>;

function offVariantOf(
  flag: FlagdFlag,
  configured: string | undefined,
): { ok: true; value: string } | { ok: false; error: string } {
  const variants = flag.variants ?? {};
  if (configured !== undefined)
    return Object.hasOwn(variants, configured)
      ? { ok: true, value: configured }
      : {
          ok: false,
          error: `the flag has no variant "${configured}" (it has ${Object.keys(variants).join(', ') || 'none'})`,
        };
  if (Object.hasOwn(variants, 'off')) return { ok: true, value: 'off' };
  const falses = Object.entries(variants).filter(([, value]) => value === false);
  if (falses.length === 1) return { ok: true, value: falses[0]![0] };
  return { ok: false, error: 'no variant is named "off" or is the only false one: set offVariant' };
}

/** Writes beside the target, then renames over it: readers see the old file or the new one. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}

async function turnOffFlagd(config: FlagdConfig, context: ActionContext): Promise<ActionOutcome> {
  const path = resolve(context.cwd, config.file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return {
      result: 'failure',
      message: `cannot read ${config.file}: ${(error as Error).message}`,
      output: '',
    };
  }
  const json = /\.json$/i.test(path) || /^\s*\{/.test(text);
  const document = parseDocument(text);
  if (document.errors.length > 0)
    return {
      result: 'failure',
      message: `${config.file}: not a flagd flag file (${document.errors[0]!.message.split('\n')[0]})`,
      output: '',
    };
  const read = readFlagdFile(text);
  if (!read.ok)
    return {
      result: 'failure',
      message: `${config.file}: not a flagd flag file (${read.errors[0]?.message ?? 'unreadable'})`,
      output: '',
    };
  const flag = document.getIn(['flags', config.flag], false);
  const current = read.value.flags[config.flag];
  if (flag === undefined || current === undefined)
    return {
      result: 'failure',
      message: `${config.file}: no flag "${config.flag}" under flags`,
      output: '',
    };
  const off = offVariantOf(current, config.offVariant);
  if (!off.ok)
    return {
      result: 'failure',
      message: `${config.file}: flag "${config.flag}": ${off.error}`,
      output: '',
    };
  const before = current.defaultVariant;
  let updated: string;
  if (json) {
    const whole = JSON.parse(text) as { flags: Record<string, FlagdFlag> };
    const target = whole.flags[config.flag]!;
    target.defaultVariant = off.value;
    delete target.targeting;
    updated = `${JSON.stringify(whole, null, 2)}\n`;
  } else {
    // YAML keeps its comments: edit the document in place.
    document.setIn(['flags', config.flag, 'defaultVariant'], off.value);
    document.deleteIn(['flags', config.flag, 'targeting']);
    updated = document.toString();
  }
  try {
    await writeAtomically(path, updated);
  } catch (error) {
    return {
      result: 'failure',
      message: `cannot write ${config.file}: ${(error as Error).message}`,
      output: '',
    };
  }
  return {
    result: 'success',
    message: `${config.file}: flag "${config.flag}" defaultVariant ${before ?? '(none)'} → ${off.value}, targeting dropped`,
    output: '',
  };
}

function unleashRequest(
  config: UnleashConfig,
  context: ActionContext,
): { ok: true; url: string } | { ok: false; error: string } {
  const environment = fillTemplate(config.environment, context.values);
  if (!environment.ok) return { ok: false, error: `environment: ${environment.errors.join('; ')}` };
  const part = encodeURIComponent;
  try {
    const base = new URL(config.url);
    const url = new URL(
      `${base.pathname.replace(/\/$/, '')}/api/admin/projects/${part(config.project)}/features/${part(config.flag)}/environments/${part(environment.value)}/off`,
      base,
    );
    return { ok: true, url: url.toString() };
  } catch {
    return { ok: false, error: `url: not a URL: ${config.url}` };
  }
}

async function turnOffUnleash(
  config: UnleashConfig,
  context: ActionContext,
  signal: AbortSignal,
): Promise<ActionOutcome> {
  const request = unleashRequest(config, context);
  if (!request.ok) return { result: 'failure', message: request.error, output: '' };
  const token = context.env[config.tokenEnv];
  if (token === undefined)
    return {
      result: 'failure',
      message: `tokenEnv: environment variable ${config.tokenEnv} is not set`,
      output: '',
    };
  const secrets = secretValues(context.env, [config.tokenEnv]);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: { authorization: token, 'user-agent': 'candor' },
      signal: AbortSignal.any([signal, AbortSignal.timeout(config.timeout)]),
      redirect: 'error',
    });
    const output = new BoundedOutput(4_096);
    output.write(await response.text());
    return {
      result: response.ok ? 'success' : 'failure',
      message: `Unleash: ${config.flag} off in ${new URL(request.url).pathname.split('/').at(-2)} (HTTP ${response.status})`,
      output: redact(output.toString(), secrets),
    };
  } catch (error) {
    const name = (error as Error).name;
    return {
      result: 'failure',
      message:
        name === 'TimeoutError'
          ? `Unleash: timed out after ${config.timeout / 1000}s`
          : `Unleash: cannot reach ${config.url}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`,
      output: '',
    };
  }
}

/** Turns a feature flag off: "roll back the flag, not the deploy" (flagd files, Unleash). */
export const flagAction = defineRollbackAction({
  id: 'flag',
  description:
    'turns a feature flag off: a flagd flag file (atomic write) or the Unleash admin API',
  dryRun: false,
  config: FlagConfig,
  describe(config, context) {
    if (config.provider === 'flagd')
      return [
        `set flags.${config.flag}.defaultVariant to ${config.offVariant ?? 'its off variant'} in ${resolve(context.cwd, config.file)}, drop its targeting`,
      ];
    const request = unleashRequest(config, context);
    return request.ok
      ? [`POST ${request.url} (token from ${config.tokenEnv})`]
      : [`error: ${request.error}`];
  },
  async run(config, context, signal) {
    if (signal.aborted) return { result: 'failure', message: 'stopped', output: '' };
    return config.provider === 'flagd'
      ? await turnOffFlagd(config, context)
      : await turnOffUnleash(config, context, signal);
  },
});
