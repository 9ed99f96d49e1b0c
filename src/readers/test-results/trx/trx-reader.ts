import type { SaxesTag } from 'saxes';
import { textLimits } from '../../../core/lib/truncate-text.ts';
import type { Attempt, FailureKind, ReportedTest } from '../../../core/tests/test-model.ts';
import { BoundedText } from '../bounded-text.ts';
import { boundIdentity, plausibleDurationMs } from '../reader-limits.ts';
import { startsWithElement, streamXml } from '../stream-xml.ts';
import type { TestResultReader } from '../test-result-reader.ts';

/** Every `outcome` of the TRX schema (vstst.xsd `TestOutcome`): what the attempt was. */
const outcomes: Record<string, { status: Attempt['status']; kind?: FailureKind }> = {
  Passed: { status: 'passed' },
  PassedButRunAborted: { status: 'passed' },
  Completed: { status: 'passed' },
  Warning: { status: 'passed' },
  Failed: { status: 'failed', kind: 'failure' },
  Error: { status: 'failed', kind: 'error' },
  Timeout: { status: 'failed', kind: 'error' },
  Aborted: { status: 'failed', kind: 'error' },
  Disconnected: { status: 'failed', kind: 'error' },
  NotExecuted: { status: 'skipped' },
  NotRunnable: { status: 'skipped' },
  Inconclusive: { status: 'skipped' },
  Pending: { status: 'skipped' },
  InProgress: { status: 'skipped' },
};

/**
 * A `duration` (.NET TimeSpan, `[d.]hh:mm:ss[.fffffff]`) in milliseconds; undefined when absent
 * or not a TimeSpan. Never throws.
 */
export function parseTimeSpan(value: string | undefined): number | undefined {
  const match = /^\s*(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)\s*$/.exec(value ?? '');
  if (match === null) return undefined;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  const ms =
    ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 +
    Math.round(Number(seconds) * 1_000_000) / 1_000;
  return plausibleDurationMs(ms);
}

/** The file name of a path written with `/` or `\`. */
function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

type OpenResult = {
  testId: string;
  name: string;
  outcome: { status: Attempt['status']; kind?: FailureKind };
  durationMs?: number;
  hasInnerResults: boolean;
  message?: BoundedText;
  trace?: BoundedText;
  stdout?: BoundedText;
  stderr?: BoundedText;
};

/** What a `<UnitTest>` says of a test: its class and its assembly (`codeBase`, else `storage`). */
type Definition = { className?: string; storage?: string };

function toAttempt(result: OpenResult): Attempt {
  const attempt: Attempt = { status: result.outcome.status };
  if (result.outcome.kind !== undefined) attempt.failureKind = result.outcome.kind;
  if (result.durationMs !== undefined) attempt.durationMs = result.durationMs;
  if (attempt.status === 'passed') return attempt;
  const message = result.message?.value();
  if (message) attempt.message = message;
  if (attempt.status !== 'failed') return attempt;
  const trace = result.trace?.value();
  if (trace) attempt.trace = trace;
  const stdout = result.stdout?.value();
  if (stdout) attempt.stdout = stdout;
  const stderr = result.stderr?.value();
  if (stderr) attempt.stderr = stderr;
  return attempt;
}

/**
 * The test of a result, named as the other .NET readers name it: the class from its definition,
 * the test name without the class in front (xUnit writes `Namespace.Class.Method(args)`), the
 * assembly's file name as its suite.
 */
function toTest(result: OpenResult, definition: Definition | undefined): ReportedTest {
  const test: ReportedTest = { name: result.name, suitePath: [], attempts: [toAttempt(result)] };
  const className = definition?.className;
  if (className) {
    test.classname = className;
    if (result.name.startsWith(`${className}.`))
      test.name = result.name.slice(className.length + 1);
  }
  if (definition?.storage) test.suitePath = [boundIdentity(baseName(definition.storage))];
  return test;
}

/** Visual Studio / vstest TRX (`dotnet test --logger trx`), results joined to their definitions. */
export const trxReader = {
  id: 'trx',
  description: 'Visual Studio TRX (dotnet test --logger trx), results joined to their definitions',
  detectHint: 'TRX (a <TestRun> root element)',

  detect(head) {
    return startsWithElement(head, ['TestRun']);
  },

  read(input, sink) {
    return streamXml(input, sink, (context) => {
      /** Definitions by test id (`<UnitTest id>`), kept for results that come later. */
      const definitions = new Map<string, Definition>();
      /** Results read before their definition (vstest writes `<Results>` first). */
      const held: OpenResult[] = [];
      const open: OpenResult[] = [];
      let definition: { id: string; value: Definition } | undefined;
      let areDefinitionsRead = false;
      let capture: BoundedText | undefined;

      const settle = (result: OpenResult) => {
        const known = definitions.get(result.testId);
        if (known !== undefined || areDefinitionsRead) context.emit(toTest(result, known));
        else held.push(result);
      };

      return {
        format: 'a TRX report',
        roots: ['TestRun'],
        open(tag: SaxesTag) {
          const parent = context.elements.at(-2);
          const current = open.at(-1);
          switch (tag.name) {
            case 'Times':
              if (parent === 'TestRun') context.started(context.attr(tag, 'start'));
              return;
            case 'UnitTestResult': {
              const value = context.attr(tag, 'outcome') ?? '';
              const outcome = outcomes[value];
              if (outcome === undefined) {
                return context.stop(
                  `<UnitTestResult> outcome "${value}" is not a TRX outcome (${Object.keys(outcomes).join(', ')})`,
                );
              }
              if (current) current.hasInnerResults = true;
              const result: OpenResult = {
                testId: context.attr(tag, 'testId') ?? '',
                name: context.identity(tag, 'testName') ?? '',
                outcome,
                hasInnerResults: false,
              };
              const durationMs = parseTimeSpan(context.attr(tag, 'duration'));
              if (durationMs !== undefined) result.durationMs = durationMs;
              open.push(result);
              return;
            }
            case 'UnitTest': {
              const value: Definition = {};
              const storage = context.identity(tag, 'storage');
              if (storage) value.storage = storage;
              definition = { id: context.attr(tag, 'id') ?? '', value };
              return;
            }
            case 'TestMethod': {
              const className = context.identity(tag, 'className');
              if (definition && className) definition.value.className = className;
              // vstest writes `storage` in lower case; `codeBase` keeps the file's own name.
              const codeBase = context.identity(tag, 'codeBase');
              if (definition && codeBase) definition.value.storage = codeBase;
              return;
            }
            case 'Message':
              if (current && parent === 'ErrorInfo') {
                current.message ??= new BoundedText(textLimits.message);
                capture = current.message;
              }
              return;
            case 'StackTrace':
              if (current && parent === 'ErrorInfo') {
                current.trace ??= new BoundedText(textLimits.trace);
                capture = current.trace;
              }
              return;
            case 'StdOut':
              if (current && parent === 'Output') {
                current.stdout ??= new BoundedText(textLimits.output);
                capture = current.stdout;
              }
              return;
            case 'StdErr':
              if (current && parent === 'Output') {
                current.stderr ??= new BoundedText(textLimits.output);
                capture = current.stderr;
              }
              return;
            default:
              return;
          }
        },
        text(text) {
          capture?.append(text);
        },
        close(name) {
          switch (name) {
            case 'UnitTestResult': {
              const result = open.pop();
              // A data-driven result is the sum of its inner results, which are the tests.
              if (result && !result.hasInnerResults) settle(result);
              capture = undefined;
              return;
            }
            case 'UnitTest':
              if (definition) {
                definitions.set(definition.id, definition.value);
                definition = undefined;
              }
              return;
            case 'TestDefinitions':
              areDefinitionsRead = true;
              for (const result of held.splice(0, held.length)) settle(result);
              return;
            case 'Message':
            case 'StackTrace':
            case 'StdOut':
            case 'StdErr':
              capture = undefined;
              return;
            default:
              return;
          }
        },
        end() {
          // A TRX without definitions still names its tests.
          areDefinitionsRead = true;
          for (const result of held.splice(0, held.length)) settle(result);
        },
      };
    });
  },
} satisfies TestResultReader;
