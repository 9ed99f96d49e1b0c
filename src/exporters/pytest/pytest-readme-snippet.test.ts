import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candorBin, launcherFlags } from '../../testing/run-cli-binary.ts';

/** The README's pytest wiring, as written there (the block after "read them into a bash array"). */
const snippet = (() => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const after = readme.slice(readme.indexOf('read them into a bash array'));
  const block = /```sh\n([\s\S]*?)```/.exec(after)?.[1];
  if (block === undefined) throw new Error('README: the pytest snippet is missing');
  return block;
})();

describe('the README pytest quarantine snippet', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-pytest-snippet-'));
    mkdirSync(join(dir, '.candor'));
    mkdirSync(join(dir, 'bin'));
    const created = new Date().toISOString().slice(0, 10);
    const expires = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const entry = (key: string) =>
      `  - key: "${key}"\n    owner: "@api"\n    reason: flaky\n    created: ${created}\n    expires: ${expires}\n    mode: skip\n`;
    writeFileSync(
      join(dir, '.candor', 'quarantine.yml'),
      `version: 1\ntests:\n${entry('tests/test_api.py::test_query[red hat]')}${entry('tests/test_api.py::test_slow')}`,
    );
    // `npx candor` is the checkout's launcher; `pytest` prints the arguments it was given.
    writeFileSync(
      join(dir, 'bin', 'npx'),
      `#!/bin/sh\nshift\nexec "${process.execPath}" ${launcherFlags.join(' ')} "${candorBin}" "$@"\n`,
    );
    writeFileSync(
      join(dir, 'bin', 'pytest'),
      '#!/bin/sh\nfor a in "$@"; do echo "arg: $a"; done\n',
    );
    chmodSync(join(dir, 'bin', 'npx'), 0o755);
    chmodSync(join(dir, 'bin', 'pytest'), 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands pytest one --deselect per quarantined test, a parametrised id with spaces whole', async () => {
    const { stdout } = await promisify(execFile)('bash', ['-c', snippet], {
      cwd: dir,
      env: { PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}`, HOME: dir },
    });
    expect(stdout).toBe(
      'arg: --deselect=tests/test_api.py::test_query[red hat]\narg: --deselect=tests/test_api.py::test_slow\n',
    );
  });
});
