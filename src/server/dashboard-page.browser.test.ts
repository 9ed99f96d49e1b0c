import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebAssets } from '../../scripts/build-web.ts';
import type { Dashboard, FourKeys } from '../contracts/dashboard.ts';
import { runCliBinary } from '../testing/run-cli-binary.ts';
import { startCandorServe, type RunningServer } from '../testing/start-candor-serve.ts';

/** Debian's Chromium (.ci/run installs it); without it this file says why it skipped. */
const chromiumPath = '/usr/bin/chromium';
const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The real page in real Chromium, served by the real `candor serve` over `candor demo`'s data
// (issue 14, "Done when"). One browser for the whole file.
describe.skipIf(!existsSync(chromiumPath))('the dashboard page in Chromium', () => {
  let dir: string;
  let browser: Browser;
  let demo: RunningServer;
  let guarded: RunningServer;
  let empty: RunningServer;
  // The demo's week plus a previous week of `shop` and a second service `cart` (production and
  // staging), so the trend arrows and the service and environment filters have numbers to show.
  let trend: RunningServer;
  // The demo's data served from a directory with a `.candor/quarantine.yml`.
  let quarantined: RunningServer;
  const quarantineEntry = {
    key: 'com.shop.CheckoutTest::appliesCoupon',
    owner: '@checkout',
    reason: 'coupon cache race',
    expires: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-dashboard-'));
    const demoDb = join(dir, 'demo.db');
    const [, made] = await Promise.all([
      buildWebAssets(),
      runCliBinary(['demo', '--db', demoDb], { cwd: dir }),
    ]);
    expect(made.code).toBe(0);
    const trendDb = join(dir, 'trend.db');
    copyFileSync(demoDb, trendDb);
    writeFileSync(join(dir, 'earlier.jsonl'), earlierEvents(Date.now()));
    const imported = await runCliBinary(['events', 'import', 'earlier.jsonl', '--db', trendDb], {
      cwd: dir,
    });
    expect(imported.code).toBe(0);
    const served = join(dir, 'served');
    mkdirSync(join(served, '.candor'), { recursive: true });
    const created = new Date().toISOString().slice(0, 10);
    writeFileSync(
      join(served, '.candor', 'quarantine.yml'),
      `version: 1\ntests:\n  - key: ${quarantineEntry.key}\n    owner: '${quarantineEntry.owner}'\n    reason: ${quarantineEntry.reason}\n    created: ${created}\n    expires: ${quarantineEntry.expires}\n    mode: run\n`,
    );
    [demo, guarded, empty, trend, quarantined, browser] = await Promise.all([
      startCandorServe(demoDb, ['--public-dashboard']),
      startCandorServe(demoDb),
      startCandorServe(join(dir, 'empty.db'), ['--public-dashboard']),
      startCandorServe(trendDb, ['--public-dashboard']),
      startCandorServe(demoDb, ['--public-dashboard'], { cwd: served }),
      chromium.launch({ executablePath: chromiumPath, args: chromiumFlags }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([
      browser?.close(),
      demo?.stop(),
      guarded?.stop(),
      empty?.stop(),
      trend?.stop(),
      quarantined?.stop(),
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (server: RunningServer, query: string): Promise<Dashboard> => {
    const response = await fetch(`${server.url}/api/v1/dashboard${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Dashboard;
  };
  const open = async (url: string): Promise<Page> => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
    return page;
  };
  const delivery = async (server: RunningServer, query: string) => {
    const data = await api(server, query);
    if (data.keys.status !== 'ok' || data.delivery.status !== 'ok')
      throw new Error(`${server.url} has delivery data for ${query}`);
    return { keys: data.keys, delivery: data.delivery };
  };
  /** What the header's cards say, per key. */
  const keyCards = async (page: Page) =>
    Object.fromEntries(
      await Promise.all(
        (await page.locator('#panel-keys .key').all()).map(async (card) => [
          (await card.getAttribute('data-key')) ?? '',
          {
            value: (await card.locator('.key-value').textContent()) ?? '',
            trend: (await card.locator('.trend').textContent()) ?? '',
            href: (await card.locator('a').getAttribute('href')) ?? '',
          },
        ]),
      ),
    ) as Record<string, { value: string; trend: string; href: string }>;
  const deploymentsLine = (data: Dashboard) => {
    if (data.keys.status !== 'ok') throw new Error('the demo has deployments');
    return `${String(data.keys.current.deployments)} deployments in this window, ${String(data.keys.previous.deployments)} in the previous one`;
  };

  it("renders every panel with the demo's numbers", async () => {
    const data = await api(demo, '?window=30d');
    const page = await open(`${demo.url}/?window=30d`);
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain(deploymentsLine(data));
    if (data.tests.status !== 'ok' || data.releases.status !== 'ok')
      throw new Error('the demo has tests and releases');
    for (const test of [...data.tests.topFlaky, ...data.tests.broken])
      expect(text).toContain(test.key);
    expect(await page.locator('#table-releases tbody tr').count()).toBe(
      data.releases.deployments.length,
    );
    expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);
    if (data.quality.status !== 'ok') throw new Error('the demo has gate results');
    // The demo's checklists: change passed 14 deployments (one failed) and blocked its last commit.
    const change = data.quality.gates.find((g) => g.checklist === 'change');
    expect(change).toMatchObject({ blocked: 1, passed: 14, passedThenFailed: 1 });
    const rows = await page.locator('#table-gates tbody tr').allTextContents();
    expect(rows).toHaveLength(data.quality.gates.length);
    expect(rows.find((row) => row.startsWith('change'))).toBe('change110 (0.0%)141 (7.1%)');
    await page.close();
  });

  it('draws each panel as its own request answers, and a failed one on its panel only', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    let releaseTests: () => void = () => {};
    const testsHeld = new Promise<void>((resolve) => (releaseTests = resolve));
    await page.route('**/api/v1/dashboard/tests?*', async (route) => {
      await testsHeld;
      await route.continue();
    });
    await page.route('**/api/v1/dashboard/releases?*', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'database', message: 'the store is down' } }),
      }),
    );
    await page.goto(`${demo.url}/`);
    await page.locator('#panel-keys[data-status="ok"]').waitFor();
    expect(await page.locator('#panel-tests').getAttribute('data-status')).toBe('loading');
    await page.locator('#panel-releases[data-status="error"]').waitFor();
    expect(await page.locator('#panel-releases').textContent()).toContain('the store is down');
    releaseTests();
    await page.locator('#panel-tests[data-status="ok"]').waitFor();
    expect(requested.filter((path) => path.startsWith('/api/')).sort()).toEqual([
      '/api/v1/dashboard/delivery',
      '/api/v1/dashboard/filters',
      '/api/v1/dashboard/releases',
      '/api/v1/dashboard/tests',
    ]);
    await page.close();
  });

  it('starts its part requests from the HTML, before its script runs, and makes each once', async () => {
    const page = await open(`${demo.url}/?window=14d`);
    await page.locator('#panel-tests[data-status="ok"]').waitFor();
    const timing = JSON.parse(
      await page.evaluate(`JSON.stringify({
        shell: performance.getEntriesByName('candor:dashboard-shell')[0]?.startTime ?? null,
        parts: performance.getEntriesByType('resource')
          .filter((e) => new URL(e.name).pathname.startsWith('/api/'))
          .map((e) => ({ path: new URL(e.name).pathname + new URL(e.name).search, start: e.startTime })),
      })`),
    ) as { shell: number | null; parts: { path: string; start: number }[] };
    expect(timing.parts.map((part) => part.path).sort()).toEqual(
      ['delivery', 'filters', 'releases', 'tests'].map((p) => `/api/v1/dashboard/${p}?window=14d`),
    );
    if (timing.shell === null) throw new Error('the page marks its shell');
    for (const part of timing.parts) expect(part.start).toBeLessThan(timing.shell);
    // A filter changed afterwards is requested again, with the new filters.
    await page.selectOption('#filter-window', '7d');
    await page.waitForURL(/window=7d/);
    // The panels may still show their previous data: wait until the four new parts are in.
    const newParts = `performance.getEntriesByType('resource').map((e) => new URL(e.name).search).filter((q) => q === '?window=7d')`;
    await page.waitForFunction(`${newParts}.length >= 4`);
    const after = JSON.parse(await page.evaluate(`JSON.stringify(${newParts})`)) as string[];
    expect(after).toHaveLength(4);
    await page.close();
  });

  it("sends the browser session's token with the early requests", async () => {
    const created = await runCliBinary(
      ['token', 'create', '--scope', 'read', '--json', '--db', join(dir, 'demo.db')],
      { cwd: dir },
    );
    expect(created.code).toBe(0);
    const { token } = JSON.parse(created.stdout) as { token: string };
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 401) refused.push(response.url());
    });
    await page.addInitScript(`sessionStorage.setItem('candor-token', ${JSON.stringify(token)})`);
    await page.goto(`${guarded.url}/`);
    await page.locator('#panel-keys[data-status="ok"]').waitFor();
    await page.locator('#panel-tests[data-status="ok"]').waitFor();
    expect(refused).toEqual([]);
    expect(await page.locator('#token').count()).toBe(0);
    await page.close();
  });

  it('changes the URL and the numbers when a filter changes', async () => {
    const page = await open(`${demo.url}/?window=30d`);
    await page.selectOption('#filter-window', '7d');
    await page.waitForURL(/window=7d/);
    await page.waitForLoadState('networkidle');
    const week = await api(demo, '?window=7d');
    await page.getByText(deploymentsLine(week)).waitFor();
    await page.close();
  });

  it("opens a deployment's timeline from the ledger", async () => {
    const page = await open(`${demo.url}/`);
    const first = page.locator('#table-releases [data-deployment]').first();
    const deployment = await first.getAttribute('data-deployment');
    await first.click();
    await page.locator('#timeline li').first().waitFor();
    expect(await page.locator('#title-timeline').textContent()).toBe(
      `Timeline of ${deployment ?? ''}`,
    );
    const types = await Promise.all(
      (await page.locator('#timeline li').all()).map((item) => item.getAttribute('data-type')),
    );
    expect(types).toEqual(expect.arrayContaining(['deploy_started']));
    await page.close();
  });

  it('shows how to send data on an empty database', async () => {
    const data = await api(empty, '');
    if (data.keys.status !== 'no-data') throw new Error('an empty database has no keys');
    const page = await open(`${empty.url}/`);
    expect(await page.textContent('body')).toContain(data.keys.hint);
    await page.close();
  });

  it('refuses a request without a token and asks for one', async () => {
    expect((await fetch(`${guarded.url}/api/v1/dashboard`)).status).toBe(401);
    const page = await open(`${guarded.url}/`);
    await page.locator('#token').waitFor();
    expect(await page.locator('#table-releases').count()).toBe(0);
    await page.close();
  });

  it('shows each key against the previous window: its arrow, its delta and its definition', async () => {
    const { keys } = await delivery(trend, '?window=7d');
    expect(keys.previous.deployments).toBeGreaterThan(0);
    const page = await open(`${trend.url}/?window=7d`);
    await page.locator('#panel-keys[data-status="ok"]').waitFor();
    const cards = await keyCards(page);
    const expected = (now: number | null, before: number | null, format: (n: number) => string) => {
      if (now === null || before === null) throw new Error('both windows have this key');
      const delta = now - before;
      const arrow = delta > 0 ? '↑' : delta < 0 ? '↓' : '→';
      return `${arrow} ${delta >= 0 ? '+' : '−'}${format(Math.abs(delta))} vs previous 7d`;
    };
    expect(cards['deploymentFrequencyPerDay']).toEqual({
      value: perDay(keys.current.deploymentFrequencyPerDay),
      trend: expected(
        keys.current.deploymentFrequencyPerDay,
        keys.previous.deploymentFrequencyPerDay,
        perDay,
      ),
      href: 'definitions.html#deploymentFrequencyPerDay',
    });
    expect(cards['leadTimeSeconds']).toEqual({
      value: duration(keys.current.leadTimeSeconds.median),
      trend: expected(
        keys.current.leadTimeSeconds.median,
        keys.previous.leadTimeSeconds.median,
        duration,
      ),
      href: 'definitions.html#leadTimeSeconds',
    });
    // The earlier week's changes waited 5 hours; the demo's about 2: lead time went down.
    expect(cards['leadTimeSeconds']?.trend).toMatch(/^↓ −/);
    // The link opens the definition's row.
    await page.locator('[data-key="leadTimeSeconds"] a').click();
    await page.waitForURL(/definitions\.html#leadTimeSeconds$/);
    expect(await page.locator('#leadTimeSeconds').count()).toBe(1);
    await page.close();
  });

  it("shows the API's delivery figures and stage latency in the delivery tables", async () => {
    const { delivery: data } = await delivery(demo, '?window=30d');
    const page = await open(`${demo.url}/?window=30d`);
    const rows = async (id: string) =>
      Promise.all(
        (await page.locator(`#table-${id} tbody tr`).all()).map((row) =>
          row.locator('td').allTextContents(),
        ),
      );
    expect(await rows('per-day')).toEqual(
      data.deploymentsPerDay.map((d) => [d.day, String(d.deployments)]),
    );
    // The demo deploys each of its 14 runs once.
    expect(data.deploymentsPerDay.reduce((sum, d) => sum + d.deployments, 0)).toBe(14);
    const weekly = await rows('weekly');
    expect(weekly).toEqual(
      data.weekly.map((w) => [
        w.from.slice(0, 10),
        String(w.deployments),
        duration(w.leadTimeSeconds.median),
        duration(w.leadTimeSeconds.p90),
        percent(w.changeFailureRate),
        duration(w.recoveryTimeSeconds.median),
      ]),
    );
    // The demo's one rolled-back deployment: some week has a failure rate and a recovery time.
    expect(weekly.some((row) => row[4] !== '—' && row[4] !== '0.0%' && row[5] !== '—')).toBe(true);
    expect(data.stageLatency.length).toBeGreaterThan(0);
    expect(await rows('stages')).toEqual(
      data.stageLatency.map((s) => [
        s.from,
        s.to,
        duration(s.p50),
        duration(s.p90),
        String(s.count),
      ]),
    );
    await page.close();
  });

  it("lists the server's quarantined tests with their expiry", async () => {
    const page = await open(`${quarantined.url}/`);
    await page.locator('#panel-tests[data-status="ok"]').waitFor();
    expect(await page.locator('#table-quarantined tbody tr td').allTextContents()).toEqual([
      quarantineEntry.key,
      quarantineEntry.owner,
      quarantineEntry.reason,
      quarantineEntry.expires,
      'run',
    ]);
    // The demo's own server has no such file and says so.
    const plain = await open(`${demo.url}/`);
    await plain.locator('#panel-tests[data-status="ok"]').waitFor();
    expect(await plain.locator('#table-quarantined').count()).toBe(0);
    expect(await plain.locator('#panel-tests').textContent()).toContain('Nothing quarantined');
    await Promise.all([page.close(), plain.close()]);
  });

  it('changes the URL and the numbers when the service or the environment changes', async () => {
    const all = await delivery(trend, '?window=7d');
    const cart = await delivery(trend, '?window=7d&service=cart');
    const staging = await delivery(trend, '?window=7d&service=cart&env=staging');
    const counts = [all, cart, staging].map((d) => d.keys.current.deployments);
    expect(new Set(counts).size).toBe(3);
    const line = (keys: { current: FourKeys; previous: FourKeys }) =>
      `${String(keys.current.deployments)} deployments in this window, ${String(keys.previous.deployments)} in the previous one`;
    const page = await open(`${trend.url}/?window=7d`);
    await page.getByText(line(all.keys)).waitFor();
    await page.selectOption('#filter-service', 'cart');
    await page.waitForURL(/[?&]service=cart(&|$)/);
    await page.getByText(line(cart.keys)).waitFor();
    expect((await keyCards(page))['deploymentFrequencyPerDay']?.value).toBe(
      perDay(cart.keys.current.deploymentFrequencyPerDay),
    );
    await page.fill('#filter-env', 'staging');
    await page.press('#filter-env', 'Enter');
    await page.waitForURL(/[?&]env=staging(&|$)/);
    await page.getByText(line(staging.keys)).waitFor();
    expect(new URL(page.url()).searchParams.get('service')).toBe('cart');
    await page.close();
  });

  it('makes every request of its first load to its own server', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${demo.url}/?window=14d`);
    await page.locator('#panel-tests[data-status="ok"]').waitFor();
    await page.waitForLoadState('networkidle');
    const origin = new URL(demo.url).origin;
    expect(requested.length).toBeGreaterThanOrEqual(7);
    expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    await page.close();
  });

  it('loads at most 300 KB compressed the first time', async () => {
    const page = await browser.newPage();
    const loaded: Promise<Buffer>[] = [];
    page.on('response', (response) => {
      if (!new URL(response.url()).pathname.startsWith('/api/')) loaded.push(response.body());
    });
    await page.goto(`${demo.url}/`);
    await page.locator('#panel-tests[data-status="ok"]').waitFor();
    await page.waitForLoadState('networkidle');
    const bodies = await Promise.all(loaded);
    // The HTML, the script and the style sheet (no font, no image).
    expect(bodies).toHaveLength(3);
    const compressed = bodies.reduce((sum, body) => sum + gzipSync(body).length, 0);
    expect(compressed).toBeLessThanOrEqual(300 * 1024);
    await page.close();
  });

  it('lets a keyboard reach and work the filters and a release timeline', async () => {
    const page = await open(`${demo.url}/?window=30d`);
    await page.locator('#panel-releases[data-status="ok"]').waitFor();
    const focused = () =>
      page.evaluate<string | null>(
        `(() => { const e = document.activeElement; return e ? (e.id || e.getAttribute('data-deployment') || e.tagName) : null; })()`,
      );
    const tabTo = async (target: string, limit = 80) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press('Tab');
        if ((await focused()) === target) return;
      }
      throw new Error(`Tab never reached ${target}`);
    };
    await tabTo('filter-service');
    await tabTo('filter-env');
    await tabTo('filter-window');
    // A closed select takes the arrow keys; the change reloads with the new window.
    await page.keyboard.press('ArrowUp');
    await page.waitForURL(/window=14d/);
    await page.locator('#panel-releases[data-status="ok"]').waitFor();
    const first = page.locator('#table-releases [data-deployment]').first();
    const deployment = (await first.getAttribute('data-deployment')) ?? '';
    await tabTo(deployment, 200);
    await page.keyboard.press('Enter');
    await page.locator('#timeline li').first().waitFor();
    expect(await page.locator('#title-timeline').textContent()).toBe(`Timeline of ${deployment}`);
    // The timeline takes the focus; Space on the button opens it again.
    expect(await focused()).toBe('title-timeline');
    await first.focus();
    await page.keyboard.press(' ');
    await page.locator('#timeline li').first().waitFor();
    expect(await focused()).toBe('title-timeline');
    await page.close();
  });

  it('fits a phone screen: no sideways scrolling and every panel shown', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(`${demo.url}/`);
    await page.locator('#panel-tests[data-status="ok"]').waitFor();
    await page.locator('#panel-keys[data-status="ok"]').waitFor();
    await page.waitForLoadState('networkidle');
    const widths = JSON.parse(
      await page.evaluate(
        `JSON.stringify({ scroll: document.documentElement.scrollWidth, inner: innerWidth })`,
      ),
    ) as { scroll: number; inner: number };
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
    for (const id of ['keys', 'delivery', 'quality', 'tests', 'releases'])
      expect(await page.locator(`#panel-${id}`).isVisible()).toBe(true);
    await page.close();
  });
});

/** The page's formats (`render-dashboard.ts`), written again to check it against the API. */
function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}
function perDay(value: number): string {
  return `${value.toFixed(2)}/day`;
}
function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86_400).toFixed(1)}d`;
}

/**
 * JSON lines for `candor events import`: three `shop` deployments in the week before the demo's
 * (8 to 12 days before `now`, each change 5 hours from commit to deploy), and service `cart`
 * in the demo's week: two to production, one to staging.
 */
function earlierEvents(now: number): string {
  const at = (ms: number) => new Date(ms).toISOString();
  const lines: Record<string, unknown>[] = [];
  const deploy = (service: string, environment: string, start: number, n: string) => {
    const common = { source: 'earlier', service, commit: `e${n}` };
    const deployment = { ...common, environment, deployment: `${service}-${n}` };
    lines.push(
      { ...common, type: 'commit_created', id: `c${n}`, occurredAt: at(start - 5 * 3_600_000) },
      { ...deployment, type: 'deploy_started', id: `s${n}`, occurredAt: at(start - 600_000) },
      {
        ...deployment,
        type: 'deploy_finished',
        id: `f${n}`,
        occurredAt: at(start),
        result: 'success',
      },
    );
  };
  const day = 86_400_000;
  for (const n of [8, 10, 12]) deploy('shop', 'production', now - n * day, `shop${String(n)}`);
  deploy('cart', 'production', now - 2 * day, 'cart2');
  deploy('cart', 'production', now - 3 * day, 'cart3');
  deploy('cart', 'staging', now - 1 * day, 'cart1');
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}
