// Takes the README's screenshots of the dashboard (docs/screenshots/dashboard-{light,dark}.png):
// `candor demo` into a temporary database, `candor serve --public-dashboard` over it, Debian's
// Chromium through playwright-core. Run: node scripts/dashboard-screenshots.ts
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildWebAssets } from './build-web.ts';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin', 'candor.js');
const dir = mkdtempSync(join(tmpdir(), 'candor-screenshots-'));
const db = join(dir, 'demo.db');
await buildWebAssets();
execFileSync(process.execPath, [bin, 'demo', '--db', db], { cwd: dir, stdio: 'ignore' });
const server = spawn(
  process.execPath,
  [bin, 'serve', '--db', db, '--port', '0', '--public-dashboard', '--log-level', 'error'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let url: string | undefined;
for await (const chunk of server.stdout) {
  url = /candor listening on (http:\/\/\S+)/.exec(String(chunk))?.[1];
  if (url !== undefined) break;
}
if (url === undefined) throw new Error('candor serve did not start');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync'],
});
try {
  for (const scheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      colorScheme: scheme,
    });
    await page.goto(`${url}/?window=30d`);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(root, 'docs', 'screenshots', `dashboard-${scheme}.png`) });
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
