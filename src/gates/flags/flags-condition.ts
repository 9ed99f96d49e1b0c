import { posix } from 'node:path';
import { z } from 'zod';
import { readFlagdFile, type FlagdFlag } from '../../actions/flag/read-flagd-file.ts';
import { defineGateCondition, type EvidenceProblem, type GateLocation } from '../gate-condition.ts';
import { listShort, plural } from '../read-evidence-files.ts';
import { isVariantOn, literalsOf, resolveFlagdFlag } from './evaluate-flagd-flag.ts';

const Globs = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1).max(200)])
  .transform((value) => [value].flat());

/** `- flags: { files: flags/*.flagd.json, risky: [new-checkout, "payments-*"] }`. */
export const FlagsOptions = z.strictObject({
  /** flagd flag files (JSON or YAML; paths or globs). */
  files: Globs,
  /** Flag keys (or globs of keys) that are risky; with `marker`, either makes a flag risky. */
  risky: Globs.optional(),
  /** A flag is risky when its `metadata` has this key set to true (default `risky`). */
  marker: z.string().trim().min(1).max(100).default('risky'),
  /** Variant names that are off whatever their value (default `off`). */
  offVariants: z.array(z.string().min(1)).max(50).default(['off']),
  /** Evaluation contexts the flags are resolved for, as flagd would (default: the empty one). */
  contexts: z.array(z.record(z.string(), z.unknown())).min(1).max(50).default([{}]),
  /** A flag off for every context given whose targeting can return an on variant: warn (default), fail or pass. */
  targeted: z.enum(['warn', 'fail', 'pass']).default('warn'),
});
export type FlagsOptions = z.output<typeof FlagsOptions>;

export type FlagsEvidence = {
  /** The risky flags found, with the file and the shared evaluators they are resolved with. */
  flags: {
    key: string;
    file: string;
    flag: FlagdFlag;
    evaluators: Record<string, unknown>;
  }[];
  /** Keys `risky` names exactly that no file holds. */
  absent: string[];
};

const isGlob = (text: string) => /[*?[\]{}!]/.test(text);

type FlagOutcome =
  | { kind: 'off'; key: string }
  | { kind: 'on'; key: string; file: string; why: string }
  | { kind: 'targeted'; key: string; file: string; why: string };

function judgeFlag(
  entry: FlagsEvidence['flags'][number],
  options: FlagsOptions,
  now: Date,
): FlagOutcome {
  const { key, file, flag, evaluators } = entry;
  const on = (variant: string) => isVariantOn(variant, flag.variants[variant], options.offVariants);
  for (const [index, context] of options.contexts.entries()) {
    const resolved = resolveFlagdFlag(key, flag, evaluators, context, now);
    if (resolved.kind === 'variant' && on(resolved.variant)) {
      const where =
        Object.keys(context).length === 0 ? 'the empty context' : `context ${index + 1}`;
      return {
        kind: 'on',
        key,
        file,
        why:
          resolved.reason === 'TARGETING_MATCH'
            ? `targeting returns "${resolved.variant}" for ${where}`
            : `defaultVariant "${resolved.variant}" is on`,
      };
    }
  }
  if (flag.state !== 'DISABLED' && flag.targeting !== undefined) {
    const possible = [...literalsOf(flag.targeting)].filter(
      (name) => Object.hasOwn(flag.variants, name) && on(name),
    );
    // A $ref may return any variant: count the evaluators' literals too.
    for (const name of literalsOf(Object.values(evaluators)))
      if (Object.hasOwn(flag.variants, name) && on(name) && !possible.includes(name))
        possible.push(name);
    if (possible.length > 0)
      return {
        kind: 'targeted',
        key,
        file,
        why: `targeting can return ${listShort(possible.map((p) => `"${p}"`))} for some context`,
      };
  }
  return { kind: 'off', key };
}

/**
 * `flags`: risky feature flags default OFF in flagd flag files, resolved as flagd would for the
 * given contexts (default: the empty one), `targeting` included. A flag on for a context fails;
 * one off for every context given but whose targeting can return an on variant for some other
 * context (a rollout in progress) warns (`targeted`). Risky flags are the keys of `risky` and
 * the flags whose metadata carries `marker`; none is "no evidence".
 */
export const flagsCondition = defineGateCondition<FlagsOptions, FlagsEvidence>({
  id: 'flags',
  description: 'risky flags default off in flagd flag files, targeting included',
  options: FlagsOptions,
  label: (options) =>
    `flags ${options.risky === undefined ? `marked ${options.marker}` : listShort(options.risky, 2)} off`.slice(
      0,
      120,
    ),
  async gather(options, context) {
    const files = await context.findFiles(options.files);
    const expected = `flagd flag files at ${options.files.join(', ')}`;
    if (files.length === 0) return { kind: 'missing', expected, files: [] };
    const problems: EvidenceProblem[] = [];
    const flags: FlagsEvidence['flags'] = [];
    const seen = new Set<string>();
    for (const file of files) {
      const text = await context.readText(file);
      if (text === undefined) continue;
      const read = readFlagdFile(text);
      if (!read.ok) {
        problems.push(...read.errors.map((problem) => ({ ...problem, file })));
        continue;
      }
      const evaluators = read.value.$evaluators ?? {};
      for (const [key, flag] of Object.entries(read.value.flags)) {
        seen.add(key);
        const marked = flag.metadata?.[options.marker];
        const named = options.risky?.some((p) => p === key || posix.matchesGlob(key, p)) ?? false;
        if (named || marked === true || marked === 'true')
          flags.push({ key, file, flag, evaluators });
      }
    }
    if (problems.length > 0) return { kind: 'invalid', problems, files };
    const absent = (options.risky ?? []).filter((key) => !isGlob(key) && !seen.has(key));
    if (flags.length === 0 && absent.length === 0)
      return {
        kind: 'missing',
        expected: `risky flags (${options.risky === undefined ? '' : `${listShort(options.risky)} or `}metadata.${options.marker}: true) in ${listShort(files)}`,
        files,
      };
    return { kind: 'found', value: { flags, absent }, files };
  },
  evaluate(evidence, options, now) {
    const outcomes = evidence.flags.map((entry) => judgeFlag(entry, options, now));
    const on = outcomes.filter((o) => o.kind === 'on');
    const targeted = outcomes.filter((o) => o.kind === 'targeted');
    const total = evidence.flags.length + evidence.absent.length;
    const locations: GateLocation[] = [...on, ...targeted].map((o) => ({
      file: o.file,
      message: `flag ${o.key}: ${o.why}`,
    }));
    const notOff = on.length + targeted.length + evidence.absent.length;
    const value = `${notOff} of ${plural(total, 'risky flag')} not off`;
    const parts = [
      ...on.map((o) => `${o.key} is on (${o.why})`),
      ...evidence.absent.map((key) => `${key} is in no flag file`),
    ];
    if (parts.length > 0)
      return {
        result: 'fail',
        value,
        threshold: 'off',
        message: `${listShort(parts, 4)}${targeted.length > 0 ? `; ${plural(targeted.length, 'more flag')} targeted` : ''}`,
        locations,
      };
    if (targeted.length > 0 && options.targeted !== 'pass')
      return {
        result: options.targeted,
        value,
        threshold: 'off',
        message: `every risky flag defaults off, but ${listShort(
          targeted.map((o) => `${o.key} (${o.why})`),
          4,
        )}`,
        locations,
      };
    return {
      result: 'pass',
      value: `0 of ${plural(total, 'risky flag')} not off`,
      threshold: 'off',
      message: `${plural(total, 'risky flag')} off by default (${listShort(evidence.flags.map((f) => f.key))})${targeted.length > 0 ? `, ${targeted.length} targeted (allowed)` : ''}`,
    };
  },
});
