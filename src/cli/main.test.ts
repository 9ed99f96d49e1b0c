import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../testing/open-test-store.ts';
import { runCliBinary } from '../testing/run-cli-binary.ts';
import { runCliInProcess } from '../testing/run-cli-in-process.ts';

const edge = (name: string) =>
  new URL(`../readers/test-results/junit/__fixtures__/edge/${name}`, import.meta.url);

describe('candor CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-cli-'));
    mkdirSync(join(dir, 'reports', 'nested'), { recursive: true });
    copyFileSync(edge('surefire-reruns.xml'), join(dir, 'reports', 'TEST-payment.xml'));
    copyFileSync(edge('repeated-testcases.xml'), join(dir, 'reports', 'nested', 'go.xml'));
    copyFileSync(edge('truncated.xml'), join(dir, 'bad.xml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (args: string[], env?: Record<string, string>) =>
    runCliInProcess(args, { cwd: dir, ...(env ? { env } : {}) });

  it('ingests directories and files and prints the JSON contract; a bad report exits 1', async () => {
    const result = await cli([
      'ingest',
      'reports',
      'bad.xml',
      '--json',
      '--run',
      'r1',
      '--repo',
      'acme/shop',
      '--commit',
      'c0ffee',
      '--branch',
      'main',
    ]);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(Object.keys(summary)).toEqual(['run', 'files', 'totals']);
    expect(summary.run).toBe('r1');
    expect(summary.files).toEqual([
      {
        path: 'bad.xml',
        format: 'junit',
        tests: 0,
        passed: 0,
        failed: 0,
        skipped: 0,
        flaky: 0,
        errors: [
          expect.objectContaining({
            message: expect.any(String),
            line: 5,
            column: expect.any(Number),
          }),
        ],
        duplicate: false,
        testCases: 0,
      },
      {
        path: join('reports', 'TEST-payment.xml'),
        format: 'junit',
        tests: 4,
        passed: 1,
        failed: 2,
        skipped: 0,
        flaky: 1,
        errors: [],
        duplicate: false,
        testCases: 4,
      },
      {
        path: join('reports', 'nested', 'go.xml'),
        format: 'junit',
        tests: 3,
        passed: 1,
        failed: 1,
        skipped: 0,
        flaky: 1,
        errors: [],
        duplicate: false,
        testCases: 5,
      },
    ]);
    expect(summary.totals).toEqual({
      files: 3,
      tests: 7,
      passed: 2,
      failed: 3,
      skipped: 0,
      flaky: 2,
    });
  });

  it('stores a report ingested twice into one run once', async () => {
    const again = await cli(['ingest', 'reports/TEST-payment.xml', '--run', 'r1', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).files[0]).toMatchObject({ duplicate: true, tests: 4 });
    const runs = await cli(['runs', '--json']);
    expect(JSON.parse(runs.stdout).runs).toEqual([
      expect.objectContaining({
        id: 'r1',
        repo: 'acme/shop',
        commit: 'c0ffee',
        branch: 'main',
        reports: 2,
        tests: 7,
        passed: 2,
        failed: 3,
        flaky: 2,
      }),
    ]);
  });

  it('prints plain lines and a summary without --json', async () => {
    const result = await cli(['ingest', 'bad.xml', 'reports/nested/go.xml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ bad\.xml:5:\d+: /);
    expect(result.stdout).toMatch(
      /✓ reports\/nested\/go\.xml: junit, 3 tests \(1 passed, 1 failed, 0 skipped, 1 flaky\)/,
    );
    expect(result.stdout).toMatch(/^run [0-9a-f-]{36}: 2 file\(s\), 3 tests/m);
  });

  it('treats an argument that matches nothing as an error unless --allow-empty', async () => {
    const missing = await cli(['ingest', 'nowhere/*.xml', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).files).toEqual([
      expect.objectContaining({
        path: 'nowhere/*.xml',
        errors: [{ message: 'no report file matched', line: null, column: null }],
      }),
    ]);
    const gone = await cli(['ingest', 'gone.xml', 'reports/nested/go.xml', '--json']);
    expect(gone.code).toBe(1);
    const summary = JSON.parse(gone.stdout);
    expect(summary.files.map((f: { errors: { message: string }[] }) => f.errors)).toEqual([
      [],
      [{ message: 'no such file or directory', line: null, column: null }],
    ]);
    expect(summary.totals.files).toBe(2);
    const nothing = await cli(['ingest', 'gone.xml']);
    expect(nothing.stdout).toBe('nothing stored: 1 file(s), none readable\n');
    const allowed = await cli(['ingest', 'nowhere/*.xml', '--allow-empty', '--json']);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).totals.files).toBe(0);
  });

  it.each([
    [['ingest']],
    [['ingest', 'x.xml', '--format', 'yaml']],
    [['ingest', 'x.xml', '--started-at', 'yesterday']],
    [['ingest', 'x.xml', '--started-at', '0001-01-01T00:00:00Z']],
    [['ingest', 'x.xml', '--started-at', '3026-01-01T00:00:00Z']],
    [['ingest', 'x.xml', '--no-such-flag']],
    [['no-such-command']],
  ])('exits 2 on a usage error: %j', async (args) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('takes run metadata from the CI environment', async () => {
    const result = await cli(
      ['ingest', 'reports/TEST-payment.xml', '--json', '--variant', 'linux'],
      {
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/ci',
        GITHUB_REF_NAME: 'release',
        GITHUB_SHA: 'feedbeef',
        GITHUB_JOB: 'test',
        GITHUB_RUN_ID: '7',
      },
    );
    expect(result.code).toBe(0);
    const runs = JSON.parse((await cli(['runs', '--json', '--repo', 'acme/ci'])).stdout).runs;
    expect(runs[0]).toMatchObject({
      repo: 'acme/ci',
      branch: 'release',
      commit: 'feedbeef',
      variant: 'linux',
      ciProvider: 'github-actions',
    });
  });

  it("shows one test's history by key, and exits 1 for an unknown key", async () => {
    const shown = await cli(['tests', 'show', 'com.acme.PaymentTest::settles']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('com.acme.PaymentTest::settles');
    expect(shown.stdout).toMatch(/flaky\s+3/);
    const json = JSON.parse(
      (await cli(['tests', 'show', 'com.acme.PaymentTest::settles', '--json'])).stdout,
    );
    expect(json.tests.map((t: { key: string }) => t.key)).toEqual([
      'com.acme.PaymentTest::settles',
    ]);
    const variant = await cli(['tests', 'show', 'com.acme.PaymentTest::settles [linux]']);
    expect(variant.stdout).toMatch(/flaky\s+3/);
    const unknown = await cli(['tests', 'show', 'no::such']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no stored test has the key "no::such"');
  });

  it('reports an unreachable database with exit 4 and no stack trace', async () => {
    writeFileSync(join(dir, 'ok.xml'), '<testsuite><testcase name="a"/></testsuite>');
    const result = await cli(['ingest', 'ok.xml', '--db', 'postgres://nobody@127.0.0.1:1/none']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(
      /^candor: cannot open or migrate the database at postgres:\/\/nobody@127\.0\.0\.1:1\/none/,
    );
  });

  it('applies migrations with db migrate and creates tokens', async () => {
    expect((await cli(['db', 'migrate'])).stdout).toMatch(/up to date/);
    const token = await cli(['token', 'create', '--scope', 'ingest', '--json']);
    expect(token.code).toBe(0);
    expect(JSON.parse(token.stdout)).toMatchObject({
      token: expect.stringMatching(/^candor_/),
      scopes: ['ingest'],
    });
    expect((await cli(['token', 'create', '--scope', 'root'])).code).toBe(2);
  });

  it('runs the demo on a fresh directory', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'candor-demo-test-'));
    try {
      const result = await runCliBinary(['demo'], { cwd: fresh });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('com.shop.CheckoutTest::appliesCoupon');
      expect(result.stdout).toMatch(
        /✗ hostile\/xxe\.xml:\d+:\d+: entity declarations are not allowed/,
      );
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});

describe('candor CLI on PostgreSQL', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('postgres');
  });
  afterAll(async () => {
    await store.drop();
  });

  it('ingests into the database CANDOR_DATABASE_URL names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-cli-pg-'));
    try {
      copyFileSync(edge('surefire-reruns.xml'), join(dir, 'r.xml'));
      const result = await runCliBinary(['ingest', 'r.xml', '--json'], {
        cwd: dir,
        env: { CANDOR_DATABASE_URL: store.url },
      });
      expect(result.code).toBe(0);
      const runs = await store.db.selectFrom('test_runs').selectAll().execute();
      expect(runs).toHaveLength(1);
      expect(runs[0]?.id).toBe(JSON.parse(result.stdout).run);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
