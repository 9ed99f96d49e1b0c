import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DashboardQuery } from '../contracts/dashboard.ts';
import {
  dashboardFilterNames,
  dashboardPartNames,
  dashboardTokenKey,
} from '../contracts/dashboard-page.ts';
import { queryParameters } from '../contracts/query-parameters.ts';

/** A built asset of the dashboard, kept in memory with its gzip form. */
type Asset = { type: string; body: Buffer; gzip: Buffer };

/**
 * Where the dashboard's built assets are: dist/web/ beside the bundled CLI (dist/candor.js), or
 * of the checkout (`npm run build`, or `node scripts/build-web.ts`). Undefined when not built.
 */
export function findDashboardAssets(): string | undefined {
  for (const relative of ['./web/', '../../dist/web/']) {
    const directory = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(`${directory}dashboard.js`)) return directory;
  }
  return undefined;
}

/**
 * The dashboard's built assets as text (`candor report --html` inlines them): the script, the
 * style sheet, and the body of definitions.html. Undefined when `directory` (default: where
 * `findDashboardAssets` finds them) holds no built dashboard. Throws what reading a file throws.
 */
export function readDashboardAssets(
  directory = findDashboardAssets(),
): { js: string; css: string; definitions: string } | undefined {
  if (directory === undefined || !existsSync(join(directory, 'dashboard.js'))) return undefined;
  const read = (name: string) => readFileSync(join(directory, name), 'utf8');
  const page = read('definitions.html');
  const body = /<body>([\s\S]*)<\/body>/.exec(page)?.[1] ?? '';
  return {
    js: read('dashboard.js'),
    css: read('dashboard.css'),
    // Its link back to the served dashboard has no meaning inside the report.
    definitions: body.replace('<p><a href="./">← dashboard</a></p>', ''),
  };
}

/**
 * Starts the page's four part requests as soon as the HTML is parsed, while the script and style
 * still load (about 100 to 200 ms earlier than the script could; docs/adr/0048). The script
 * (`web/src/pages/dashboard/render-dashboard.ts` `takeEarlyRequests`) uses them when the filters
 * are still those they were made with, else requests again. Nothing is requested without a token
 * on a dashboard that needs one: the script then shows its login form. The parts, the filters
 * and the token's key are the script's own (`contracts/dashboard-page.ts`).
 */
const earlyRequests = `(function () {
  try {
    var url = new URLSearchParams(location.search), query = new URLSearchParams();
    ${JSON.stringify(dashboardFilterNames)}.forEach(function (name) { var value = url.get(name); if (value) query.set(name, value); });
    var open = document.querySelector('meta[name="candor-public"]').getAttribute('content') === 'true';
    var token = sessionStorage.getItem(${JSON.stringify(dashboardTokenKey)});
    if (!open && !token) return;
    var headers = { accept: 'application/json' };
    if (!open) headers.authorization = 'Bearer ' + token;
    var text = query.toString(), parts = {};
    ${JSON.stringify(dashboardPartNames)}.forEach(function (part) {
      parts[part] = fetch('/api/v1/dashboard/' + part + '?' + text, { headers: headers });
      parts[part].catch(function () {});
    });
    window.candorEarly = { query: text, parts: parts };
  } catch (error) {}
})();`;

/**
 * The page's HTML: the assets linked (served) or inlined (`candor report --html`: script, style,
 * data and the definitions in the page, and a content security policy that refuses any request,
 * so the file works offline and leaks nothing).
 */
export function dashboardHtml(options: {
  isPublic: boolean;
  inline?: { js: string; css: string; data: unknown; definitions?: string } | undefined;
}): string {
  const head = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="candor-public" content="${String(options.isPublic)}">
<title>candor dashboard</title>`;
  if (options.inline === undefined)
    return `${head}
<script>${earlyRequests}</script>
<link rel="stylesheet" href="assets/dashboard.css">
</head><body data-page="dashboard"><div id="app"><noscript>The dashboard needs JavaScript; the same data is at /api/v1/dashboard.</noscript></div>
<script src="assets/dashboard.js" defer></script></body></html>
`;
  // `</` inside inlined text would end the element early.
  const safe = (text: string) => text.replaceAll('</', '<\\/');
  const definitions =
    options.inline.definitions === undefined
      ? ''
      : `<section id="definitions" class="definitions" aria-label="Definitions">${options.inline.definitions}</section>\n`;
  return `${head}
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<style>${options.inline.css.replaceAll('</', '<\\/')}</style>
</head><body data-page="dashboard"><div id="app"></div>
${definitions}<script type="application/json" id="candor-data">${safe(JSON.stringify(options.inline.data))}</script>
<script>${safe(options.inline.js)}</script></body></html>
`;
}

/**
 * Serves the page at `/` and its assets under `/assets/` (no token: the page asks for one, and
 * the data it reads is behind one unless `isPublic`), gzip when the client accepts it. Without
 * built assets `/` answers 503 saying how to build them.
 */
export async function serveDashboardPage(
  app: FastifyInstance,
  options: { isPublic: boolean },
): Promise<void> {
  let assets: Map<string, Asset> | undefined;
  const load = (): Map<string, Asset> | undefined => {
    if (assets !== undefined) return assets;
    const directory = findDashboardAssets();
    if (directory === undefined) return undefined;
    const make = (type: string, body: Buffer): Asset => ({ type, body, gzip: gzipSync(body) });
    assets = new Map([
      ['/', make('text/html; charset=utf-8', Buffer.from(dashboardHtml(options)))],
      [
        'dashboard.js',
        make('text/javascript; charset=utf-8', readFileSync(`${directory}dashboard.js`)),
      ],
      ['dashboard.css', make('text/css; charset=utf-8', readFileSync(`${directory}dashboard.css`))],
      [
        'definitions.html',
        make('text/html; charset=utf-8', readFileSync(`${directory}definitions.html`)),
      ],
    ]);
    return assets;
  };
  const send = (request: FastifyRequest, reply: FastifyReply, name: string) => {
    const asset = load()?.get(name);
    if (asset === undefined)
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(
          'the dashboard is not built: run `npm run build` (or `node scripts/build-web.ts`) in the checkout',
        );
    void reply
      .type(asset.type)
      .header('cache-control', 'no-cache')
      .header('vary', 'accept-encoding');
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    if (gzip) void reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? asset.gzip : asset.body);
  };
  app.get('/', { config: { queryParameters: queryParameters(DashboardQuery) } }, (request, reply) =>
    send(request, reply, '/'),
  );
  app.get('/definitions.html', (request, reply) => send(request, reply, 'definitions.html'));
  app.get<{ Params: { name: string } }>('/assets/:name', (request, reply) =>
    send(request, reply, request.params.name),
  );
}
