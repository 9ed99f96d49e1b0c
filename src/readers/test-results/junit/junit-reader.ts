import { SaxesParser, type SaxesTag } from 'saxes';
import { EarliestTime, withStart } from '../earliest-time.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import type { Attempt, FailureKind, ReportedTest } from '../../../core/tests/test-model.ts';
import { textLimits, truncateText } from '../../../core/lib/truncate-text.ts';
import type { Problem } from '../../../core/lib/problem.ts';
import type { TestResultReader, TestSink } from '../test-result-reader.ts';
import { boundIdentity, SuitePath } from '../reader-limits.ts';
import { parseSeconds } from '../parse-seconds.ts';

export { parseSeconds };
import { BoundedText } from '../bounded-text.ts';
import { ParserBufferLimit } from '../parser-buffer-limit.ts';

const failureElements: Record<string, { kind: FailureKind; role: 'primary' | 'flaky' | 'rerun' }> =
  {
    failure: { kind: 'failure', role: 'primary' },
    error: { kind: 'error', role: 'primary' },
    flakyFailure: { kind: 'failure', role: 'flaky' },
    flakyError: { kind: 'error', role: 'flaky' },
    rerunFailure: { kind: 'failure', role: 'rerun' },
    rerunError: { kind: 'error', role: 'rerun' },
  };

/** `status` attribute values that mean the test did not run (tst, CUnit, some xUnit ports). */
const skippedStatusValues = new Set(['disabled', 'skipped', 'notrun', 'not_run', 'ignored']);

type ResultElement = {
  kind: FailureKind;
  role: 'primary' | 'flaky' | 'rerun';
  message?: string;
  type?: string;
  durationMs?: number;
  text: BoundedText;
  stackTrace?: BoundedText;
  stdout?: BoundedText;
  stderr?: BoundedText;
};

type OpenCase = {
  test: ReportedTest;
  durationMs?: number;
  statusAttribute?: string;
  skippedMessage?: string;
  isSkipped: boolean;
  /** Its failure elements, made at the first one (most test cases have none). */
  results?: ResultElement[];
  stdout?: BoundedText;
  stderr?: BoundedText;
};

class StopParsing extends Error {}

/** What an open test case's attempts are until it closes (never handed on, never added to). */
const noAttemptsYet: Attempt[] = [];

function parseLine(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

function attr(tag: SaxesTag, name: string): string | undefined {
  const value = tag.attributes[name];
  return typeof value === 'string' ? value : undefined;
}

function toAttempt(result: ResultElement): Attempt {
  const attempt: Attempt = { status: 'failed', failureKind: result.kind };
  if (result.durationMs !== undefined) attempt.durationMs = result.durationMs;
  if (result.message !== undefined)
    attempt.message = truncateText(result.message, textLimits.message);
  if (result.type !== undefined) attempt.type = truncateText(result.type, 512);
  const trace = result.stackTrace?.value() ?? result.text.value();
  if (trace !== '') attempt.trace = trace;
  const stdout = result.stdout?.value();
  if (stdout) attempt.stdout = stdout;
  const stderr = result.stderr?.value();
  if (stderr) attempt.stderr = stderr;
  return attempt;
}

/**
 * Builds the attempts of one `<testcase>`:
 * Surefire/Gradle/Playwright `flakyFailure|flakyError` are failed attempts before a final pass;
 * `rerunFailure|rerunError` are failed attempts after the first failure; several `<failure>`
 * or `<error>` children are one failed attempt (the first one's message, `error` if any is an error).
 */
function buildAttempts(open: OpenCase): Attempt[] {
  // Most test cases have no result element: one attempt, built without the filters below.
  const results = open.results;
  if (results === undefined) return [finalAttempt(open)];
  const flaky = results.filter((r) => r.role === 'flaky').map(toAttempt);
  const primary = results.filter((r) => r.role === 'primary');
  const reruns = results.filter((r) => r.role === 'rerun').map(toAttempt);
  const attempts: Attempt[] = [...flaky];
  let last: Attempt;
  if (primary.length > 0) {
    const first = primary[0] as ResultElement;
    last = toAttempt(first);
    if (primary.some((r) => r.kind === 'error')) last.failureKind = 'error';
    attempts.push(last, ...reruns);
  } else if (reruns.length > 0) {
    // A rerun element without its first failure still means the test failed.
    attempts.push(...reruns);
    last = reruns[reruns.length - 1] as Attempt;
  } else {
    // Only flaky attempts: the last one passed (or was skipped).
    attempts.push(finalAttempt(open));
    return attempts;
  }
  addCaseDetails(open, last);
  return attempts;
}

/** The one attempt of a test case without failures: skipped or passed. */
function finalAttempt(open: OpenCase): Attempt {
  const isSkipped =
    open.isSkipped ||
    (open.statusAttribute !== undefined &&
      skippedStatusValues.has(open.statusAttribute.toLowerCase()));
  const last: Attempt = { status: isSkipped ? 'skipped' : 'passed' };
  if (isSkipped && open.skippedMessage) {
    last.message = truncateText(open.skippedMessage, textLimits.message);
  }
  addCaseDetails(open, last);
  return last;
}

/** The test case's own duration and output go to its last attempt, unless that has its own. */
function addCaseDetails(open: OpenCase, last: Attempt): void {
  if (open.durationMs !== undefined && last.durationMs === undefined) {
    last.durationMs = open.durationMs;
  }
  if (last.status !== 'passed') {
    const stdout = open.stdout?.value();
    if (stdout && last.stdout === undefined) last.stdout = stdout;
    const stderr = open.stderr?.value();
    if (stderr && last.stderr === undefined) last.stderr = stderr;
  }
}

/** JUnit XML in the dialects real producers write (see readme.md beside this file). */
export const junitReader = {
  id: 'junit',
  description: 'JUnit XML in the dialects real producers write, streamed with bounded memory',
  detectHint: 'JUnit XML (starts with "<")',
  isCatchAll: true,

  detect(head) {
    return /^\s*</.test(head);
  },

  async read(input, sink: TestSink) {
    const parser = new SaxesParser<{ xmlns: false; position: true }>({
      xmlns: false,
      position: true,
    });
    const problem: { value?: Problem } = {};
    const ready: ReportedTest[] = [];
    const suites: { path: SuitePath; file?: string }[] = [];
    const buffers = new ParserBufferLimit(textLimits.output);
    /** An identity attribute of the tag just opened, capped (a cut one keeps its full digest). */
    const identity = (tag: SaxesTag, ...names: string[]): string | undefined => {
      for (const name of names) {
        const value = attr(tag, name);
        if (value !== undefined) return boundIdentity(value, buffers.fullValue(name, value));
      }
      return undefined;
    };
    const elements: string[] = [];
    let open: OpenCase | undefined;
    let result: ResultElement | undefined;
    let capture: BoundedText | undefined;
    const earliest = new EarliestTime();
    let testCases = 0;
    let sawRoot = false;

    const stop = (message: string, line = parser.line, column = parser.column + 1): never => {
      problem.value = { message, line, column };
      throw new StopParsing(message);
    };

    parser.on('error', (error) => {
      // saxes prefixes the message with line:column; keep only the reason.
      const reason = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
      stop(sawRoot ? reason : `not a JUnit XML report: ${reason}`);
    });
    parser.on('doctype', (doctype) => {
      if (/<!ENTITY/i.test(doctype)) {
        stop('entity declarations are not allowed in test reports (entities are never expanded)');
      }
    });
    parser.on('opentag', (tag) => {
      try {
        openTag(tag);
      } finally {
        buffers.forgetAttributes();
      }
    });
    const openTag = (tag: SaxesTag): void => {
      const name = tag.name;
      const parent = elements[elements.length - 1];
      elements.push(name);
      if (!sawRoot) {
        sawRoot = true;
        if (name !== 'testsuites' && name !== 'testsuite' && name !== 'testcase') {
          stop(`expected a <testsuites> or <testsuite> root element, found <${name}>`);
        }
      }
      if (name === 'testsuite' || name === 'testsuites') earliest.offer(attr(tag, 'timestamp'));
      if (name === 'testsuite') {
        const parentSuite = suites.at(-1);
        // Each level knows its path and nearest file, so a test costs the same at any depth.
        const path = (parentSuite?.path ?? SuitePath.root).child(identity(tag, 'name') ?? '');
        const file = identity(tag, 'file', 'filepath') || parentSuite?.file;
        suites.push(file === undefined ? { path } : { path, file });
        return;
      }
      if (name === 'testcase') {
        if (open) stop('<testcase> inside <testcase>');
        testCases++;
        const test: ReportedTest = {
          name: identity(tag, 'name') ?? '',
          suitePath: suites.at(-1)?.path.names() ?? SuitePath.root.names(),
          // Set when the test case closes, before the test leaves the reader.
          attempts: noAttemptsYet,
        };
        const classname = identity(tag, 'classname', 'class');
        if (classname !== undefined && classname !== '') test.classname = classname;
        const file = identity(tag, 'file', 'filepath') ?? suites.at(-1)?.file;
        if (file !== undefined && file !== '') test.file = file;
        const line = parseLine(attr(tag, 'line') ?? attr(tag, 'lineno'));
        if (line !== undefined) test.line = line;
        open = { test, isSkipped: false };
        const durationMs = parseSeconds(attr(tag, 'time'));
        if (durationMs !== undefined) open.durationMs = durationMs;
        const status = attr(tag, 'status');
        if (status !== undefined) open.statusAttribute = status;
        return;
      }
      if (!open) return;
      const failure = failureElements[name];
      if (failure && parent === 'testcase') {
        result = { ...failure, text: new BoundedText(textLimits.trace) };
        const message = attr(tag, 'message');
        if (message !== undefined) result.message = message;
        const type = attr(tag, 'type');
        if (type !== undefined) result.type = type;
        const durationMs = parseSeconds(attr(tag, 'time'));
        if (durationMs !== undefined) result.durationMs = durationMs;
        capture = result.text;
      } else if (name === 'skipped' && parent === 'testcase') {
        open.isSkipped = true;
        const message = attr(tag, 'message');
        if (message !== undefined) open.skippedMessage = message;
      } else if (result && name === 'stackTrace') {
        result.stackTrace = new BoundedText(textLimits.trace);
        capture = result.stackTrace;
      } else if (name === 'system-out' || name === 'system-err') {
        const target = result ?? open;
        const text = new BoundedText(textLimits.output);
        if (name === 'system-out') target.stdout = text;
        else target.stderr = text;
        capture = text;
      } else if (name === 'property' && parent === 'properties') {
        const key = attr(tag, 'name');
        const value = attr(tag, 'value');
        if (key !== undefined && value !== undefined) {
          open.test.properties ??= {};
          if (Object.keys(open.test.properties).length < 32) {
            open.test.properties[key.slice(0, 128)] = value.slice(0, 512);
          }
        }
      }
    };
    const onText = (text: string): void => {
      capture?.append(text);
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
    parser.on('closetag', (tag) => {
      const name = tag.name;
      elements.pop();
      if (name === 'testsuite') {
        suites.pop();
      } else if (name === 'testcase' && open) {
        open.test.attempts = buildAttempts(open);
        ready.push(open.test);
        open = undefined;
        result = undefined;
        capture = undefined;
      } else if (result && failureElements[name] && elements[elements.length - 1] === 'testcase') {
        if (open) (open.results ??= []).push(result);
        result = undefined;
        capture = undefined;
      } else if (name === 'stackTrace' || name === 'system-out' || name === 'system-err') {
        capture = result?.text;
        if (!result) capture = undefined;
      }
    });

    let first = true;
    try {
      for await (let chunk of input) {
        if (first) {
          if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
          first = false;
        }
        parser.write(chunk);
        buffers.apply(parser);
        if (ready.length > 0) await sink(ready.splice(0, ready.length));
      }
      parser.close();
      if (!sawRoot) stop('the document is empty: no <testsuites> or <testsuite> element', 1, 1);
      if (ready.length > 0) await sink(ready.splice(0, ready.length));
    } catch (error) {
      if (error instanceof StopParsing && problem.value) return fail(problem.value);
      throw error;
    }
    return ok(withStart({ testCases }, earliest));
  },
} satisfies TestResultReader;
