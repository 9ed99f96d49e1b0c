import { z } from 'zod';
import { formatIssuePath } from '../../core/format-issue-path.ts';
import { fail, ok } from '../../core/result.ts';
import type { Attempt, AttemptStatus, ReportedTest } from '../../core/test-model.ts';
import { textLimits, truncateText } from '../../core/truncate-text.ts';
import type { Reader, ReadProblem } from '../reader.ts';

/** Largest CTRF document read, in characters: CTRF is parsed whole (docs/adr/0004). */
export const ctrfMaxCharacters = 256 * 1024 * 1024;

const CtrfStatus = z.enum(['passed', 'failed', 'skipped', 'pending', 'other']);

const CtrfAttempt = z.object({
  attempt: z.number().int().optional(),
  status: CtrfStatus,
  duration: z.number().nonnegative().optional(),
  message: z.string().optional(),
  trace: z.string().optional(),
});

const CtrfTest = z.object({
  name: z.string(),
  status: CtrfStatus,
  duration: z.number().nonnegative(),
  suite: z.union([z.array(z.string()), z.string()]).optional(),
  filePath: z.string().optional(),
  line: z.number().int().nonnegative().optional(),
  message: z.string().optional(),
  trace: z.string().optional(),
  rawStatus: z.string().optional(),
  retries: z.number().int().nonnegative().optional(),
  flaky: z.boolean().optional(),
  retryAttempts: z.array(CtrfAttempt).optional(),
  stdout: z.array(z.string()).optional(),
  stderr: z.array(z.string()).optional(),
});

/**
 * A CTRF document: the current spec (`reportFormat: "CTRF"`, `specVersion`) and the older shape
 * with only `results`. Unknown properties are ignored rather than rejected: a consumer that
 * refuses a report because a producer added a field would hide test results.
 */
export const CtrfReport = z.object({
  reportFormat: z.literal('CTRF').optional(),
  specVersion: z.string().optional(),
  results: z.object({
    tool: z.object({ name: z.string() }),
    summary: z.object({}).loose().optional(),
    tests: z.array(CtrfTest),
  }),
});
export type CtrfReport = z.infer<typeof CtrfReport>;

function toStatus(status: z.infer<typeof CtrfStatus>): AttemptStatus {
  if (status === 'passed') return 'passed';
  if (status === 'failed') return 'failed';
  return 'skipped';
}

function toAttempt(entry: {
  status: z.infer<typeof CtrfStatus>;
  duration?: number | undefined;
  message?: string | undefined;
  trace?: string | undefined;
}): Attempt {
  const attempt: Attempt = { status: toStatus(entry.status) };
  if (attempt.status === 'failed') attempt.failureKind = 'failure';
  if (entry.duration !== undefined) attempt.durationMs = entry.duration;
  if (entry.message) attempt.message = truncateText(entry.message, textLimits.message);
  if (entry.trace) attempt.trace = truncateText(entry.trace, textLimits.trace);
  return attempt;
}

function toReportedTest(test: z.infer<typeof CtrfTest>): ReportedTest {
  const suitePath =
    test.suite === undefined
      ? []
      : Array.isArray(test.suite)
        ? test.suite
        : test.suite.split(' > ');
  const reported: ReportedTest = { name: test.name, suitePath, attempts: [] };
  if (test.filePath) reported.file = test.filePath;
  if (test.line !== undefined) reported.line = test.line;
  // retryAttempts lists earlier attempts; the test's own status is the last one.
  const earlier = (test.retryAttempts ?? [])
    .slice()
    .sort((a, b) => (a.attempt ?? 0) - (b.attempt ?? 0));
  const last = toAttempt(test);
  const stdout = test.stdout?.join('\n');
  if (stdout && last.status !== 'passed') last.stdout = truncateText(stdout, textLimits.output);
  const stderr = test.stderr?.join('\n');
  if (stderr && last.status !== 'passed') last.stderr = truncateText(stderr, textLimits.output);
  const attempts = earlier.map(toAttempt);
  // A report that says flaky (or counts retries) without listing the attempts still saw failures.
  if (
    attempts.length === 0 &&
    last.status === 'passed' &&
    (test.flaky === true || (test.retries ?? 0) > 0)
  ) {
    attempts.push({ status: 'failed', failureKind: 'failure' });
  }
  reported.attempts = [...attempts, last];
  return reported;
}

/** Line and column of a JSON syntax error, from V8's "(line L column C)" or "position N". */
function locateSyntaxError(message: string, text: string): { line?: number; column?: number } {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** CTRF JSON (ctrf.io), retries mapped to attempts. */
export const ctrfReader: Reader = {
  format: 'ctrf',

  detect(head) {
    return /^\s*\{/.test(head);
  },

  async read(input, sink) {
    const parts: string[] = [];
    let length = 0;
    for await (let chunk of input) {
      if (length === 0 && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      length += chunk.length;
      if (length > ctrfMaxCharacters) {
        return fail<ReadProblem>({
          message: `CTRF report larger than ${ctrfMaxCharacters} characters; split it or use JUnit XML`,
        });
      }
      parts.push(chunk);
    }
    const text = parts.join('');
    if (text.trim() === '')
      return fail<ReadProblem>({ message: 'the document is empty', line: 1, column: 1 });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return fail<ReadProblem>({
        message: `invalid JSON: ${message.replace(/\s*\(line \d+ column \d+\)/, '')}`,
        ...locateSyntaxError(message, text),
      });
    }
    const parsed = CtrfReport.safeParse(json);
    if (!parsed.success) {
      return fail(
        ...parsed.error.issues.slice(0, 20).map((issue): ReadProblem => {
          const path = formatIssuePath(issue.path);
          return { message: `${path || '(root)'}: ${issue.message}`, path };
        }),
      );
    }
    const tests = parsed.data.results.tests;
    for (let i = 0; i < tests.length; i += 1_000) {
      await sink(tests.slice(i, i + 1_000).map(toReportedTest));
    }
    return ok({ testCases: tests.length });
  },
};
