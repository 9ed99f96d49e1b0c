import { JSONParser, TokenizerError } from '@streamparser/json';
import { z } from 'zod';
import { formatIssuePath } from '../../../core/lib/format-issue-path.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import type { Attempt, AttemptStatus, ReportedTest } from '../../../core/tests/test-model.ts';
import { textLimits, truncateText } from '../../../core/lib/truncate-text.ts';
import type { Problem } from '../../../core/lib/problem.ts';
import type { TestResultReader } from '../test-result-reader.ts';
import { boundIdentity, plausibleDurationMs, SuitePath } from '../reader-limits.ts';
import { EarliestTime, withStart } from '../earliest-time.ts';
import { CtrfEnvelope } from './ctrf-envelope.ts';

const CtrfStatus = z.enum(['passed', 'failed', 'skipped', 'pending', 'other']);

const CtrfAttempt = z.object({
  attempt: z.number().int().optional(),
  status: CtrfStatus,
  duration: z.number().nonnegative().optional(),
  message: z.string().optional(),
  trace: z.string().optional(),
});

/** One entry of `results.tests`; unknown properties are ignored. */
export const CtrfTest = z.object({
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
export type CtrfTest = z.infer<typeof CtrfTest>;

/** Tests handed to the sink at once. */
const batchSize = 1_000;
/** Schema problems reported at most (the first ones). */
const maxProblems = 20;
/** Characters given to the parser at once, so the tests of one write stay few. */
const pieceCharacters = 64 * 1024;

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
  const durationMs = plausibleDurationMs(entry.duration);
  if (durationMs !== undefined) attempt.durationMs = durationMs;
  if (entry.message) attempt.message = truncateText(entry.message, textLimits.message);
  if (entry.trace) attempt.trace = truncateText(entry.trace, textLimits.trace);
  return attempt;
}

function toReportedTest(test: CtrfTest): ReportedTest {
  const suite =
    test.suite === undefined
      ? []
      : Array.isArray(test.suite)
        ? test.suite
        : test.suite.split(' > ');
  const reported: ReportedTest = {
    name: boundIdentity(test.name),
    suitePath: SuitePath.of(suite).names(),
    attempts: [],
  };
  if (test.filePath) reported.file = boundIdentity(test.filePath);
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

/**
 * Maps byte offsets in the UTF-8 the parser reads to line and column (1-based; columns in
 * UTF-16 code units, as editors count them), keeping only the piece of text being parsed.
 */
class Positions {
  #pieceStart = 0;
  #piece: Uint8Array = new Uint8Array(0);
  #text = '';
  #line = 1;
  #column = 1;

  /** Registers the next piece given to the parser: its text and its bytes. */
  next(text: string, bytes: Uint8Array): void {
    const last = this.#text.lastIndexOf('\n');
    if (last === -1) {
      this.#column += this.#text.length;
    } else {
      for (let i = this.#text.indexOf('\n'); i !== -1; i = this.#text.indexOf('\n', i + 1)) {
        this.#line++;
      }
      this.#column = this.#text.length - last;
    }
    this.#pieceStart += this.#piece.length;
    this.#piece = bytes;
    this.#text = text;
  }

  /** The byte offset just after the text given so far. */
  get end(): number {
    return this.#pieceStart + this.#piece.length;
  }

  /** The character at a byte offset of the current piece, or undefined. */
  characterAt(offset: number): string | undefined {
    const at = offset - this.#pieceStart;
    if (at < 0 || at >= this.#piece.length) return undefined;
    return [...new TextDecoder().decode(this.#piece.subarray(at, at + 4))][0];
  }

  locate(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset - this.#pieceStart, this.#piece.length));
    const before = this.#piece.subarray(0, at);
    const newline = before.lastIndexOf(0x0a);
    if (newline === -1) {
      return { line: this.#line, column: this.#column + new TextDecoder().decode(before).length };
    }
    let lines = 0;
    for (let i = before.indexOf(0x0a); i !== -1; i = before.indexOf(0x0a, i + 1)) lines++;
    return {
      line: this.#line + lines,
      column: 1 + new TextDecoder().decode(before.subarray(newline + 1)).length,
    };
  }
}

/** CTRF JSON (ctrf.io), streamed test by test, retries mapped to attempts. */
export const ctrfReader = {
  id: 'ctrf',
  description: 'CTRF JSON (ctrf.io), streamed test by test, retries mapped to attempts',
  detectHint: 'CTRF JSON (starts with "{")',
  isCatchAll: true,

  detect(head) {
    return /^\s*\{/.test(head);
  },

  async read(input, sink) {
    const parser = new JSONParser({ paths: ['$.results.tests.*'], keepStack: false });
    const envelope = new CtrfEnvelope();
    const positions = new Positions();
    const encoder = new TextEncoder();
    const problems: Problem[] = [];
    let pending: ReportedTest[] = [];
    let testCases = 0;
    let lastToken: { offset: number; value: unknown } = { offset: 0, value: undefined };
    let syntax: { error: Error; isAfterEnd: boolean; atEnd: boolean } | undefined;
    let callbackError: Error | undefined;

    parser.onToken = (info) => {
      lastToken = info;
      envelope.onToken(info.token, info.value);
    };
    parser.onValue = ({ value, key, parent }) => {
      // The parser reports what a callback throws as a syntax error: keep bugs apart.
      try {
        if (!Array.isArray(parent) || typeof key !== 'number') return; // `tests` is not an array
        testCases++;
        const parsed = CtrfTest.safeParse(value);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            if (problems.length < maxProblems) {
              problems.push(schemaProblem(['results', 'tests', key, ...issue.path], issue.message));
            }
          }
        } else if (problems.length === 0) {
          pending.push(toReportedTest(parsed.data));
        }
      } catch (error) {
        callbackError = error instanceof Error ? error : new Error(String(error));
      }
    };
    parser.onError = (error) => {
      syntax ??= { error, isAfterEnd: envelope.isComplete, atEnd: false };
    };

    const write = (text: string) => {
      const bytes = encoder.encode(text);
      positions.next(text, bytes);
      parser.write(bytes);
      if (callbackError) throw callbackError;
    };
    const flush = async (all: boolean) => {
      while (pending.length >= batchSize || (all && pending.length > 0)) {
        const batch = pending.slice(0, batchSize);
        pending = pending.slice(batchSize);
        await sink(batch);
      }
    };
    const isStopped = () =>
      syntax !== undefined || problems.length >= maxProblems || envelope.cannotBeCtrf();

    let held = '';
    let isFirst = true;
    for await (let chunk of input) {
      if (isFirst && chunk !== '') {
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
        isFirst = false;
      }
      chunk = held + chunk;
      held = '';
      // A chunk may end between the two halves of a surrogate pair: keep the first for the next.
      if (isHighSurrogate(chunk.charCodeAt(chunk.length - 1))) {
        held = chunk.slice(-1);
        chunk = chunk.slice(0, -1);
      }
      for (let start = 0; start < chunk.length && !isStopped();) {
        let end = Math.min(chunk.length, start + pieceCharacters);
        if (end < chunk.length && isHighSurrogate(chunk.charCodeAt(end - 1))) end--;
        write(chunk.slice(start, end));
        start = end;
        if (problems.length === 0) await flush(false);
      }
      if (isStopped()) break;
    }
    if (held !== '' && !isStopped()) write(held);
    if (!isStopped() && !parser.isEnded) {
      parser.end();
      if (syntax) syntax.atEnd = true;
    }
    if (syntax !== undefined) return fail(syntaxProblem(syntax, positions, lastToken));
    if (!envelope.hasStarted) {
      return fail<Problem>({ message: 'the document is empty', line: 1, column: 1 });
    }
    // Stopped at the problem limit, the envelope may not be complete yet: report the tests.
    if (problems.length >= maxProblems) return fail(...problems);
    const all = [...envelope.problems(), ...problems];
    if (all.length > 0) return fail(...all.slice(0, maxProblems));
    await flush(true);
    const earliest = new EarliestTime();
    const start = envelope.summaryStart();
    if (start !== undefined) earliest.offerEpochMs(start);
    return ok(withStart({ testCases }, earliest));
  },
} satisfies TestResultReader;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function schemaProblem(path: readonly PropertyKey[], message: string): Problem {
  const formatted = formatIssuePath(path);
  return { message: `${formatted || '(root)'}: ${message}`, path: formatted };
}

function syntaxProblem(
  syntax: { error: Error; isAfterEnd: boolean; atEnd: boolean },
  positions: Positions,
  lastToken: { offset: number; value: unknown },
): Problem {
  if (syntax.atEnd) {
    return {
      message:
        'invalid JSON: the document ends too early (an unclosed object, array or string; is the file truncated?)',
      ...positions.locate(positions.end),
    };
  }
  // The tokenizer names the byte it refused ("absolute position N"); the token parser refuses
  // the last token it was given.
  const refusedByte =
    syntax.error instanceof TokenizerError
      ? /absolute position "(\d+)"/.exec(syntax.error.message)?.[1]
      : undefined;
  const offset = refusedByte === undefined ? lastToken.offset : Number(refusedByte);
  const found =
    refusedByte === undefined
      ? JSON.stringify(lastToken.value)
      : JSON.stringify(positions.characterAt(offset) ?? '');
  return {
    message: syntax.isAfterEnd
      ? `invalid JSON: unexpected ${found} after the end of the document`
      : `invalid JSON: unexpected ${found}`,
    ...positions.locate(offset),
  };
}
