// Bundles the CLI into dist/candor.js for publishing (npm run build). tsc only type-checks.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// Commands load on demand (docs/adr/0040): with splitting, each dynamically imported module is a
// chunk under dist/chunks/ that is a real ES module. Without it esbuild wraps every lazily
// imported module (and its imports) in an init closure, which made the gate's hot readers slower.
rmSync(new URL('../dist/chunks', import.meta.url), { recursive: true, force: true });
const built = await build({
  entryPoints: {
    candor: new URL('../src/cli/main.ts', import.meta.url).pathname,
    // The parse worker of large reports (docs/adr/0046): dist/parse-worker.js, found by
    // readers/test-results/read-report-in-worker.ts beside the entry or one folder up from a chunk.
    'parse-worker': new URL('../src/readers/test-results/parse-worker.ts', import.meta.url)
      .pathname,
    // The dashboard's read worker of `candor serve` (docs/adr/0048): dist/dashboard-worker.js,
    // found by app/dashboard/dashboard-in-worker.ts beside the entry or one folder up from a chunk.
    'dashboard-worker': new URL('../src/app/dashboard/dashboard-worker.ts', import.meta.url)
      .pathname,
    // The worker thread that gathers a large gate condition's evidence (docs/adr/0045).
    'chunks/gate-worker': new URL('../src/app/gates/gate-worker.ts', import.meta.url).pathname,
  },
  outdir: new URL('../dist', import.meta.url).pathname,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node22.13',
  format: 'esm',
  sourcemap: true,
  // pg loads pg-native only when asked to; candor never asks.
  external: ['pg-native'],
  define: {
    CANDOR_VERSION_DEFINE: JSON.stringify(pkg.version),
    // Relative to the chunk of gather-in-worker.ts, which the check below keeps in dist/chunks/.
    CANDOR_GATE_WORKER_DEFINE: JSON.stringify('./gate-worker.js'),
  },
  metafile: true,
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: {
    js: "import { createRequire as candorCreateRequire } from 'node:module';\nconst require = candorCreateRequire(import.meta.url);",
  },
  logLevel: 'info',
});

// gather-in-worker.ts finds the worker's entry beside its own chunk: fail the build if it moved.
const launcher = Object.entries(built.metafile.outputs).find(
  ([, output]) => output.inputs['src/app/gates/gather-in-worker.ts'] !== undefined,
)?.[0];
if (launcher === undefined || !/^dist\/chunks\/[^/]+\.js$/.test(launcher))
  throw new Error(
    `gather-in-worker.ts is bundled into ${launcher}, not beside dist/chunks/gate-worker.js`,
  );

// The dashboard's page (web/) goes beside the bundle: dist/web/, served by `candor serve` at `/`.
const { buildWebAssets } = await import('./build-web.ts');
const sizes = await buildWebAssets();
// stderr: `npm pack --json` prints its listing on stdout.
console.error(`dist/web: ${JSON.stringify(sizes)}`);
