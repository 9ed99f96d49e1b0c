// Bundles the dashboard (web/) into dist/web/: dashboard.js, dashboard.css and definitions.html
// (DEFINITIONS.md as HTML, one anchor per section and per metric). `npm run build` calls it;
// the browser tests call it before starting `candor serve`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/** Writes the dashboard's assets under `outdir` (default dist/web/) and returns their sizes. */
export async function buildWebAssets(outdir = `${root}dist/web`): Promise<Record<string, number>> {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: {
      dashboard: `${root}web/src/pages.ts`,
    },
    outdir,
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
  await build({
    entryPoints: { dashboard: `${root}web/src/pages/dashboard/dashboard.css` },
    outdir,
    bundle: true,
    minify: true,
    logLevel: 'warning',
  });
  writeFileSync(
    `${outdir}/definitions.html`,
    definitionsHtml(readFileSync(`${root}DEFINITIONS.md`, 'utf8')),
  );
  const sizes: Record<string, number> = {};
  for (const name of ['dashboard.js', 'dashboard.css', 'definitions.html'])
    sizes[name] = readFileSync(`${outdir}/${name}`).length;
  return sizes;
}

const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const inline = (text: string) =>
  escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/ /g, '-');

/** A plain HTML rendering of DEFINITIONS.md: headings get GitHub's anchors, metric rows their JSON field. */
function definitionsHtml(markdown: string): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  let inTable = false;
  const flush = () => {
    if (paragraph.length > 0) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
  };
  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,4}) (.*)$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1]?.length ?? 1;
      const text = heading[2] ?? '';
      out.push(`<h${level} id="${slug(text)}">${inline(text)}</h${level}>`);
    } else if (line.startsWith('|')) {
      flush();
      if (/^\|[\s-|]+\|$/.test(line)) continue;
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      const field = /\(`(\w+)`\)/.exec(cells[0] ?? '')?.[1];
      if (!inTable) out.push('<table>');
      inTable = true;
      out.push(
        `<tr${field ? ` id="${field}"` : ''}>${cells.map((cell) => `<td>${inline(cell)}</td>`).join('')}</tr>`,
      );
      continue;
    } else if (line.trim() === '') flush();
    else paragraph.push(line);
    if (inTable) {
      out.splice(out.length - 1, 0, '</table>');
      inTable = false;
    }
  }
  flush();
  if (inTable) out.push('</table>');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>candor: delivery metric definitions</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}td{border-bottom:1px solid #ccc;padding:.3rem;vertical-align:top}tr:target{outline:3px solid #E69F00}@media (prefers-color-scheme:dark){body{background:#111418;color:#eceff3}a{color:#56b4e9}}</style></head><body><p><a href="./">← dashboard</a></p>${out.join('\n')}</body></html>`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await buildWebAssets();
  console.log(`dist/web: ${JSON.stringify(sizes)}`);
}
