import { z } from 'zod';
import { suggestWord } from '../core/lib/suggest-word.ts';
import {
  gateConditionKinds,
  gateConditions,
  isGateConditionKind,
} from '../gates/gate-conditions.ts';

/** The checklists the seed names; users add their own under any other name. */
export const seedChecklists = ['change', 'release', 'incident', 'quarter'] as const;

/** What a failing entry does: `block` fails the checklist (the default), `warn` only reports. */
export const gateEnforcements = ['block', 'warn'] as const;
export type GateEnforcement = (typeof gateEnforcements)[number];

/** One entry of a checklist after validation: its kind, the shared keys, its own options. */
export type GateEntry = {
  kind: string;
  name: string | undefined;
  enforce: GateEnforcement;
  options: unknown;
};

/** The keys every kind accepts beside its own options. */
const sharedKeys = ['name', 'enforce'] as const;
const SharedKeys = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  enforce: z.enum(gateEnforcements).default('block'),
});

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The keys a condition's options schema declares (for "did you mean"). */
function optionKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

const didYouMean = (word: string, known: readonly string[]) => {
  const suggestion = suggestWord(word, known);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
};

/** The JSON Schema of one kind's options, with the shared keys beside them. */
function optionsJsonSchema(kind: keyof typeof gateConditions): Record<string, unknown> {
  const own: Record<string, unknown> = {
    ...z.toJSONSchema(gateConditions[kind].options, { io: 'input', unrepresentable: 'any' }),
  };
  delete own['$schema'];
  const shared = z.toJSONSchema(SharedKeys, { io: 'input' }) as { properties: object };
  return {
    ...own,
    description: gateConditions[kind].description,
    properties: { ...(own['properties'] as object | undefined), ...shared.properties },
  };
}

/**
 * One entry of a checklist: a map with exactly one key, the condition's kind, whose value holds
 * its options plus `name` and `enforce` (`- coverage: { files: lcov.info, min: 90, enforce: warn }`).
 * An unknown kind or option key is refused with "did you mean". The JSON Schema offers one
 * alternative per registered kind (editors complete kinds and options).
 */
export const GateEntrySchema = z
  .unknown()
  .transform((value, context): GateEntry => {
    if (!isPlainObject(value) || Object.keys(value).length !== 1) {
      context.addIssue({
        code: 'custom',
        message: `expected one condition, such as "- todo: { words: [TODO] }" (kinds: ${gateConditionKinds.join(', ')})`,
      });
      return z.NEVER;
    }
    const [kind, raw] = Object.entries(value)[0] as [string, unknown];
    if (!isGateConditionKind(kind)) {
      context.addIssue({
        code: 'custom',
        path: [kind],
        message: `unknown condition "${kind}"${didYouMean(kind, gateConditionKinds)}; candor knows ${gateConditionKinds.join(', ')}`,
      });
      return z.NEVER;
    }
    const condition = gateConditions[kind];
    const given = raw === null || raw === undefined ? {} : raw;
    if (!isPlainObject(given)) {
      context.addIssue({ code: 'custom', path: [kind], message: 'expected a map of options' });
      return z.NEVER;
    }
    const shared = SharedKeys.safeParse({ name: given['name'], enforce: given['enforce'] });
    const own = Object.fromEntries(
      Object.entries(given).filter(([key]) => !(sharedKeys as readonly string[]).includes(key)),
    );
    const options = condition.options.safeParse(own);
    const known = [...optionKeys(condition.options), ...sharedKeys];
    for (const issue of [
      ...(shared.success ? [] : shared.error.issues),
      ...(options.success ? [] : options.error.issues),
    ]) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          context.addIssue({
            code: 'custom',
            path: [kind, ...issue.path, key],
            message: `unknown option "${key}" of ${kind}${didYouMean(key, known)}; it takes ${known.join(', ')}`,
          });
      } else {
        context.addIssue({
          code: 'custom',
          path: [kind, ...issue.path.filter((p) => typeof p !== 'symbol')],
          message: issue.message,
        });
      }
    }
    if (!shared.success || !options.success) return z.NEVER;
    return { kind, name: shared.data.name, enforce: shared.data.enforce, options: options.data };
  })
  .meta({
    anyOf: gateConditionKinds.map((kind) => ({
      type: 'object',
      additionalProperties: false,
      required: [kind],
      properties: { [kind]: optionsJsonSchema(kind) },
    })),
  });

/** A checklist's name: lower-case words joined by `-` or `_`. */
const ChecklistName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'a checklist name is lower-case letters, digits, - and _');

/**
 * `gates:` in candor.yml: named checklists (`change`, `release`, `incident`, `quarter`, and any
 * other), each a list of conditions. `candor gate <checklist>` runs one.
 */
export const GatesConfig = z.record(ChecklistName, z.array(GateEntrySchema).min(1));
export type GatesConfig = z.output<typeof GatesConfig>;
