import { LineCounter, parseDocument } from 'yaml';

/**
 * The line and column (1-based) of the node at `path` in YAML text, or of the nearest parent
 * that exists; undefined when the text does not parse. Never throws.
 */
export function locateYamlPath(
  text: string,
  path: readonly (string | number)[],
): { line: number; column: number } | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? document.contents : document.getIn(path.slice(0, n), true)) as
      { range?: [number, number, number] } | null | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) {
      const at = lineCounter.linePos(offset);
      return { line: at.line, column: at.col };
    }
  }
  return undefined;
}
