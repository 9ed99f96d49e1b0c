// Bench part (q): the issue's `change` checklist at its sizes — a 50 MB SARIF against a 50 MB
// baseline, a ~100 MB LCOV, a 20,000-component CycloneDX SBOM, a 5,000-vulnerability Trivy
// report — run end to end by the real binary in a child under its own flags, with peak RSS and
// CPU time, next to a baseline child that reads the same files whole (readFileSync, JSON.parse,
// split) under the same flags, and next to the binary's start-up alone (`candor --version`).
import { execFile, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sarif, sbom, trivy, writeLazily } from './evidence.ts';
import { writeLcov } from './gate-coverage.ts';

type Line = (label: string, value: string) => void;
type Format = (n: number, digits?: number) => string;
export type Measured = {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  code: number;
  stdout: string;
  stderr: string;
};

export const bin = join(import.meta.dirname, '..', 'bin', 'candor.js');
const hook = join(import.meta.dirname, 'peak-rss-hook.ts');

/**
 * Builds the bundle (`scripts/build.ts`, into dist/) and lays out a package under `dir` as npm
 * installs it: bin/candor.js beside dist/ and no src/, so the launcher runs the bundle. Returns
 * the launcher's path.
 */
export function publishedLauncher(dir: string): string {
  const root = join(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.ts')], {
    cwd: root,
    stdio: 'ignore',
  });
  const pkg = join(dir, 'published');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  copyFileSync(bin, join(pkg, 'bin', 'candor.js'));
  symlinkSync(join(root, 'dist'), join(pkg, 'dist'));
  return join(pkg, 'bin', 'candor.js');
}

/**
 * Runs `argv` in a child with `flags` and the peak-RSS hook: its wall time, its CPU time (every
 * thread's) and its peak RSS, as the hook reports them at exit.
 */
export function measure(cwd: string, flags: readonly string[], argv: string[]): Promise<Measured> {
  return new Promise((resolve) => {
    const start = performance.now();
    execFile(
      process.execPath,
      [...flags, '--import', hook, ...argv],
      { cwd, maxBuffer: 1 << 26 },
      (error, stdout, stderr) => {
        resolve({
          seconds: (performance.now() - start) / 1_000,
          cpuSeconds: Number(/candor-bench-cpu-ms=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1_000,
          peakRssMb: Number(/candor-bench-peak-rss-kb=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1024,
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** Reads every file of the checklist whole, as a naive gate would (JSON.parse, split). */
const wholeReader = `
import { readFileSync } from 'node:fs';
const counts = {};
for (const file of ['baseline.sarif', 'reports/eslint.sarif']) {
  counts[file] = JSON.parse(readFileSync(file, 'utf8')).runs[0].results.length;
}
let total = 0, covered = 0, inModule = false;
for (const line of readFileSync('coverage/lcov.info', 'utf8').split('\\n')) {
  if (line.startsWith('SF:')) inModule = line.startsWith('SF:src/payments/');
  else if (inModule && line.startsWith('DA:')) { total++; if (!line.endsWith(',0')) covered++; }
}
counts.lcov = [total, covered];
counts.sbom = JSON.parse(readFileSync('sbom.cdx.json', 'utf8')).components.length;
counts.trivy = JSON.parse(readFileSync('trivy.json', 'utf8')).Results[0].Vulnerabilities.length;
console.log(JSON.stringify(counts));
`;

export async function benchGateChange({
  line,
  fmt,
  cliFlags,
}: {
  line: Line;
  fmt: Format;
  cliFlags: readonly string[];
}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'candor-bench-change-'));
  try {
    mkdirSync(join(dir, 'reports'));
    mkdirSync(join(dir, 'coverage'));
    // The current run shares its findings with the baseline but one in 1,000 (about 220 new).
    await writeLazily(join(dir, 'baseline.sarif'), sarif(50e6, 0));
    await writeLazily(join(dir, 'reports', 'eslint.sarif'), sarif(50e6, 7, 1_000));
    await writeLcov(join(dir, 'coverage', 'lcov.info'), 20_000, 560);
    await writeLazily(join(dir, 'sbom.cdx.json'), sbom(20_000));
    await writeLazily(join(dir, 'trivy.json'), trivy(5_000));
    writeFileSync(join(dir, 'whole.mjs'), wholeReader);
    writeFileSync(
      join(dir, 'candor.yml'),
      `gates:
  change:
    - findings: { files: "reports/*.sarif", baseline: baseline.sarif, maxNew: 0, level: error }
    - coverage: { files: coverage/lcov.info, module: "src/payments/**", min: 60 }
    - vulnerabilities: { files: trivy.json, failOn: [critical, high], kev: true }
    - sbom: { files: sbom.cdx.json, deny: [GPL-3.0-only, AGPL-3.0-only] }
`,
    );
    const mb = (file: string) => fmt(statSync(join(dir, file)).size / 1e6);
    console.log(
      `(q) candor gate change: SARIF ${mb('reports/eslint.sarif')} MB + baseline ${mb('baseline.sarif')} MB, LCOV ${mb('coverage/lcov.info')} MB, SBOM 20,000 components, Trivy 5,000 vulnerabilities (load average ${loadavg()
        .map((l) => fmt(l, 1))
        .join(', ')} on this machine)`,
    );
    const show = (m: Measured) =>
      `${fmt(m.seconds, 2)} s wall, ${fmt(m.cpuSeconds, 2)} s CPU, peak RSS ${fmt(m.peakRssMb)} MB`;
    const whole = await measure(dir, cliFlags, ['whole.mjs']);
    line(
      'baseline: every file read whole',
      whole.code === 0
        ? show(whole)
        : `failed after ${fmt(whole.seconds, 1)} s (${whole.stderr.includes('heap out of memory') ? 'JavaScript heap out of memory' : `exit ${whole.code}`})`,
    );
    const startup = await measure(dir, cliFlags, [bin, '--version']);
    line('candor --version (start-up alone)', show(startup));
    const gate = await measure(dir, cliFlags, [bin, 'gate', 'change', '--no-record', '--json']);
    if (gate.code !== 0 && gate.code !== 1) {
      line('candor gate change', `failed (exit ${gate.code}): ${gate.stderr.slice(0, 300)}`);
      return;
    }
    const result = JSON.parse(gate.stdout) as {
      conditions: { kind: string; result: string; value: unknown }[];
    };
    line(
      'candor gate change (streamed)',
      `${show(gate)}, exit ${gate.code} (${result.conditions.map((c) => `${c.kind} ${c.result} ${String(c.value)}`).join(', ')})`,
    );
    const met = (m: Measured, seconds: number) =>
      seconds <= 2 && m.peakRssMb <= 300 ? 'met' : 'MISSED';
    line(
      'target: ≤ 2 s and ≤ 300 MB peak RSS',
      `wall ${met(gate, gate.seconds)}, CPU ${met(gate, gate.cpuSeconds)} (${fmt(gate.cpuSeconds - startup.cpuSeconds, 2)} s CPU after start-up)`,
    );
    // What users run: the published package's bundle (`npm run build`), one file instead of the
    // TypeScript sources, each of which Node strips of its types when it is imported.
    const published = publishedLauncher(dir);
    const bundleStartup = await measure(dir, cliFlags, [published, '--version']);
    line('candor --version (published bundle)', show(bundleStartup));
    const bundled = await measure(dir, cliFlags, [
      published,
      'gate',
      'change',
      '--no-record',
      '--json',
    ]);
    const same =
      bundled.stdout === gate.stdout ? 'same JSON as from source' : 'JSON DIFFERS from source';
    line(
      'candor gate change (published bundle)',
      `${show(bundled)}, exit ${bundled.code}, ${same}`,
    );
    line(
      'target with the bundle',
      `wall ${met(bundled, bundled.seconds)}, CPU ${met(bundled, bundled.cpuSeconds)}; ${cpus().length} cores`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
