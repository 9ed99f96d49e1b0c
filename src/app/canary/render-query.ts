import { fail, ok, type Result } from '../../core/lib/result.ts';

/**
 * A query template of candor.yml with its placeholders filled: `{{key}}` (spaces allowed inside
 * the braces) takes `values[key]`. Label values are escaped for a PromQL string (`\` and `"`),
 * so `--canary version='a"b'` cannot end the label matcher. An unknown placeholder is an error
 * naming it and the keys there are. Never throws.
 */
export function renderQuery(
  template: string,
  values: Readonly<Record<string, string>>,
): Result<string, string> {
  const unknown = new Set<string>();
  const text = template.replace(
    /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g,
    (_match, key: string) => {
      const value = Object.hasOwn(values, key) ? values[key] : undefined;
      if (value === undefined) {
        unknown.add(key);
        return '';
      }
      return value.replace(/[\\"]/g, (c) => `\\${c}`);
    },
  );
  if (unknown.size > 0)
    return fail(
      `unknown placeholder ${[...unknown].map((k) => `{{${k}}}`).join(', ')} (known: ${Object.keys(
        values,
      )
        .map((k) => `{{${k}}}`)
        .join(', ')})`,
    );
  return ok(text);
}
