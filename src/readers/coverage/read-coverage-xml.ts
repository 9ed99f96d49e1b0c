import { SaxesParser } from 'saxes';
import type { Problem } from '../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';

/** Thrown inside handlers to stop parsing with a problem (caught here, never escapes). */
class StopParsing extends Error {}

/** An XML element as the coverage readers see it: its name and attributes. */
export type XmlTag = { name: string; attributes: Record<string, string> };

/**
 * Streams an XML coverage report through saxes (no external entity or DTD is ever fetched;
 * entity declarations are refused), calling `open` for each element with the names of its
 * ancestors and `text` for text inside an element. The root must be one of `roots`. A problem
 * (syntax, truncation, a wrong root, or what a handler `stop`s with) carries line:column.
 * Never throws for bad input.
 */
export async function readCoverageXml(
  lines: AsyncIterable<readonly string[]>,
  handlers: {
    roots: readonly string[];
    format: string;
    open(tag: XmlTag, ancestors: readonly string[], stop: (message: string) => never): void;
    text?(text: string, ancestors: readonly string[]): void;
    close?(name: string): void;
  },
): Promise<Result<void, Problem>> {
  const parser = new SaxesParser({ position: true });
  let problem: Problem | undefined;
  const stack: string[] = [];
  const stop = (message: string): never => {
    problem ??= { message, line: parser.line, column: parser.column + 1 };
    throw new StopParsing(message);
  };
  parser.on('error', (error) => stop(error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')));
  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype)) stop('entity declarations are not allowed (entities are never expanded)');
  });
  parser.on('opentag', (tag) => {
    if (stack.length === 0 && !handlers.roots.includes(tag.name))
      stop(`not ${handlers.format}: expected a <${handlers.roots.join('> or <')}> root element, found <${tag.name}>`);
    const attributes: Record<string, string> = {};
    // Without the xmlns option, saxes gives attribute values as strings.
    for (const [key, value] of Object.entries(tag.attributes as Record<string, string>))
      attributes[key] = value;
    handlers.open({ name: tag.name, attributes }, stack, stop);
    if (!tag.isSelfClosing) stack.push(tag.name);
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) stack.pop();
    handlers.close?.(tag.name);
  });
  parser.on('text', (text) => handlers.text?.(text, stack));
  let sawAny = false;
  try {
    for await (const batch of lines) {
      if (batch.length === 0) continue;
      const text = `${batch.join('\n')}\n`;
      sawAny ||= text.trim() !== '';
      parser.write(text);
    }
    if (!sawAny) return fail({ message: `empty file: not ${handlers.format}`, line: 1, column: 1 });
    parser.close();
  } catch (error) {
    if (error instanceof StopParsing && problem !== undefined) return fail(problem);
    throw error;
  }
  if (problem !== undefined) return fail(problem);
  return ok(undefined);
}
