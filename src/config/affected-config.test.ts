import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../readers/yaml/parse-yaml.ts';
import { CandorConfig } from './candor-config.ts';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('services.<name>.paths and affected: in candor.yml', () => {
  it('accepts the README example of candor affected', () => {
    const section = readme.slice(readme.indexOf('### `candor affected`'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const parsed = parseYaml(example, CandorConfig);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.value.services?.['api']?.paths).toEqual([
      'services/api/**',
      { glob: 'db/migrations/**', changes: ['added'] },
    ]);
    expect(parsed.value.value.affected?.shared).toEqual(['package-lock.json', '.github/**']);
  });

  it.each([
    [
      'services:\n  api:\n    paths: ["a/**", { glob: "b/**", changes: [moved] }]\n',
      3,
      'services.api.paths[1]',
    ],
    ['services:\n  api:\n    paths: "a/**"\n', 3, 'services.api.paths'],
    ['affected:\n  shared: ["x"]\n  sharde: ["y"]\n', 3, 'affected'],
    ['affected:\n  shared: ["x", "!"]\n', 2, 'affected.shared[1]'],
  ])('refuses %j naming the line and the path', (text, line, path) => {
    const parsed = parseYaml(text, CandorConfig);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[0]).toMatchObject({ line, path: expect.stringContaining(path) });
  });
});
