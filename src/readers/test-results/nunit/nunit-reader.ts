import type { SaxesTag } from 'saxes';
import { textLimits } from '../../../core/lib/truncate-text.ts';
import type { Attempt, ReportedTest } from '../../../core/tests/test-model.ts';
import { BoundedText } from '../bounded-text.ts';
import { parseSeconds } from '../parse-seconds.ts';
import { SuitePath } from '../reader-limits.ts';
import { startsWithElement, streamXml } from '../stream-xml.ts';
import type { TestResultReader } from '../test-result-reader.ts';

/** `result` of a `<test-case>`: what the attempt was. `Warning` passed, with warnings. */
const results: Record<string, Attempt['status']> = {
  Passed: 'passed',
  Warning: 'passed',
  Failed: 'failed',
  Skipped: 'skipped',
  Inconclusive: 'skipped',
};

/** `label`s of a failed case that mean it did not fail an assertion but broke. */
const errorLabels = new Set(['Error', 'Cancelled', 'Invalid']);

type OpenCase = {
  test: ReportedTest;
  status: Attempt['status'];
  isError: boolean;
  durationMs?: number;
  message?: BoundedText;
  trace?: BoundedText;
  output?: BoundedText;
};

function toAttempt(open: OpenCase): Attempt {
  const attempt: Attempt = { status: open.status };
  if (open.status === 'failed') attempt.failureKind = open.isError ? 'error' : 'failure';
  if (open.durationMs !== undefined) attempt.durationMs = open.durationMs;
  if (open.status === 'passed') return attempt;
  const message = open.message?.value();
  if (message) attempt.message = message;
  const trace = open.trace?.value();
  if (trace && open.status === 'failed') attempt.trace = trace;
  const output = open.output?.value();
  if (output && open.status === 'failed') attempt.stdout = output;
  return attempt;
}

/** NUnit 3 result XML (`<test-run>`, nunit3-console and the NUnit adapter), streamed. */
export const nunitReader = {
  id: 'nunit',
  description: 'NUnit 3 result XML (<test-run>), nested suites, streamed with bounded memory',
  detectHint: 'NUnit 3 XML (a <test-run> root element)',

  detect(head) {
    return startsWithElement(head, ['test-run']);
  },

  read(input, sink) {
    return streamXml(input, sink, (context) => {
      const suites: SuitePath[] = [SuitePath.root];
      let open: OpenCase | undefined;
      let capture: BoundedText | undefined;
      return {
        format: 'NUnit 3 XML',
        roots: ['test-run'],
        open(tag: SaxesTag) {
          const parent = context.elements.at(-2);
          if (tag.name === 'test-run' || tag.name === 'test-suite')
            context.started(context.attr(tag, 'start-time'));
          if (tag.name === 'test-suite') {
            const path = suites.at(-1) ?? SuitePath.root;
            suites.push(path.child(context.identity(tag, 'name') ?? ''));
            return;
          }
          if (tag.name === 'test-case') {
            if (open) return context.stop('<test-case> inside <test-case>');
            const result = context.attr(tag, 'result') ?? '';
            const status = results[result];
            if (status === undefined) {
              return context.stop(
                `<test-case> result "${result}" is not one of ${Object.keys(results).join(', ')}`,
              );
            }
            const test: ReportedTest = {
              name: context.identity(tag, 'name') ?? '',
              suitePath: suites.at(-1)?.names() ?? [],
              attempts: [],
            };
            const classname = context.identity(tag, 'classname');
            if (classname) test.classname = classname;
            const opened: OpenCase = {
              test,
              status,
              isError: errorLabels.has(context.attr(tag, 'label') ?? ''),
            };
            const durationMs = parseSeconds(context.attr(tag, 'duration'));
            if (durationMs !== undefined) opened.durationMs = durationMs;
            open = opened;
            return;
          }
          if (!open) return;
          if (tag.name === 'message' && (parent === 'failure' || parent === 'reason')) {
            open.message ??= new BoundedText(textLimits.message);
            capture = open.message;
          } else if (tag.name === 'stack-trace' && parent === 'failure') {
            open.trace ??= new BoundedText(textLimits.trace);
            capture = open.trace;
          } else if (tag.name === 'output' && parent === 'test-case') {
            open.output ??= new BoundedText(textLimits.output);
            capture = open.output;
          }
        },
        text(text) {
          capture?.append(text);
        },
        close(name) {
          if (name === 'test-suite') suites.pop();
          else if (name === 'test-case' && open) {
            open.test.attempts = [toAttempt(open)];
            context.emit(open.test);
            open = undefined;
            capture = undefined;
          } else if (name === 'message' || name === 'stack-trace' || name === 'output') {
            capture = undefined;
          }
        },
      };
    });
  },
} satisfies TestResultReader;
