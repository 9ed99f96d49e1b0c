import { SaxesParser, type SaxesTag } from 'saxes';
import type { Problem } from '../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';
import { textLimits } from '../../core/lib/truncate-text.ts';
import type { ReportedTest } from '../../core/tests/test-model.ts';
import { ParserBufferLimit } from './parser-buffer-limit.ts';
import { EarliestTime, withStart } from './earliest-time.ts';
import { boundIdentity } from './reader-limits.ts';
import type { ReadSummary, TestSink } from './test-result-reader.ts';

/** What a format's handlers may do while `streamXml` reads its document. */
export type XmlContext = {
  /** Names of the open elements, outermost first; the one just opened is last. */
  readonly elements: readonly string[];
  /** Hands on one test case (counted in the summary). */
  emit(test: ReportedTest): void;
  /** Stops the read with a problem at the parser's position. */
  stop(message: string): never;
  /** An attribute of `tag`, or undefined. */
  attr(tag: SaxesTag, name: string): string | undefined;
  /** The first present identity attribute of the tag just opened, capped (`boundIdentity`). */
  identity(tag: SaxesTag, ...names: string[]): string | undefined;
  /** Offers a start time the report states; the summary keeps the earliest (`EarliestTime`). */
  started(value: string | undefined): void;
};

/** The events of one XML format: a root it accepts, then elements as they open and close. */
export type XmlHandlers = {
  /** The format's name in messages: `NUnit 3 XML`. */
  readonly format: string;
  /** Root element names the format accepts. */
  readonly roots: readonly string[];
  open(tag: SaxesTag): void;
  /** Text and CDATA, in pieces. */
  text(text: string): void;
  close(name: string): void;
  /** After the document ended well-formed: hand on what is still held. */
  end?(): void;
};

class StopParsing extends Error {}

/**
 * Reads an XML test report with saxes, the way every XML reader of the family must: entity
 * declarations refused and entities never expanded, saxes' text buffers cut between chunks
 * (`ParserBufferLimit`), a BOM ignored, the root element checked, problems with line:column,
 * tests handed to the sink between chunks. `handlers` is built once per read with the context
 * it uses. Returns the summary or the problem that stopped it; throws only what the sink throws.
 */
export async function streamXml(
  input: AsyncIterable<string>,
  sink: TestSink,
  build: (context: XmlContext) => XmlHandlers,
): Promise<Result<ReadSummary, Problem>> {
  const parser = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  const buffers = new ParserBufferLimit(textLimits.output);
  const elements: string[] = [];
  const ready: ReportedTest[] = [];
  const problem: { value?: Problem } = {};
  const earliest = new EarliestTime();
  let testCases = 0;
  let sawRoot = false;

  const stop = (message: string, line = parser.line, column = parser.column + 1): never => {
    problem.value = { message, line, column };
    throw new StopParsing(message);
  };
  const attr = (tag: SaxesTag, name: string): string | undefined => {
    const value = tag.attributes[name];
    return typeof value === 'string' ? value : undefined;
  };
  const handlers = build({
    elements,
    emit(test) {
      testCases++;
      ready.push(test);
    },
    stop: (message) => stop(message),
    attr,
    identity(tag, ...names) {
      for (const name of names) {
        const value = attr(tag, name);
        if (value !== undefined) return boundIdentity(value, buffers.fullValue(name, value));
      }
      return undefined;
    },
    started: (value) => earliest.offer(value),
  });
  const expected = handlers.roots.map((root) => `<${root}>`).join(' or ');

  parser.on('error', (error) => {
    // saxes prefixes the message with line:column; keep only the reason.
    const reason = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    stop(sawRoot ? reason : `not ${handlers.format}: ${reason}`);
  });
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) {
      stop('entity declarations are not allowed in test reports (entities are never expanded)');
    }
  });
  parser.on('opentag', (tag) => {
    try {
      elements.push(tag.name);
      if (!sawRoot) {
        sawRoot = true;
        if (!handlers.roots.includes(tag.name)) {
          stop(`not ${handlers.format}: expected a ${expected} root element, found <${tag.name}>`);
        }
      }
      handlers.open(tag);
    } finally {
      buffers.forgetAttributes();
    }
  });
  parser.on('text', (text) => handlers.text(text));
  parser.on('cdata', (text) => handlers.text(text));
  parser.on('closetag', (tag) => {
    handlers.close(tag.name);
    elements.pop();
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
    if (!sawRoot) stop(`the document is empty: no ${expected} element`, 1, 1);
    handlers.end?.();
    if (ready.length > 0) await sink(ready.splice(0, ready.length));
  } catch (error) {
    if (error instanceof StopParsing && problem.value) return fail(problem.value);
    throw error;
  }
  return ok(withStart({ testCases }, earliest));
}

/** True when the first element of an XML document (after a declaration, comments, a doctype) is `name`. */
export function startsWithElement(head: string, names: readonly string[]): boolean {
  const rest = head.replace(/^\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*/, '');
  const match = /^<([A-Za-z_][\w.:-]*)[\s/>]/.exec(rest);
  return match !== null && names.includes(match[1] as string);
}
