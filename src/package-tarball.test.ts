import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

/** The pinned Node first on PATH, as actions/setup-node or a node image puts it. */
const path = `${join(root, 'node_modules', '.bin')}:${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`;

describe('the npm package (README "Use candor in your pipeline")', () => {
  let dir: string;
  let packed: { filename: string; files: { path: string }[] };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-pack-'));
    // A copy of the checkout, so `npm pack` (and its prepack build) leaves this one as it is.
    const copy = join(dir, 'checkout');
    mkdirSync(copy);
    for (const entry of [
      'package.json',
      'package-lock.json',
      'README.md',
      'DEFINITIONS.md',
      'bin',
      'scripts',
      'src',
      'web',
    ])
      cpSync(join(root, entry), join(copy, entry), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
      cwd: copy,
      env: { PATH: path, HOME: dir, npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    const [first] = JSON.parse(out) as (typeof packed)[];
    if (first === undefined) throw new Error('npm pack listed no package');
    packed = first;
    execFileSync('tar', ['xzf', join(dir, packed.filename)], { cwd: dir });
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the versioned tarball the docs install', () => {
    expect(packed.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/candor.js',
        'dist/candor.js',
        'dist/dashboard-worker.js',
        'dist/web/dashboard.js',
        'README.md',
        'package.json',
      ]),
    );
    expect(files.filter((f) => f.startsWith('src/'))).toEqual([]);
  });

  it('runs `candor --version` from the tarball alone (the bundle needs no node_modules)', () => {
    const version = execFileSync(join(dir, 'package', 'bin', 'candor.js'), ['--version'], {
      cwd: dir,
      env: { PATH: path, HOME: dir },
    }).toString();
    expect(version.trim()).toBe(pkg.version);
  });

  it('installs from the tarball alone, with no registry and an empty npm cache', () => {
    // The bundle carries every dependency: the published package.json names none, so an
    // air-gapped runner installs it (README "Use candor in your pipeline").
    const published = JSON.parse(
      readFileSync(join(dir, 'package', 'package.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(published['dependencies']).toBeUndefined();
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name":"uses-candor","private":true}\n');
    execFileSync(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', '--save-dev', join(dir, packed.filename)],
      {
        cwd: project,
        env: { PATH: path, HOME: project, npm_config_update_notifier: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const version = execFileSync(join(project, 'node_modules', '.bin', 'candor'), ['--version'], {
      cwd: project,
      env: { PATH: path, HOME: project },
    }).toString();
    expect(version.trim()).toBe(pkg.version);
  });

  it("serves the dashboard's test truth panel from the read worker of the bundle", async () => {
    const child = spawn(
      join(dir, 'package', 'bin', 'candor.js'),
      ['serve', '--port', '0', '--db', join(dir, 'serve.db'), '--public-dashboard'],
      { cwd: dir, env: { PATH: path, HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let output = '';
      let url: string | undefined;
      for await (const chunk of child.stdout) {
        output += String(chunk);
        url ??= /candor listening on (http:\/\/\S+)/.exec(output)?.[1];
        if (url !== undefined && output.includes('dashboardReadWorker')) break;
      }
      if (url === undefined) throw new Error(`candor serve did not listen: ${output}`);
      expect(output).toContain('"dashboardReadWorker":true');
      const response = await fetch(`${url}/api/v1/dashboard/tests`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { tests: { status: string } }).tests.status).toBe(
        'no-data',
      );
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
});
