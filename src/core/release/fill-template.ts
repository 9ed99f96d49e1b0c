import { fail, ok, type Result } from '../lib/result.ts';

/** The placeholders a rollback action's argv, URL and body may use. */
export const rollbackPlaceholders = [
  'service',
  'environment',
  'deployment',
  'reason',
  'purpose',
] as const;
export type RollbackPlaceholder = (typeof rollbackPlaceholders)[number];
export type TemplateValues = Partial<Record<RollbackPlaceholder, string>>;

const placeholder = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * `text` with each `{{name}}` replaced by its value. A value is inserted as one piece (an argv
 * element stays one element: nothing is split or interpreted by a shell). An unknown name, or a
 * known one without a value (`{{deployment}}` when no deployment is known), is an error naming
 * it. Never throws.
 */
export function fillTemplate(text: string, values: TemplateValues): Result<string, string> {
  const missing: string[] = [];
  const filled = text.replace(placeholder, (whole, name: string) => {
    const value = (rollbackPlaceholders as readonly string[]).includes(name)
      ? values[name as RollbackPlaceholder]
      : undefined;
    if (value === undefined) {
      missing.push(
        (rollbackPlaceholders as readonly string[]).includes(name)
          ? `{{${name}}} has no value here`
          : `{{${name}}} is not a placeholder (use ${rollbackPlaceholders.map((p) => `{{${p}}}`).join(', ')})`,
      );
      return whole;
    }
    return value;
  });
  return missing.length > 0 ? fail(...missing) : ok(filled);
}

/** Every string inside a JSON value filled with `fillTemplate`; keys are left alone. */
export function fillJsonTemplate(value: unknown, values: TemplateValues): Result<unknown, string> {
  if (typeof value === 'string') return fillTemplate(value, values);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const filled = fillJsonTemplate(item, values);
      if (!filled.ok) return filled;
      out.push(filled.value);
    }
    return ok(out);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const filled = fillJsonTemplate(item, values);
      if (!filled.ok) return filled;
      out[key] = filled.value;
    }
    return ok(out);
  }
  return ok(value);
}
