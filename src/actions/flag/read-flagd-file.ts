import { z } from 'zod';
import type { Problem } from '../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';
import { parseYaml } from '../../readers/yaml/parse-yaml.ts';

/** One flag of a flagd flag file, as flagd reads it (unknown members kept out). */
export const FlagdFlag = z.looseObject({
  /** `DISABLED` flags resolve to no variant (the application's code default). */
  state: z.enum(['ENABLED', 'DISABLED']).default('ENABLED'),
  variants: z.record(z.string(), z.unknown()),
  /** flagd 0.11+ allows null: no default variant, the application's code default. */
  defaultVariant: z.string().nullable().optional(),
  targeting: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type FlagdFlag = z.output<typeof FlagdFlag>;

/** A flagd flag file (JSON or YAML): `flags`, shared `$evaluators`, flag-set `metadata`. */
export const FlagdFile = z.looseObject({
  flags: z.record(z.string(), FlagdFlag),
  $evaluators: z.record(z.string(), z.unknown()).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type FlagdFile = z.output<typeof FlagdFile>;

/**
 * Reads a flagd flag file's text (JSON is YAML): the flags, or problems with line:column and the
 * path (`flags.checkout.variants: expected record`). A default variant that is not one of the
 * flag's variants is a problem too (flagd refuses the file). Never throws.
 */
export function readFlagdFile(text: string): Result<FlagdFile, Problem> {
  const parsed = parseYaml(text, FlagdFile);
  if (!parsed.ok) return parsed;
  const problems: Problem[] = [];
  for (const [key, flag] of Object.entries(parsed.value.value.flags)) {
    const variant = flag.defaultVariant;
    if (typeof variant === 'string' && !Object.hasOwn(flag.variants, variant))
      problems.push({
        message: `flags.${key}.defaultVariant: "${variant}" is not one of its variants (${Object.keys(flag.variants).join(', ') || 'none'})`,
        path: `flags.${key}.defaultVariant`,
      });
  }
  return problems.length > 0 ? fail(...problems) : ok(parsed.value.value);
}
