import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readToolProjects } from './read-tool-projects.ts';

const dir = mkdtempSync(join(tmpdir(), 'candor-tools-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};

describe('readToolProjects', () => {
  it('reads the project names of nx show projects --affected --json', () => {
    expect(readToolProjects(dir, file('nx.json', '["api","web-app"]\n'), 'nx')).toEqual([
      'api',
      'web-app',
    ]);
  });

  it('reads the package names of turbo ls --affected --output=json', () => {
    const output = {
      packageManager: 'pnpm',
      packages: {
        count: 2,
        items: [
          { name: '@shop/api', path: 'apps/api' },
          { name: 'web', path: 'apps/web' },
        ],
      },
    };
    expect(
      readToolProjects(dir, file('turbo.json', JSON.stringify(output, null, 2)), 'turbo'),
    ).toEqual(['@shop/api', 'web']);
  });

  it.each([
    ['nx', 'not json', /^bad\.json: not JSON \(expected the output of nx show projects/],
    ['nx', '["api", 7]', /^bad\.json: \[1\]: .*expected string/i],
    ['turbo', '{"packages":{"items":[{"path":"x"}]}}', /^bad\.json: packages\.items\[0\]\.name: /],
  ] as const)('refuses %s output %j naming the file and the JSON path', (tool, text, message) => {
    expect(() => readToolProjects(dir, file('bad.json', text), tool)).toThrow(message);
  });

  it('fails with io when the file is missing', () => {
    expect(() => readToolProjects(dir, 'missing.json', 'nx')).toThrow(
      expect.objectContaining({ code: 'io' }),
    );
  });
});
