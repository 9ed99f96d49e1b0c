import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../app/tokens/api-tokens.ts';
import { openStore } from '../store/open-store.ts';
import { runCliInProcess } from '../testing/run-cli-in-process.ts';
import { startCandorServe, type RunningServer } from '../testing/start-candor-serve.ts';

/** Run i: `a` passes (1.5 s); `b` fails on even runs and passes on odd ones, on the same commit. */
function report(i: number): string {
  const b =
    i % 2 === 0
      ? '<testcase classname="c" name="b" file="b.test.ts" time="0.5"><failure message="boom"/></testcase>'
      : '<testcase classname="c" name="b" file="b.test.ts" time="0.5"/>';
  return `<testsuites><testsuite name="s" tests="2"><testcase classname="c" name="a" file="a.test.ts" time="1.5"/>${b}</testsuite></testsuites>`;
}

/** Times of the window edges differ between two runs of a command: compare without them. */
const withoutInstants = (text: string) =>
  text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?Z)?/g, '<instant>');

describe('candor <read> --server with only a token (a CI job without database credentials)', () => {
  let dir: string;
  let work: string;
  let db: string;
  let server: RunningServer;
  const tokens = { ci: '', ingestOnly: '' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-server-reads-'));
    db = join(dir, 'candor.db');
    const store = await openStore({ kind: 'sqlite', path: db });
    const now = new Date().toISOString();
    tokens.ci = (
      await createApiToken(store, { name: 'ci', scopes: ['ingest', 'read'], now })
    ).secret;
    tokens.ingestOnly = (
      await createApiToken(store, { name: 'ingest', scopes: ['ingest'], now })
    ).secret;
    await store.close();
    server = await startCandorServe(db);
    // The job's checkout: its reports, CODEOWNERS and quarantine file; no database.
    work = join(dir, 'checkout');
    mkdirSync(join(work, 'reports'), { recursive: true });
    writeFileSync(join(work, 'CODEOWNERS'), 'b.test.ts @team-b\n');
    for (let i = 0; i < 6; i++) {
      writeFileSync(join(work, 'reports', `r${i}.xml`), report(i));
      const query = new URLSearchParams({
        run: `r${i}`,
        repo: 'acme/shop',
        branch: 'main',
        commit: `c${Math.floor(i / 2)}`,
        startedAt: new Date(Date.now() - (6 - i) * 3_600_000).toISOString(),
        path: `reports/r${i}.xml`,
      });
      const response = await fetch(`${server.url}/api/v1/test-reports?${query.toString()}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.ci}`, 'content-type': 'application/xml' },
        body: report(i),
      });
      expect(response.status).toBe(201);
    }
  }, 120_000);
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `token` null: no CANDOR_TOKEN at all. */
  const viaServer = (args: string[], token: string | null = tokens.ci) =>
    runCliInProcess([...args, '--server', server.url], {
      cwd: work,
      env: token === null ? {} : { CANDOR_TOKEN: token },
    });
  const local = (args: string[]) => runCliInProcess([...args, '--db', db], { cwd: work });

  it.each([
    [['split', '--shards', '2', '--json', 'a.test.ts', 'b.test.ts', 'new.test.ts']],
    [['split', '--shards', '2', '--index', '1', 'a.test.ts', 'b.test.ts', 'new.test.ts']],
    [['flaky', 'budget', '--min-executions', '1', '--max', '1%']],
    [['flaky', 'budget', '--min-executions', '1', '--json']],
    [['flaky', '--min-executions', '1']],
    [['flaky', '--min-executions', '1', '--json']],
    [['flaky', '--min-executions', '1', '--markdown']],
    [['quarantine', 'suggest', '--min-executions', '1', '--json']],
    [['tests', 'show', 'b.test.ts::c::b', '--json']],
    [['tests', 'show', 'nope']],
    [['dora', '--json']],
    [['dora', '--by', 'week', '--json']],
    [['dora', '--by', 'month']],
    [['runs', '--json']],
    [['runs', '--limit', '2', '--repo', 'acme/shop']],
  ])('prints what `candor %j --db` prints, with the same exit code', async (args) => {
    const [remote, here] = await Promise.all([viaServer(args), local(args)]);
    expect(remote.stderr).toBe(here.stderr);
    expect(withoutInstants(remote.stdout)).toBe(withoutInstants(here.stdout));
    expect(remote.code).toBe(here.code);
    expect(remote.stdout.length + remote.stderr.length).toBeGreaterThan(0);
  });

  it('gives the flaky budget exit 1 over budget and owners from the checkout', async () => {
    const budget = await viaServer(['flaky', 'budget', '--min-executions', '1', '--json']);
    expect(budget.code).toBe(1);
    expect(JSON.parse(budget.stdout)).toMatchObject({
      overBudget: true,
      byOwner: expect.arrayContaining([
        expect.objectContaining({ name: '@team-b', flakyExecutions: 3 }),
      ]),
    });
  });

  it('judges a stored run as `candor verdict <its report>` judges the file', async () => {
    const remote = await viaServer(['verdict', '--run', 'r0', '--json']);
    const here = await runCliInProcess(['verdict', 'reports/r0.xml', '--json'], { cwd: work });
    expect(remote.code).toBe(1);
    expect(remote.stdout).toBe(here.stdout);
    expect(JSON.parse(remote.stdout)).toMatchObject({
      verdict: 'fail',
      blocking: [{ key: 'b.test.ts::c::b' }],
      reports: [{ path: 'reports/r0.xml', format: 'junit', tests: 2 }],
    });
    const byCommit = await viaServer(['verdict', '--commit', 'c0', '--repo', 'acme/shop']);
    expect(byCommit.code).toBe(0);
    expect(byCommit.stdout).toBe(
      (await runCliInProcess(['verdict', 'reports/r1.xml'], { cwd: work })).stdout,
    );
  });

  it('forgives a failure the checkout quarantines, and writes suggestions into its file', async () => {
    const suggest = await viaServer(['quarantine', 'suggest', '--min-executions', '1', '--write']);
    expect(suggest.code).toBe(0);
    expect(suggest.stdout).toContain('key: b.test.ts::c::b');
    expect(suggest.stdout).toContain('owner: "@team-b"');
    const verdict = await viaServer(['verdict', '--run', 'r0']);
    expect(verdict.code).toBe(0);
    expect(verdict.stdout).toContain('b.test.ts::c::b');
    // Nothing is new the second time.
    const again = await viaServer(['quarantine', 'suggest', '--min-executions', '1', '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ suggestions: [], written: false });
    rmSync(join(work, '.candor'), { recursive: true, force: true });
  });

  it('opens no database of its own', () => {
    expect(existsSync(join(work, '.candor', 'candor.db'))).toBe(false);
  });

  it.each([
    ['without CANDOR_TOKEN', null, /--server needs a token: set CANDOR_TOKEN/],
    ['with an unknown token', 'candor_nope', /answered 401: the token is unknown or revoked/],
    ['with an ingest-only token', 'ingest-only', /answered 403: the token lacks the "read" scope/],
  ])('exits 4 %s', async (_case, token, message) => {
    const result = await viaServer(
      ['flaky', 'budget'],
      token === 'ingest-only' ? tokens.ingestOnly : token,
    );
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('checks flags before it asks the server, and refuses --server with --db', async () => {
    const bad = await viaServer(['flaky', 'budget', '--window', '3x']);
    const here = await local(['flaky', 'budget', '--window', '3x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(here.stderr);
    const both = await runCliInProcess(
      ['split', '--shards', '2', '--json', 'a.test.ts', '--server', server.url, '--db', db],
      { cwd: work, env: { CANDOR_TOKEN: tokens.ci } },
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--server <url>.* cannot be used with option '--db/);
    const files = await viaServer(['verdict', 'reports/r0.xml']);
    expect(files.code).toBe(2);
    expect(files.stderr).toContain('with --server, candor verdict judges a stored run');
  });

  it('exits 4 naming the server when nothing listens there', async () => {
    const result = await runCliInProcess(
      ['split', '--shards', '2', '--json', 'a.test.ts', '--server', 'http://127.0.0.1:1'],
      { cwd: work, env: { CANDOR_TOKEN: tokens.ci } },
    );
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('cannot reach the candor server at http://127.0.0.1:1');
  });
});
