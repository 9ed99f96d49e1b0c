import { z } from 'zod';
import { parseBudget } from '../core/flaky/flake-budget.ts';
import { parseWindow } from '../core/lib/parse-window.ts';
import { doraPeriods } from '../core/delivery/dora/split-periods.ts';

/**
 * One schema per use case's input, with its defaults, shared by every shell: commander options of
 * the CLI and Fastify query strings are parsed into these (docs/adr/0013). Inputs are text, as
 * flags and query strings are; outputs are what the app layer takes. A shell names a failing
 * field its own way (`--incident-window`, `query.incidentWindow`); the message after the name is
 * the schema's.
 */

/** A window such as `14d`, `12h`, `2w` or `90m`, in milliseconds (core/lib/parse-window.ts). */
export const WindowMs = z.string().transform((text, ctx) => {
  const window = parseWindow(text);
  if (window.ok) return window.value;
  ctx.addIssue({ code: 'custom', message: window.errors[0] ?? 'invalid window', input: text });
  return z.NEVER;
});

/** A share such as `0.5%` or `0.005`, as a fraction from 0 to 1 (core/flaky/flake-budget.ts). */
export const Share = z.string().transform((text, ctx) => {
  const share = parseBudget(text);
  if (share !== undefined) return share;
  ctx.addIssue({
    code: 'custom',
    message: `expected a share such as 0.5% or 0.005, got "${text}"`,
    input: text,
  });
  return z.NEVER;
});

/** A whole number from 1 up, as text (`10`) or a number. */
export const PositiveInteger = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const n = Number(value);
  if (Number.isInteger(n) && n >= 1) return n;
  ctx.addIssue({
    code: 'custom',
    message: `expected a positive integer, got "${String(value)}"`,
    input: value,
  });
  return z.NEVER;
});

/** Any time `Date.parse` reads (ISO-8601 or a date), as an ISO-8601 UTC instant. */
export const Instant = z.string().transform((text, ctx) => {
  const ms = Date.parse(text);
  if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  ctx.addIssue({
    code: 'custom',
    message: `expected an ISO-8601 time, got "${text}"`,
    input: text,
  });
  return z.NEVER;
});

/** An ISO-8601 date-time with a `Z` or an offset, only, as an ISO-8601 UTC instant. */
export const StrictInstant = z.iso.datetime({ offset: true }).pipe(Instant);

/** The defaults of `FlakyQuery`, as text: what `--help` shows and the schema fills in. */
export const flakyQueryDefaults = {
  window: '14d',
  defaultBranch: 'main',
  max: '0.5%',
  minExecutions: '10',
} as const;

/**
 * `candor flaky`, `flaky budget`, `quarantine suggest`, and `/metrics`: the window `14d`, the
 * flake budget `0.5%`, at least 10 counted executions before rates count, the default branch
 * `main`. The CLI passes `$CANDOR_DEFAULT_BRANCH` as `defaultBranch` when no flag gives one.
 */
export const FlakyQuery = z
  .object({
    window: WindowMs.prefault(flakyQueryDefaults.window),
    branch: z.string().optional(),
    defaultBranch: z.string().default(flakyQueryDefaults.defaultBranch),
    repo: z.string().optional(),
    max: Share.prefault(flakyQueryDefaults.max),
    minExecutions: PositiveInteger.prefault(flakyQueryDefaults.minExecutions),
  })
  .transform((query) => ({
    windowMs: query.window,
    branch: query.branch,
    defaultBranch: query.defaultBranch,
    repo: query.repo,
    maxBudget: query.max,
    classify: { minExecutions: query.minExecutions },
  }));
export type FlakyQuery = z.output<typeof FlakyQuery>;

/** The flaky query of no flag at all (what `/metrics` reports). */
export const defaultFlakyQuery: FlakyQuery = FlakyQuery.parse({});

/** The defaults of `DoraQuery`, as text. */
export const doraQueryDefaults = {
  window: '30d',
  env: 'production',
  incidentWindow: '24h',
} as const;

/** The fields of `DoraQuery`, as the flags and query parameters name them. */
const doraQueryShape = {
  window: WindowMs.prefault(doraQueryDefaults.window),
  service: z.string().min(1).optional(),
  env: z.string().min(1).default(doraQueryDefaults.env),
  team: z.string().min(1).optional(),
  incidentWindow: WindowMs.prefault(doraQueryDefaults.incidentWindow),
};

/** The parsed flags as the app's services take them. */
function toDoraQuery(query: z.output<z.ZodObject<typeof doraQueryShape>>) {
  return {
    windowMs: query.window,
    environment: query.env,
    incidentWindowMs: query.incidentWindow,
    service: query.service,
    team: query.team,
  };
}

/**
 * `candor dora` and `GET /api/v1/dora` (DEFINITIONS.md): deployments started in the last `30d`
 * to the environment `production`; an incident links by inference to a deployment it follows
 * within `24h`.
 */
export const DoraQuery = z.object(doraQueryShape).transform(toDoraQuery);
export type DoraQuery = z.output<typeof DoraQuery>;

/**
 * `GET /api/v1/dora`: `DoraQuery`, and `by` (`week` or `month`) for the trend, which is then the
 * JSON of `candor dora --by … --json`.
 */
export const DoraTrendQuery = z
  .object({ ...doraQueryShape, by: z.enum(doraPeriods).optional() })
  .transform(({ by, ...rest }) => ({ ...toDoraQuery(rest), by }));
export type DoraTrendQuery = z.output<typeof DoraTrendQuery>;

/** The defaults of `RunsQuery`, as text. */
export const runsQueryDefaults = { limit: '50' } as const;

/** `candor runs` and `GET /api/v1/runs`: the latest 50 runs, of every repository. */
export const RunsQuery = z.object({
  limit: PositiveInteger.prefault(runsQueryDefaults.limit),
  repo: z.string().min(1).optional(),
});
export type RunsQuery = z.output<typeof RunsQuery>;

/** The defaults of `TestHistoryQuery`, as text. */
export const testHistoryQueryDefaults = { limit: '30' } as const;

/** `candor tests show <key>`: the latest 30 executions of each test matching the key. */
export const TestHistoryQuery = z.object({
  key: z.string(),
  limit: PositiveInteger.prefault(testHistoryQueryDefaults.limit),
  repo: z.string().optional(),
});
export type TestHistoryQuery = z.output<typeof TestHistoryQuery>;

/** The defaults of `SplitQuery`, as text. */
export const splitQueryDefaults = { by: 'file', window: '30d', last: '10' } as const;

/**
 * `candor split`: into `shards` shards, each unit's estimate the median of its last 10 runs in
 * the last `30d`; units are test files unless `by` is `test`.
 */
export const SplitQuery = z.object({
  shards: PositiveInteger,
  index: PositiveInteger.optional(),
  by: z.enum(['file', 'test']).default(splitQueryDefaults.by),
  last: PositiveInteger.prefault(splitQueryDefaults.last),
  window: WindowMs.prefault(splitQueryDefaults.window),
  repo: z.string().optional(),
});
export type SplitQuery = z.output<typeof SplitQuery>;

const runMetadataShape = {
  run: z.string().min(1).max(200).optional(),
  repo: z.string().min(1).max(500).optional(),
  branch: z.string().min(1).max(500).optional(),
  commit: z.string().min(1).max(200).optional(),
  variant: z.string().min(1).max(200).optional(),
  defaultBranch: z.string().min(1).max(500).optional(),
  startedAt: Instant.optional(),
  ciProvider: z.string().max(100).optional(),
  ciJob: z.string().max(500).optional(),
  ciAttempt: z.string().max(100).optional(),
  ciUrl: z.string().max(2_000).optional(),
};

/** Run metadata under the names callers use (`commit`, `run`) as `resolveRun` takes it. */
function toRunFlags(metadata: z.output<z.ZodObject<typeof runMetadataShape>>) {
  return {
    runId: metadata.run,
    repo: metadata.repo,
    branch: metadata.branch,
    commitSha: metadata.commit,
    variant: metadata.variant,
    defaultBranch: metadata.defaultBranch,
    startedAt: metadata.startedAt,
    ciProvider: metadata.ciProvider,
    ciJob: metadata.ciJob,
    ciAttempt: metadata.ciAttempt,
    ciUrl: metadata.ciUrl,
  };
}

/**
 * What a caller says about the run a report belongs to (`candor ingest` flags): anything left
 * out comes from the CI environment, then git (app/tests/resolve-run.ts). `startedAt` is any time
 * `Date.parse` reads. Whether it is plausible depends on when it arrives: the shell checks it
 * with core's `implausibleTime`.
 */
export const RunMetadata = z.object(runMetadataShape).transform(toRunFlags);
export type RunMetadata = z.output<typeof RunMetadata>;

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === '');

/**
 * Query parameters of POST /api/v1/test-reports: the run metadata `candor ingest` takes as flags
 * (`startedAt` as an ISO-8601 date-time with an offset), the report format among `formats` (the
 * reader registry's, given by the caller: contracts import no reader) or `auto`, `allowEmpty`,
 * and `path`, a name for the report in summaries (e.g. its path in the CI workspace).
 */
export function testReportQuery<const F extends string>(formats: readonly F[]) {
  return z
    .object({
      ...runMetadataShape,
      startedAt: StrictInstant.optional(),
      format: z
        .enum(['auto', ...formats] as ['auto', ...F[]])
        .optional()
        .transform((format): 'auto' | F => format ?? 'auto'),
      allowEmpty: flag,
      path: z.string().min(1).max(1_000).optional(),
    })
    .transform(({ format, allowEmpty, path, ...metadata }) => ({
      run: toRunFlags(metadata),
      format,
      allowEmpty,
      path,
    }));
}
export type TestReportQuery<F extends string> = z.output<ReturnType<typeof testReportQuery<F>>>;

/**
 * What a CI job's checkout holds that a server does not, sent as the JSON body of a POST read
 * (docs/adr/0019): the text of the repository's CODEOWNERS, for the owners of the flaky
 * reports. Small: the server takes at most 1 MiB.
 */
export const CheckoutFiles = z.strictObject({
  codeowners: z.string().optional(),
});
export type CheckoutFiles = z.output<typeof CheckoutFiles>;

/** `candor quarantine suggest` and `GET /api/v1/quarantine/suggestions`: the mode of the entries. */
export const SuggestionQuery = z.object({
  mode: z.enum(['run', 'skip']).default('run'),
});
export type SuggestionQuery = z.output<typeof SuggestionQuery>;

/** `POST /api/v1/split`: the units to split, as `candor split` reads them (one per entry). */
export const SplitUnits = z.strictObject({
  units: z.array(z.string().min(1).max(4_096)).max(100_000),
});
export type SplitUnits = z.output<typeof SplitUnits>;

/**
 * `candor verdict --server` and `POST /api/v1/verdicts`: the stored run to judge, by `run` id,
 * or by `commit` (its newest run; `repo` narrows it). Exactly one of `run` and `commit`.
 */
export const VerdictQuery = z
  .object({
    run: z.string().min(1).max(200).optional(),
    commit: z.string().min(1).max(200).optional(),
    repo: z.string().min(1).max(500).optional(),
  })
  .superRefine((query, ctx) => {
    if ((query.run === undefined) === (query.commit === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [query.run === undefined ? 'run' : 'commit'],
        message: 'give the stored run to judge: either run (its id) or commit, not both',
      });
  });
export type VerdictQuery = z.output<typeof VerdictQuery>;

/** The defaults of `CiHealthQuery`, as text. */
export const ciHealthQueryDefaults = {
  branch: 'main',
  since: '30d',
  env: 'production',
  worst: '5',
} as const;

/** Where a CI-health window starts: a window back from now (`30d`) or a time (`2026-11-01`). */
export const SinceText = z.string().transform((text, ctx) => {
  const window = parseWindow(text);
  if (window.ok) return { windowMs: window.value };
  const ms = Date.parse(text);
  if (!Number.isNaN(ms)) return { from: new Date(ms).toISOString() };
  ctx.addIssue({
    code: 'custom',
    message: `expected a window such as 30d or a date such as 2026-11-01, got "${text}"`,
    input: text,
  });
  return z.NEVER;
});

/**
 * `candor ci-health` and `GET /api/v1/ci-health` (DEFINITIONS.md "CI health"): the runs of
 * `main` started in the last `30d`, the 5 worst red episodes, and the stage latency of the
 * `production` pipeline per week (every service, or `service`).
 */
export const CiHealthQuery = z
  .object({
    branch: z.string().min(1).default(ciHealthQueryDefaults.branch),
    since: SinceText.prefault(ciHealthQueryDefaults.since),
    repo: z.string().min(1).optional(),
    service: z.string().min(1).optional(),
    env: z.string().min(1).default(ciHealthQueryDefaults.env),
    worst: PositiveInteger.prefault(ciHealthQueryDefaults.worst),
  })
  .transform(({ env, ...query }) => ({ ...query, environment: env }));
export type CiHealthQuery = z.output<typeof CiHealthQuery>;
