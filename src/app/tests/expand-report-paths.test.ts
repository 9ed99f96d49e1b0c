import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandReportPaths } from './expand-report-paths.ts';

describe('expandReportPaths', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'candor-paths-'));
    mkdirSync(join(root, 'reports', 'nested'), { recursive: true });
    mkdirSync(join(root, 'elsewhere'));
    writeFileSync(join(root, 'reports', 'a.xml'), '<testsuite/>');
    writeFileSync(join(root, 'reports', 'nested', 'b.json'), '{}');
    writeFileSync(join(root, 'reports', 'notes.txt'), 'x');
    writeFileSync(join(root, 'elsewhere', 'secret.xml'), '<x/>');
    symlinkSync('..', join(root, 'reports', 'up'));
    symlinkSync(join(root, 'elsewhere'), join(root, 'reports', 'linked-dir'));
    symlinkSync(join(root, 'elsewhere', 'secret.xml'), join(root, 'reports', 'linked.xml'));
    symlinkSync(join(root, 'reports'), join(root, 'reports-link'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('finds TRX files in a directory (dotnet test --logger trx writes *.trx)', async () => {
    const dir = join(root, 'dotnet');
    mkdirSync(join(dir, 'TestResults'), { recursive: true });
    writeFileSync(join(dir, 'TestResults', 'runner_localhost.trx'), '<TestRun/>');
    const { files } = await expandReportPaths(['dotnet'], root);
    expect(files.map((f) => f.display)).toEqual(['dotnet/TestResults/runner_localhost.trx']);
  });

  it('searches a directory for reports without following links out of it', async () => {
    const { files, unmatched } = await expandReportPaths(['reports'], root);
    expect(files.map((f) => f.display)).toEqual(['reports/a.xml', 'reports/nested/b.json']);
    expect(unmatched).toEqual([]);
  });

  it('does not follow links in a glob either', async () => {
    const { files } = await expandReportPaths(['reports/**/*.xml'], root);
    expect(files.map((f) => f.display)).toEqual(['reports/a.xml']);
  });

  it('reads an argument that is itself a link', async () => {
    const { files } = await expandReportPaths(['reports-link', 'reports/linked.xml'], root);
    expect(files.map((f) => f.display)).toEqual([
      'reports-link/a.xml',
      'reports-link/nested/b.json',
      'reports/linked.xml',
    ]);
  });

  it('lists an argument that matched nothing', async () => {
    const { files, unmatched } = await expandReportPaths(['missing.xml', 'none/*.xml'], root);
    expect(files).toEqual([]);
    expect(unmatched).toEqual(['missing.xml', 'none/*.xml']);
  });
});
