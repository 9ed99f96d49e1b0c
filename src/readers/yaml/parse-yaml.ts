import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { formatIssuePath } from '../../core/lib/format-issue-path.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import type { Problem } from '../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';

/** A YAML file that parsed and passed its schema: the value, and the document (comments kept). */
export type ParsedYaml<T> = { value: T; document: Document };

/**
 * Parses YAML text and validates it with `schema`. Problems carry the line and column of the
 * node they are about (the nearest node that exists when a key is missing) and its path
 * (`canary.metrics[1].kind`); a YAML syntax error stops at the first one. An empty document is
 * validated as `{}`. Aliases are expanded up to the yaml library's limit (no billion laughs).
 * Never throws.
 */
export function parseYaml<S extends z.ZodType>(
  text: string,
  schema: S,
): Result<ParsedYaml<z.output<S>>, Problem> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlError = document.errors[0];
  if (yamlError) {
    const at = lineCounter.linePos(yamlError.pos[0]);
    return fail({
      message: yamlError.message.split('\n')[0] ?? 'invalid YAML',
      line: at.line,
      column: at.col,
    });
  }
  let plain: unknown;
  try {
    plain = document.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    return fail({
      message: `the YAML cannot be read: ${messageOf(error)}`,
      line: 1,
      column: 1,
    });
  }
  const parsed = schema.safeParse(plain);
  if (parsed.success) return ok({ value: parsed.data, document });
  return fail(
    ...parsed.error.issues.map((issue): Problem => {
      const segments = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      let node: unknown;
      for (let n = segments.length; n >= 0 && node === undefined; n--) {
        node = n === 0 ? document.contents : document.getIn(segments.slice(0, n), true);
      }
      // An unknown field is placed at its own key, not at the object holding it.
      const unknownKey =
        issue.code === 'unrecognized_keys' && isMap(node)
          ? node.items.find((pair) => isScalar(pair.key) && pair.key.value === issue.keys[0])?.key
          : undefined;
      const offset = ((unknownKey ?? node) as { range?: [number, number, number] } | undefined)
        ?.range?.[0];
      const position = offset === undefined ? undefined : lineCounter.linePos(offset);
      const path = formatIssuePath(segments);
      return {
        message: path === '' ? issue.message : `${path}: ${issue.message}`,
        line: position?.line,
        column: position?.col,
        path,
      };
    }),
  );
}
