import { z } from 'zod';
import { daysBetween, toIsoDate } from '../../core/lib/time.ts';
import { parseYaml } from '../../readers/yaml/parse-yaml.ts';
import { defineGateCondition, type GateLocation } from '../gate-condition.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((d) => {
    const at = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(at) && new Date(at).toISOString().startsWith(d);
  }, 'not a calendar date');

/** One entry of `.candor/secrets.yml`: a credential, who owns it, when it expires. */
export const CatalogSecret = z.strictObject({
  name: z.string().trim().min(1).max(200),
  owner: z.string().trim().min(1).max(200),
  expires: isoDate,
  rotated: isoDate.optional(),
  usedBy: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  /** Where it is stored or how it is rotated (a vault path, a runbook link). */
  notes: z.string().max(2_000).optional(),
});
export type CatalogSecret = z.output<typeof CatalogSecret>;

/** `.candor/secrets.yml`: `version: 1` and the list of secrets. */
export const SecretsCatalog = z.strictObject({
  version: z.literal(1),
  secrets: z.array(CatalogSecret).max(10_000),
});

/** `- secrets: { catalog: .candor/secrets.yml, warnDays: 14, usedBy: deploy }`. */
export const SecretsOptions = z.strictObject({
  catalog: z.string().min(1).default('.candor/secrets.yml'),
  /** Warn this many days (or fewer) before a secret expires. */
  warnDays: z.int().min(0).max(3650).default(14),
  /** Only the secrets used by this (an entry of `usedBy`). */
  usedBy: z.string().min(1).optional(),
});
export type SecretsOptions = z.output<typeof SecretsOptions>;

export type SecretsEvidence = {
  catalog: string;
  secrets: (CatalogSecret & { line: number })[];
};

/** The 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** `secrets`: no secret of the catalog expired; a warning `warnDays` before expiry. */
export const secretsCondition = defineGateCondition<SecretsOptions, SecretsEvidence>({
  id: 'secrets',
  description: 'no secret of the .candor/secrets.yml catalog expired; warn warnDays before expiry',
  options: SecretsOptions,
  label: (options) => `secrets ${options.catalog}`,
  async gather(options, context) {
    const text = await context.readText(options.catalog);
    if (text === undefined)
      return {
        kind: 'missing',
        expected: `the secrets catalog ${options.catalog} (version: 1, secrets: [{ name, owner, expires }])`,
        files: [],
      };
    const parsed = parseYaml(text, SecretsCatalog);
    if (!parsed.ok)
      return {
        kind: 'invalid',
        problems: parsed.errors.map((p) => ({ ...p, file: options.catalog })),
        files: [options.catalog],
      };
    const secrets = parsed.value.value.secrets
      .map((secret, index) => {
        const node = parsed.value.document.getIn(['secrets', index], true) as
          { range?: [number, number, number] } | undefined;
        return { ...secret, line: lineAt(text, node?.range?.[0] ?? 0) };
      })
      .filter((s) => options.usedBy === undefined || (s.usedBy ?? []).includes(options.usedBy));
    return {
      kind: 'found',
      value: { catalog: options.catalog, secrets },
      files: [options.catalog],
    };
  },
  evaluate(evidence, options, now) {
    const today = toIsoDate(now);
    const rated = evidence.secrets.map((s) => ({ ...s, days: daysBetween(today, s.expires) }));
    const expired = rated.filter((s) => s.days < 0);
    const soon = rated.filter((s) => s.days >= 0 && s.days <= options.warnDays);
    const locations: GateLocation[] = [...expired, ...soon].slice(0, 200).map((s) => ({
      file: evidence.catalog,
      line: s.line,
      message:
        s.days < 0
          ? `${s.name} (owner ${s.owner}) expired on ${s.expires}, ${-s.days} day(s) ago${s.usedBy ? `; used by ${s.usedBy.join(', ')}` : ''}`
          : `${s.name} (owner ${s.owner}) expires on ${s.expires}, in ${s.days} day(s)${s.usedBy ? `; used by ${s.usedBy.join(', ')}` : ''}`,
    }));
    const soonest = rated.reduce<(typeof rated)[number] | undefined>(
      (min, s) => (min === undefined || s.days < min.days ? s : min),
      undefined,
    );
    const value = soonest === undefined ? null : soonest.days;
    const base = { value, threshold: options.warnDays, locations };
    if (expired.length > 0)
      return {
        ...base,
        result: 'fail',
        message: `${expired.length} secret(s) expired: ${expired
          .map((s) => `${s.name} on ${s.expires} (owner ${s.owner})`)
          .slice(0, 5)
          .join(', ')}`,
      };
    if (soon.length > 0)
      return {
        ...base,
        result: 'warn',
        message: `${soon.length} secret(s) expire within ${options.warnDays} days: ${soon
          .map((s) => `${s.name} on ${s.expires} (owner ${s.owner})`)
          .slice(0, 5)
          .join(', ')}`,
      };
    return {
      ...base,
      result: 'pass',
      message:
        soonest === undefined
          ? `the catalog lists no secret${options.usedBy ? ` used by ${options.usedBy}` : ''}`
          : `${rated.length} secret(s), the first to expire is ${soonest.name} on ${soonest.expires} (in ${soonest.days} days)`,
    };
  },
});
