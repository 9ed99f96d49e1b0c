import { z } from 'zod';
import { flakyQueryDefaults, Share, WindowMs } from '../../contracts/queries.ts';
import {
  defineGateCondition,
  type FlakeBudgetEvidence,
  type TestVerdictEvidence,
} from '../gate-condition.ts';

/**
 * `budget:` of `tests`: the flake budget of `candor flaky budget`, under its flags' names and
 * defaults (`window: 14d`, `max: 0.5%`, `defaultBranch: main`). `max` is a share as the flag
 * takes it (`2%`, `0.02`); YAML's number `0.02` is read as `0.02`.
 */
export const TestsBudgetOptions = z.strictObject({
  window: WindowMs.prefault(flakyQueryDefaults.window),
  max: z
    .union([z.string(), z.number().transform(String)])
    .pipe(Share)
    .prefault(flakyQueryDefaults.max),
  defaultBranch: z.string().min(1).default(flakyQueryDefaults.defaultBranch),
});

/** `- tests: { files: "reports/**\/*.xml", quarantine: .candor/quarantine.yml, maxFlaky: 5 }`. */
export const TestsOptions = z.strictObject({
  /** Test reports of this run (JUnit XML, CTRF JSON): paths, directories or globs. */
  files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)]),
  /** The quarantine file whose active entries forgive failures (as `candor verdict`). */
  quarantine: z.string().min(1).default('.candor/quarantine.yml'),
  /** The most tests that may pass only on a retry in this run (default: no limit). */
  maxFlaky: z.int().min(0).optional(),
  /**
   * The repository's flake budget over a window of the store's history (`candor flaky budget`):
   * `budget: true` for its defaults, or `{ window, max, defaultBranch }`. Default: not checked.
   */
  budget: z
    .union([z.literal(true), TestsBudgetOptions])
    .transform((b) => (b === true ? TestsBudgetOptions.parse({}) : b))
    .optional(),
});
export type TestsOptions = z.output<typeof TestsOptions>;

/**
 * `tests`: the run's test reports judged against the quarantine as `candor verdict` judges them
 * (every failure forgiven by an active entry, no unreadable report), with an optional limit on
 * the tests that passed only on a retry and an optional flake budget over the store's history
 * (`candor flaky budget`: `value` the measured rate, `threshold` the budget).
 */
type TestsEvidence = TestVerdictEvidence & { budget?: FlakeBudgetEvidence | undefined };

const percent = (share: number) => `${Number((share * 100).toFixed(3))}%`;

export const testsCondition = defineGateCondition<TestsOptions, TestsEvidence>({
  id: 'tests',
  description: 'the test reports pass, failures forgiven only by the quarantine (candor verdict)',
  options: TestsOptions,
  label: (o) => `tests ${[o.files].flat().join(', ')}`.slice(0, 120),
  async gather(options, context) {
    const files = [options.files].flat();
    const verdict = await context.judgeTests({ files, quarantine: options.quarantine });
    if (verdict.reports.length === 0)
      return {
        kind: 'missing',
        expected: `test reports at ${files.join(', ')} (no file matched)`,
        files: [],
      };
    if (verdict.problems.length > 0)
      return { kind: 'invalid', problems: verdict.problems, files: [...verdict.reports] };
    if (verdict.verdict === 'no-tests')
      return {
        kind: 'missing',
        expected: `tests in ${verdict.reports.join(', ')} (the reports hold none)`,
        files: [...verdict.reports],
      };
    if (options.budget === undefined)
      return { kind: 'found', value: verdict, files: [...verdict.reports] };
    const window = `${Math.round(options.budget.window / 86_400_000)} days`;
    if (context.flakeBudget === undefined)
      return {
        kind: 'missing',
        expected: `test executions of the last ${window} in the store (no test history here)`,
        files: [...verdict.reports],
      };
    const budget = await context.flakeBudget({
      windowMs: options.budget.window,
      max: options.budget.max,
      defaultBranch: options.budget.defaultBranch,
    });
    if (budget.executions === 0 || budget.rate === null)
      return {
        kind: 'missing',
        expected: `test executions of the last ${window} in the store (none since ${budget.window.from})`,
        files: [...verdict.reports],
      };
    return { kind: 'found', value: { ...verdict, budget }, files: [...verdict.reports] };
  },
  evaluate(evidence, options) {
    const blocking = evidence.blocking.length;
    const flakyOver = options.maxFlaky !== undefined && evidence.flaky > options.maxFlaky;
    const summary = `${evidence.tests} tests, ${blocking} blocking failure(s), ${evidence.forgiven} forgiven by the quarantine, ${evidence.flaky} flaky`;
    if (blocking > 0)
      return {
        result: 'fail',
        value: blocking,
        threshold: 0,
        message: `${summary}: ${evidence.blocking.slice(0, 5).join(', ')}${blocking > 5 ? ', …' : ''}`,
      };
    if (flakyOver)
      return {
        result: 'fail',
        value: evidence.flaky,
        threshold: options.maxFlaky ?? null,
        message: `${summary}: more than ${options.maxFlaky} passed only on a retry`,
      };
    const { budget } = evidence;
    if (budget?.rate == null) return { result: 'pass', value: 0, threshold: 0, message: summary };
    const spent = `flake rate ${percent(budget.rate)} (${budget.flakyExecutions} flaky of ${budget.executions} executions since ${budget.window.from})`;
    return budget.overBudget
      ? {
          result: 'fail',
          value: budget.rate,
          threshold: budget.max,
          message: `${summary}; ${spent}, over the budget of ${percent(budget.max)}`,
        }
      : {
          result: 'pass',
          value: budget.rate,
          threshold: budget.max,
          message: `${summary}; ${spent}, within the budget of ${percent(budget.max)}`,
        };
  },
});
