import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseYaml } from './parse-yaml.ts';

const Schema = z.strictObject({
  name: z.string(),
  metrics: z.array(
    z.strictObject({ kind: z.enum(['count', 'gauge']), weight: z.number().optional() }),
  ),
});

describe('parseYaml', () => {
  it('returns the value and keeps the document', () => {
    const result = parseYaml('# a comment\nname: api\nmetrics:\n  - kind: count\n', Schema);
    expect(result.ok && result.value.value).toEqual({ name: 'api', metrics: [{ kind: 'count' }] });
    expect(result.ok && result.value.document.toString()).toContain('# a comment');
  });

  it.each([
    ['name: api\nmetrics:\n  - kind: count\n  - kind: histogram\n', 'metrics[1].kind', 4, 11],
    ['name: api\nmetrics:\n  - kind: count\n    wieght: 2\n', 'metrics[0]', 4, 5], // at the unknown key itself,
    ['name: 3\nmetrics: []\n', 'name', 1, 7],
    ['metrics: []\n', 'name', 1, 1],
  ])('names the place of %j: %s at %i:%i', (text, path, line, column) => {
    const result = parseYaml(text, Schema);
    expect(result.ok).toBe(false);
    const first = result.ok ? undefined : result.errors[0];
    expect(first).toMatchObject({ path, line, column });
    expect(first?.message.startsWith(`${path}: `)).toBe(true);
  });

  it.each([
    ['name: [unclosed\n', 2], // found where the sequence should have closed
    ['name: a\nname: b\nmetrics: []\n', 2],
  ])('stops at a YAML error with its line: %j', (text, line) => {
    const result = parseYaml(text, Schema);
    expect(result.ok ? undefined : result.errors[0]?.line).toBe(line);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from(
      { length: 8 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
    ).join('\n')}\n`;
    const result = parseYaml(bomb, z.record(z.string(), z.unknown()));
    expect(result.ok).toBe(false);
  });

  it('validates an empty document as {}', () => {
    const result = parseYaml('', z.strictObject({ version: z.literal(1).optional() }));
    expect(result.ok && result.value.value).toEqual({});
  });
});
