import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

describe('candor config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-config-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (args: string[]) => runCliInProcess(['config', ...args], { cwd: dir });

  it('prints a JSON Schema an editor can use', async () => {
    const result = await cli(['schema']);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema).toMatchObject({
      title: 'candor.yml',
      type: 'object',
      additionalProperties: false,
    });
    expect(schema.$schema).toContain('2020-12');
  });

  it('says when there is no candor.yml, and that it is fine', async () => {
    const result = await cli(['check']);
    expect([result.code, result.stdout]).toEqual([
      0,
      'candor.yml: not found (every section takes its defaults)\n',
    ]);
  });

  it('validates a file and names file:line:column of each problem (exit 2)', async () => {
    writeFileSync(join(dir, 'good.yml'), 'version: 1\n');
    expect((await cli(['check', '--config', 'good.yml'])).stdout).toBe('good.yml: valid\n');
    writeFileSync(join(dir, 'bad.yml'), 'version: 1\ncanari:\n  interval: 1m\n');
    const bad = await cli(['check', '--config', 'bad.yml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^✗ bad\.yml:2:1: Unrecognized key: "canari"/);
    const json = await cli(['check', '--config', 'bad.yml', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, problems: [{ line: 2 }] });
  });

  it('refuses a --config that does not exist (exit 4)', async () => {
    const result = await cli(['check', '--config', 'missing.yml']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('cannot read missing.yml');
  });
});
