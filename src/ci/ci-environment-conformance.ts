import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TestRunMetadata } from '../core/tests/test-model.ts';
import { skippedCases, type ConformanceSkip } from '../testing/skipped-cases.ts';
import type { CiEnvironment, Env } from './ci-environment.ts';
import { ciProviders, detectCiEnvironment, isCiProvider } from './ci-environments.ts';

/**
 * A provider's sample, `<id>/__fixtures__/environment.json`: variables as the provider sets them
 * (its readme says where they are documented) and the metadata candor reads from them.
 */
export type CiSample = { env: Env; metadata: TestRunMetadata };

/** The sample of a registered provider, read from its folder. Throws when it is missing. */
export function readCiSample(id: string): CiSample {
  const url = new URL(`./${id}/__fixtures__/environment.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as CiSample;
}

/** The cases of the suite, by name: what a provider's `skip` may list. */
export const ciEnvironmentConformanceCases = [
  'detects its sample',
  'reads its sample',
  'claims no other provider sample',
  'never throws on an empty environment',
  'treats blank values as unset',
  'trims values',
] as const;
export type CiEnvironmentConformanceCase = (typeof ciEnvironmentConformanceCases)[number];

/** `env` with every value replaced by `value(original)`. */
const mapValues = (env: Env, value: (v: string) => string): Env =>
  Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === undefined ? undefined : value(v)]),
  );

/**
 * Registers, in a `describe` block named after the provider, the cases every CI environment
 * passes: it detects its sample environment and reads the metadata the sample expects (through
 * `detectCiEnvironment`, so it is also the provider chosen), claims no other registered
 * provider's sample, never throws on an empty environment, treats blank values as unset and reads
 * values trimmed. Call it from the provider's own test; the samples are the
 * `__fixtures__/environment.json` of every provider's folder. A case listed in `skip` is not
 * registered at all; the provider's readme lists it with the reason. Throws while the file is
 * collected when a skip has no reason or names no case, when the provider is not registered, or
 * when a sample is missing.
 */
export function runCiEnvironmentConformance(options: {
  environment: CiEnvironment;
  skip?: readonly ConformanceSkip<CiEnvironmentConformanceCase>[];
}): void {
  const { environment } = options;
  const suite = `CI environment conformance: ${environment.id}`;
  if (!isCiProvider(environment.id)) throw new Error(`${suite}: not in ci-environments.ts`);
  const skipped = skippedCases(suite, ciEnvironmentConformanceCases, options.skip);
  const own = readCiSample(environment.id);
  const others = ciProviders
    .filter((id) => id !== environment.id)
    .map((id) => [id, readCiSample(id)] as const);

  /** Every case registers its `it` blocks here; a case without one is a type error. */
  const cases: Record<CiEnvironmentConformanceCase, () => void> = {
    'detects its sample': () =>
      it('detects its sample environment', () => {
        expect(environment.detect(own.env)).toBe(true);
      }),

    'reads its sample': () =>
      it('reads the metadata of its sample environment', () => {
        expect(own.metadata.ciProvider).toBe(environment.id);
        expect(detectCiEnvironment(own.env)).toStrictEqual(own.metadata);
      }),

    'claims no other provider sample': () =>
      it.each(others)('does not claim the sample environment of %s', (_id, sample) => {
        expect(environment.detect(sample.env)).toBe(false);
      }),

    'never throws on an empty environment': () =>
      it('claims and reads nothing from an empty environment', () => {
        expect(environment.detect({})).toBe(false);
        expect(Object.values(environment.read({})).filter((v) => v !== undefined)).toEqual([]);
      }),

    'treats blank values as unset': () =>
      it('treats blank values as unset', () => {
        const blank = mapValues(own.env, () => ' \t ');
        expect(environment.detect(blank)).toBe(false);
        expect(Object.values(environment.read(blank)).filter((v) => v !== undefined)).toEqual([]);
      }),

    'trims values': () =>
      it('reads values trimmed', () => {
        expect(detectCiEnvironment(mapValues(own.env, (v) => ` ${v}\n`))).toStrictEqual(
          own.metadata,
        );
      }),
  };

  describe(suite, () => {
    for (const name of ciEnvironmentConformanceCases) if (!skipped.has(name)) cases[name]();
  });
}
