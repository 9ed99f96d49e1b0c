import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebAssets } from '../../../scripts/build-web.ts';
import { buildDashboard } from '../../app/dashboard/build-dashboard.ts';
import { readServerQuarantine } from '../../app/dashboard/read-server-quarantine.ts';
import { createApiToken } from '../../app/tokens/api-tokens.ts';
import { buildServer } from '../../server/build-server.ts';
import { runDemo } from '../../app/demo/run-demo.ts';
import { DashboardQuery, type Dashboard } from '../../contracts/dashboard.ts';
import { openStore, resolveStoreLocation } from '../../store/open-store.ts';
import { runCli } from '../main.ts';

/** Debian's Chromium (.ci/run installs it); without it the browser test says why it skipped. */
const chromiumPath = '/usr/bin/chromium';
const now = new Date('2026-11-20T12:00:00.000Z');

describe('candor report', () => {
  let dir: string;
  let assets: string;
  let db: string;
  let expected: Dashboard;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-report-'));
    // Built into a folder of its own: other tests rebuild dist/web while this one reads it.
    assets = join(dir, 'web');
    db = join(dir, 'demo.db');
    await Promise.all([buildWebAssets(assets), runDemo({ db, cwd: dir, now, runs: 14 })]);
    const store = await openStore(resolveStoreLocation({ db, env: {}, cwd: dir }));
    try {
      expected = await buildDashboard(store, { ...DashboardQuery.parse({}), now });
    } finally {
      await store.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const report = async (args: string[], env: Record<string, string> = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['report', '--db', db, ...args], {
      cwd: dir,
      env: { CANDOR_DASHBOARD_ASSETS: assets, ...env },
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      now: () => now,
    });
    return { code, stdout, stderr };
  };

  it('prints the Markdown summary: the four keys with trend, quality, test truth, releases', async () => {
    const { code, stdout } = await report(['--markdown']);
    expect(code).toBe(0);
    if (expected.keys.status !== 'ok' || expected.tests.status !== 'ok')
      throw new Error('the demo has deployments and tests');
    expect(stdout).toContain('### candor report: all services, production, last 30d');
    for (const heading of ['The four keys', 'Pipeline quality', 'Test truth', 'Recent releases'])
      expect(stdout).toContain(`#### ${heading}\n`);
    expect(stdout).toMatch(/\| deployment frequency \| \d+\.\d\d\/day \| /);
    expect(stdout).toContain(
      `${expected.keys.current.deployments} deployments in this window, ${expected.keys.previous.deployments} in the previous one.`,
    );
    for (const test of [...expected.tests.topFlaky, ...expected.tests.broken])
      expect(stdout).toContain(`\`${test.key}\``);
    expect(stdout).toContain('✗ over budget');
    expect(stdout).toContain('| change | 1 | 1 | 0 (0.00%) | 14 | 1 (7.14%) |');
  });

  it('writes each panel\'s "no data yet" hint for an empty database, to a file', async () => {
    const empty = join(dir, 'empty.db');
    const { code, stdout } = await report(['--db', empty, '--markdown', 'summary.md']);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const markdown = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(markdown.match(/No data yet: /g)).toHaveLength(4);
    expect(markdown).toContain('No data yet: no test results yet: candor ingest');
  });

  it.each([
    [['--markdown', '--window', '5d'], '--window'],
    [['--markdown', '--environment', ''], '--environment'],
    [[], '--html FILE, --markdown [FILE]'],
  ])('refuses %j as a usage error (exit 2) naming %s', async (args, named) => {
    const { code, stderr } = await report(args);
    expect(code).toBe(2);
    expect(stderr).toContain(named);
  });

  it('says to build the dashboard when --html finds no built page (exit 4)', async () => {
    const { code, stderr } = await report(['--html', 'r.html'], {
      CANDOR_DASHBOARD_ASSETS: join(dir, 'nowhere'),
    });
    expect(code).toBe(4);
    expect(stderr).toContain('npm run build');
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
  });

  describe.skipIf(!existsSync(chromiumPath))('the HTML file in Chromium', () => {
    it("requests nothing but itself and shows the demo's numbers and timelines", async () => {
      const { code } = await report(['--html', 'report.html', '--markdown', 'summary.md']);
      expect(code).toBe(0);
      const file = join(dir, 'report.html');
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
        ],
      });
      try {
        const context = await browser.newContext();
        const requested: string[] = [];
        // Every request is recorded; anything but the file itself is refused.
        await context.route('**/*', (route) => {
          const url = route.request().url();
          requested.push(url);
          return url.startsWith('file:') ? route.continue() : route.abort();
        });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(String(error)));
        await page.goto(pathToFileURL(file).href);
        await page.locator('#table-releases').waitFor();
        if (expected.keys.status !== 'ok' || expected.releases.status !== 'ok')
          throw new Error('the demo has deployments');
        const text = (await page.textContent('body')) ?? '';
        expect(text).toContain(
          `${expected.keys.current.deployments} deployments in this window, ${expected.keys.previous.deployments} in the previous one`,
        );
        expect(await page.locator('#table-releases tbody tr').count()).toBe(
          expected.releases.deployments.length,
        );
        expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);
        // A deployment's timeline opens from the inlined data; the definitions are in the page.
        const first = page.locator('#table-releases [data-deployment]').first();
        await first.click();
        await page.locator('#timeline li').first().waitFor();
        expect(await page.locator('#timeline li[data-type="deploy_started"]').count()).toBe(1);
        await page.locator('a[href="#changeFailureRate"]').click();
        expect(await page.locator('#definitions #changeFailureRate').count()).toBe(1);
        expect(errors).toEqual([]);
        expect(requested).toEqual([pathToFileURL(file).href]);
      } finally {
        await browser.close();
      }
    });
  });

  // A CI job without database credentials: the same files from a real server's API.
  describe('--server', () => {
    let server: string;
    let token: string;
    let ingestOnly: string;
    let close: () => Promise<void>;

    beforeAll(async () => {
      const store = await openStore(resolveStoreLocation({ db, env: {}, cwd: dir }));
      const app = await buildServer({
        store,
        bodyLimitBytes: 1 << 20,
        logger: false,
        now: () => now,
        dashboard: { isPublic: false, quarantine: () => readServerQuarantine(dir) },
      });
      token = (
        await createApiToken(store, { name: 'ci', scopes: ['read'], now: now.toISOString() })
      ).secret;
      ingestOnly = (
        await createApiToken(store, { name: 'up', scopes: ['ingest'], now: now.toISOString() })
      ).secret;
      server = await app.listen({ host: '127.0.0.1', port: 0 });
      close = async () => {
        await app.close();
        await store.close();
      };
    });
    afterAll(() => close());

    const viaServer = async (args: string[], env: Record<string, string>) => {
      let stderr = '';
      const code = await runCli(['report', '--server', server, ...args], {
        cwd: dir,
        env: { CANDOR_DASHBOARD_ASSETS: assets, ...env },
        stdout: { write: () => true },
        stderr: { write: (text: string) => (stderr += text) },
        now: () => now,
      });
      return { code, stderr };
    };

    it('writes the same HTML and Markdown files as from the local store', async () => {
      const flags = ['--window', '14d', '--html', 'server.html', '--markdown', 'server.md'];
      expect((await viaServer(flags, { CANDOR_TOKEN: token })).code).toBe(0);
      const local = await report([
        '--window',
        '14d',
        '--html',
        'local.html',
        '--markdown',
        'local.md',
      ]);
      expect(local.code).toBe(0);
      const read = (name: string) => readFileSync(join(dir, name), 'utf8');
      expect(read('server.md')).toBe(read('local.md'));
      expect(read('server.html')).toBe(read('local.html'));
      // The timelines of the listed deployments travelled too.
      expect(read('server.html')).toContain('"timelines":[{');
    });

    it.each([
      ['a token the server does not know', { CANDOR_TOKEN: 'candor_nope' }, /answered 401/],
      ['no token', {}, /CANDOR_TOKEN/],
      ['a token without the read scope', 'ingest-only', /answered 403/],
    ])('exits 4 with %s, writing nothing', async (_name, given, message) => {
      const env = given === 'ingest-only' ? { CANDOR_TOKEN: ingestOnly } : given;
      const { code, stderr } = await viaServer(['--markdown', 'refused.md'], env);
      expect(code).toBe(4);
      expect(stderr).toMatch(message);
      expect(existsSync(join(dir, 'refused.md'))).toBe(false);
    });

    it('refuses --server with --db as a usage error (exit 2)', async () => {
      expect((await viaServer(['--db', db, '--markdown'], { CANDOR_TOKEN: token })).code).toBe(2);
    });
  });
});
