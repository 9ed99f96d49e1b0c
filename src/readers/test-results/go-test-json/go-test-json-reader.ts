import { z } from 'zod';
import { formatIssuePath } from '../../../core/lib/format-issue-path.ts';
import type { Problem } from '../../../core/lib/problem.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import { textLimits, truncateText } from '../../../core/lib/truncate-text.ts';
import type { Attempt, ReportedTest } from '../../../core/tests/test-model.ts';
import { BoundedText } from '../bounded-text.ts';
import { boundIdentity, plausibleDurationMs } from '../reader-limits.ts';
import type { TestResultReader } from '../test-result-reader.ts';
import { EarliestTime, withStart } from '../earliest-time.ts';
import { locateJsonError } from './locate-json-error.ts';

/**
 * One line of `go test -json` (cmd/test2json's `TestEvent`). Unknown properties (`FailedBuild`,
 * `ImportPath` in newer Go versions) and unknown actions (`start`, `build-output`, ...) are
 * ignored, so a newer Go is read as well as the one the fixtures came from.
 */
export const GoTestEvent = z.object({
  Time: z.string().optional(),
  Action: z.string(),
  Package: z.string().optional(),
  Test: z.string().optional(),
  Elapsed: z.number().nonnegative().optional(),
  Output: z.string().optional(),
});
export type GoTestEvent = z.infer<typeof GoTestEvent>;

/** Tests handed to the sink at once. */
const batchSize = 1_000;
/** test2json splits long output lines itself; a longer line is not its output. */
const maxLineCharacters = 1024 * 1024;

/** The lines `go test -v` frames a test's output with: not part of a failure message. */
const framingLine = /^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)\s|--- (?:PASS|FAIL|SKIP):\s)/;

type RunningTest = { name: string; output: BoundedText; firstLine?: string };

/** The outcome of one run of a test, from its final action (`pass`, `fail`, `skip`). */
function toAttempt(
  action: 'pass' | 'fail' | 'skip' | 'unfinished',
  running: RunningTest,
  elapsed: number | undefined,
): Attempt {
  const attempt: Attempt =
    action === 'pass'
      ? { status: 'passed' }
      : action === 'skip'
        ? { status: 'skipped' }
        : { status: 'failed', failureKind: action === 'fail' ? 'failure' : 'error' };
  const durationMs = plausibleDurationMs(elapsed === undefined ? undefined : elapsed * 1_000);
  if (durationMs !== undefined) attempt.durationMs = Math.round(durationMs * 1_000) / 1_000;
  if (attempt.status !== 'passed') {
    if (running.firstLine !== undefined) {
      attempt.message = truncateText(running.firstLine, textLimits.message);
    }
    const trace = running.output.value();
    if (attempt.status === 'failed' && trace !== '') attempt.trace = trace;
  }
  return attempt;
}

/**
 * `go test -json` (test2json), line by line: each run of a test is one entry, so `-count=N` and
 * `gotestsum --rerun-fails` reruns become attempts of one test when the ingest merges them.
 */
export const goTestJsonReader = {
  id: 'go-test-json',
  description: '`go test -json` (test2json) event streams, one entry per run of a test',
  detectHint: '`go test -json` (lines starting with {"Time": or {"Action":)',

  detect(head) {
    return /^\s*\{\s*"(?:Time|Action)"\s*:/.test(head);
  },

  async read(input, sink) {
    /** Tests that have started and not ended, by package and name. */
    const running = new Map<string, RunningTest & { package: string }>();
    let ready: ReportedTest[] = [];
    const earliest = new EarliestTime();
    let testCases = 0;
    let events = 0;
    let line = 0;
    let partial = '';
    let isFirst = true;

    /** Hands on one run of a test: `unfinished` when its package or the stream ended first. */
    const finish = (
      packageName: string,
      running: RunningTest,
      action: 'pass' | 'fail' | 'skip' | 'unfinished',
      elapsed: number | undefined,
    ): void => {
      testCases++;
      const attempt = toAttempt(action, running, elapsed);
      if (action === 'unfinished') attempt.message ??= 'the test did not finish';
      const test: ReportedTest = { name: running.name, suitePath: [], attempts: [attempt] };
      if (packageName !== '') {
        // gotestsum's JUnit names the class and the suite after the package: the same keys.
        test.classname = boundIdentity(packageName);
        test.suitePath = [test.classname];
      }
      ready.push(test);
    };

    /** Reads one line; a problem stops the read. */
    const readLine = (text: string): Problem | undefined => {
      line++;
      if (text.trim() === '') return undefined;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        const error = locateJsonError(text) ?? { index: 0, expected: 'a JSON object' };
        const found = text[error.index];
        return {
          message: `not a \`go test -json\` event: invalid JSON, expected ${error.expected}${found === undefined ? ' before the end of the line' : `, found ${JSON.stringify(found)}`}`,
          line,
          column: error.index + 1,
        };
      }
      const parsed = GoTestEvent.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = formatIssuePath(issue?.path ?? []);
        return {
          message: `not a \`go test -json\` event: ${path || '(root)'}: ${issue?.message ?? 'invalid'}`,
          line,
          column: 1,
        };
      }
      events++;
      const event = parsed.data;
      earliest.offer(event.Time);
      const packageName = event.Package ?? '';
      if (event.Test === undefined) {
        if (event.Action === 'pass' || event.Action === 'fail' || event.Action === 'skip') {
          // The package ended: a test still running then never finished (a panic, -timeout).
          for (const [key, test] of running) {
            if (test.package !== packageName) continue;
            running.delete(key);
            finish(packageName, test, 'unfinished', undefined);
          }
        }
        return undefined;
      }
      const key = `${packageName}\0${event.Test}`;
      switch (event.Action) {
        case 'run':
          running.set(key, {
            package: packageName,
            name: boundIdentity(event.Test),
            output: new BoundedText(textLimits.trace),
          });
          return undefined;
        case 'output': {
          const test = running.get(key);
          if (test === undefined || event.Output === undefined) return undefined;
          if (framingLine.test(event.Output)) return undefined;
          test.output.append(event.Output);
          if (test.firstLine === undefined && event.Output.trim() !== '') {
            test.firstLine = event.Output.trim().slice(0, textLimits.message);
          }
          return undefined;
        }
        case 'pass':
        case 'fail':
        case 'skip': {
          const test = running.get(key) ?? {
            package: packageName,
            name: boundIdentity(event.Test),
            output: new BoundedText(0),
          };
          running.delete(key);
          finish(packageName, test, event.Action, event.Elapsed);
          return undefined;
        }
        default:
          return undefined;
      }
    };

    const flush = async (all: boolean) => {
      while (ready.length >= batchSize || (all && ready.length > 0)) {
        const batch = ready.slice(0, batchSize);
        ready = ready.slice(batchSize);
        await sink(batch);
      }
    };

    for await (let chunk of input) {
      if (isFirst && chunk !== '') {
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
        isFirst = false;
      }
      let start = 0;
      for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
        const text = partial + chunk.slice(start, end);
        partial = '';
        start = end + 1;
        const problem = readLine(text.endsWith('\r') ? text.slice(0, -1) : text);
        if (problem) return fail(problem);
      }
      partial += chunk.slice(start);
      if (partial.length > maxLineCharacters) {
        return fail<Problem>({
          message: `not a \`go test -json\` event: a line longer than ${maxLineCharacters} characters`,
          line: line + 1,
          column: 1,
        });
      }
      await flush(false);
    }
    if (partial !== '') {
      const problem = readLine(partial.endsWith('\r') ? partial.slice(0, -1) : partial);
      if (problem) return fail(problem);
    }
    if (events === 0) {
      return fail<Problem>({
        message: 'the stream is empty: no `go test -json` event',
        line: 1,
        column: 1,
      });
    }
    // The stream stopped while tests ran (the job was killed): they did not pass.
    for (const test of running.values()) finish(test.package, test, 'unfinished', undefined);
    await flush(true);
    return ok(withStart({ testCases }, earliest));
  },
} satisfies TestResultReader;
