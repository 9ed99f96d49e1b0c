import { z } from 'zod';
import { defineGateCondition, type TestVerdictEvidence } from '../gate-condition.ts';

/** `- tests: { files: "reports/**\/*.xml", quarantine: .candor/quarantine.yml, maxFlaky: 5 }`. */
export const TestsOptions = z.strictObject({
  /** Test reports of this run (JUnit XML, CTRF JSON): paths, directories or globs. */
  files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)]),
  /** The quarantine file whose active entries forgive failures (as `candor verdict`). */
  quarantine: z.string().min(1).default('.candor/quarantine.yml'),
  /** The most tests that may pass only on a retry in this run (default: no limit). */
  maxFlaky: z.int().min(0).optional(),
});
export type TestsOptions = z.output<typeof TestsOptions>;

/**
 * `tests`: the run's test reports judged against the quarantine as `candor verdict` judges them
 * (every failure forgiven by an active entry, no unreadable report), with an optional limit on
 * the tests that passed only on a retry.
 */
export const testsCondition = defineGateCondition<TestsOptions, TestVerdictEvidence>({
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
    return { kind: 'found', value: verdict, files: [...verdict.reports] };
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
    return { result: 'pass', value: 0, threshold: 0, message: summary };
  },
});
