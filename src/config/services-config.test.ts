import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../readers/yaml/parse-yaml.ts';
import { CandorConfig } from './candor-config.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The first ```yaml block after a README heading. */
function yamlAfter(heading: string): string {
  const at = readme.indexOf(heading);
  const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !block) throw new Error(`README has no yaml block after ${heading}`);
  return block[1]!;
}

describe('services: in candor.yml', () => {
  it("accepts the README's example as written, every action kind in it", () => {
    const parsed = parseYaml(yamlAfter('### `candor rollback`'), CandorConfig);
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    if (!parsed.ok) return;
    const services = parsed.value.value.services ?? {};
    expect(
      Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.rollback?.kind])),
    ).toEqual({
      checkout: 'exec',
      storefront: 'exec',
      payments: 'exec',
      pricing: 'flag',
      search: 'webhook',
      legacy: 'dry-run',
    });
    expect(services['checkout']?.drill).toEqual({ environment: 'staging', maxAgeDays: 30 });
  });

  it('names the line and column of an unknown action kind', () => {
    const parsed = parseYaml(
      'services:\n  api:\n    rollback: { kind: exek, argv: [x] }\n',
      CandorConfig,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[0]).toMatchObject({ line: 3 });
    expect(parsed.errors[0]?.message).toMatch(/exec|kind/);
  });

  it("accepts the README's release waves as written", () => {
    const parsed = parseYaml(yamlAfter('### `candor release plan|next|approve`'), CandorConfig);
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    if (!parsed.ok) return;
    expect(
      parsed.value.value.release?.waves.map((w) => [w.name, w.bake ?? null, w.approval]),
    ).toEqual([
      ['canary-region', 1_800_000, false],
      ['big-two', 3_600_000, true],
      ['rest', null, false],
    ]);
  });
});
