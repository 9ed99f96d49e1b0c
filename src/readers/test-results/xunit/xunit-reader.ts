import type { SaxesTag } from 'saxes';
import { textLimits, truncateText } from '../../../core/lib/truncate-text.ts';
import type { Attempt, ReportedTest } from '../../../core/tests/test-model.ts';
import { BoundedText } from '../bounded-text.ts';
import { parseSeconds } from '../parse-seconds.ts';
import { boundIdentity } from '../reader-limits.ts';
import { startsWithElement, streamXml } from '../stream-xml.ts';
import type { TestResultReader } from '../test-result-reader.ts';

/** `result` of a `<test>`: xUnit.net v2 writes Pass, Fail and Skip; v2.5+ also NotRun. */
const results: Record<string, Attempt['status']> = {
  Pass: 'passed',
  Fail: 'failed',
  Skip: 'skipped',
  NotRun: 'skipped',
};

type OpenTest = {
  test: ReportedTest;
  status: Attempt['status'];
  durationMs?: number;
  exceptionType?: string;
  message?: BoundedText;
  trace?: BoundedText;
  reason?: BoundedText;
  output?: BoundedText;
};

/** The file name of a path written with `/` or `\`. */
function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function toAttempt(open: OpenTest): Attempt {
  const attempt: Attempt = { status: open.status };
  if (open.durationMs !== undefined) attempt.durationMs = open.durationMs;
  if (open.status === 'passed') return attempt;
  if (open.status === 'skipped') {
    const reason = open.reason?.value();
    if (reason) attempt.message = reason;
    return attempt;
  }
  // xUnit's own assertions throw Xunit.Sdk.*Exception; anything else broke the test.
  attempt.failureKind =
    open.exceptionType === undefined || open.exceptionType.startsWith('Xunit.Sdk.')
      ? 'failure'
      : 'error';
  if (open.exceptionType !== undefined) attempt.type = truncateText(open.exceptionType, 512);
  const message = open.message?.value();
  if (message) attempt.message = message;
  const trace = open.trace?.value();
  if (trace) attempt.trace = trace;
  const output = open.output?.value();
  if (output) attempt.stdout = output;
  return attempt;
}

/** xUnit.net v2 XML (`<assemblies>`: the console runner's `-xml`, XunitXml.TestLogger), streamed. */
export const xunitReader = {
  id: 'xunit',
  description: 'xUnit.net v2 XML (<assemblies>), streamed with bounded memory',
  detectHint: 'xUnit.net v2 XML (an <assemblies> root element)',

  detect(head) {
    return startsWithElement(head, ['assemblies', 'assembly']);
  },

  read(input, sink) {
    return streamXml(input, sink, (context) => {
      let assembly: string | undefined;
      let open: OpenTest | undefined;
      let capture: BoundedText | undefined;
      const start = (name: string, status: Attempt['status'], classname?: string): OpenTest => {
        const test: ReportedTest = { name, suitePath: assembly ? [assembly] : [], attempts: [] };
        if (classname) test.classname = classname;
        return { test, status };
      };
      return {
        format: 'xUnit.net v2 XML',
        roots: ['assemblies', 'assembly'],
        open(tag: SaxesTag) {
          const parent = context.elements.at(-2);
          if (tag.name === 'assembly') {
            const date = context.attr(tag, 'run-date');
            const time = context.attr(tag, 'run-time');
            if (date !== undefined && time !== undefined) context.started(`${date}T${time}`);
            const name = context.identity(tag, 'name');
            assembly = name ? boundIdentity(baseName(name)) : undefined;
            return;
          }
          if (tag.name === 'test') {
            if (open) return context.stop('<test> inside <test>');
            const result = context.attr(tag, 'result') ?? '';
            const status = results[result];
            if (status === undefined) {
              return context.stop(
                `<test> result "${result}" is not one of ${Object.keys(results).join(', ')}`,
              );
            }
            const type = context.identity(tag, 'type');
            let name = context.identity(tag, 'name') ?? '';
            // The display name starts with the class unless the test renamed itself.
            if (type && name.startsWith(`${type}.`)) name = name.slice(type.length + 1);
            open = start(name, status, type);
            const durationMs = parseSeconds(context.attr(tag, 'time'));
            if (durationMs !== undefined) open.durationMs = durationMs;
            return;
          }
          if (tag.name === 'error' && parent === 'errors') {
            // A failure outside any test (a fixture's cleanup, a fatal error) is reported as
            // the failed test it stands for: `(test-class-cleanup) MyProject.Tests.Fixture`.
            const type = context.attr(tag, 'type') ?? 'error';
            const name = context.attr(tag, 'name') ?? '';
            open = start(boundIdentity(`(${type}) ${name}`.trim()), 'failed');
            return;
          }
          if (!open) return;
          if (tag.name === 'failure') {
            const type = context.attr(tag, 'exception-type');
            if (type !== undefined) open.exceptionType = type;
          } else if (tag.name === 'message' && parent === 'failure') {
            open.message ??= new BoundedText(textLimits.message);
            capture = open.message;
          } else if (tag.name === 'stack-trace' && parent === 'failure') {
            open.trace ??= new BoundedText(textLimits.trace);
            capture = open.trace;
          } else if (tag.name === 'reason') {
            open.reason ??= new BoundedText(textLimits.message);
            capture = open.reason;
          } else if (tag.name === 'output') {
            open.output ??= new BoundedText(textLimits.output);
            capture = open.output;
          } else if (tag.name === 'trait' && parent === 'traits') {
            const key = context.attr(tag, 'name');
            const value = context.attr(tag, 'value');
            if (key !== undefined && value !== undefined) {
              open.test.properties ??= {};
              if (Object.keys(open.test.properties).length < 32) {
                open.test.properties[key.slice(0, 128)] = value.slice(0, 512);
              }
            }
          }
        },
        text(text) {
          capture?.append(text);
        },
        close(name) {
          if (
            (name === 'test' || (name === 'error' && context.elements.at(-2) === 'errors')) &&
            open
          ) {
            open.test.attempts = [toAttempt(open)];
            context.emit(open.test);
            open = undefined;
            capture = undefined;
          } else if (name === 'assembly') {
            assembly = undefined;
          } else if (
            name === 'message' ||
            name === 'stack-trace' ||
            name === 'reason' ||
            name === 'output'
          ) {
            capture = undefined;
          }
        },
      };
    });
  },
} satisfies TestResultReader;
