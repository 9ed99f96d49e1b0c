// Bench part (l): `candor gate` with a coverage condition over a ~100 MB LCOV (10M line records),
// under the executable's heap flags, next to a baseline that reads the same file whole.
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

type Line = (label: string, value: string) => void;
type Format = (n: number, digits?: number) => string;

const bin = join(import.meta.dirname, '..', 'bin', 'candor.js');
const hook = join(import.meta.dirname, 'peak-rss-hook.ts');

/** Writes an LCOV of `files` files × `lines` DA records (every tenth file under src/payments). */
export async function writeLcov(path: string, files: number, lines: number): Promise<void> {
  const out = createWriteStream(path);
  for (let f = 0; f < files; f++) {
    let text = `TN:\nSF:src/${f % 10 === 0 ? 'payments' : `m${f % 97}`}/f${f}.ts\n`;
    for (let l = 1; l <= lines; l++) text += `DA:${l},${l % 3}\n`;
    if (!out.write(`${text}LF:${lines}\nLH:0\nend_of_record\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

/** Runs a child under `flags`, with the peak-RSS hook: seconds, peak RSS, exit code, stdout. */
function measure(cwd: string, flags: readonly string[], argv: string[]) {
  return new Promise<{
    seconds: number;
    peakRssMb: number;
    code: number;
    stdout: string;
    outOfHeap: boolean;
  }>((resolve) => {
    const start = performance.now();
    execFile(
      process.execPath,
      [...flags, '--import', hook, ...argv],
      { cwd, maxBuffer: 1 << 26 },
      (error, stdout, stderr) => {
        const kb = Number(/candor-bench-peak-rss-kb=(\d+)/.exec(stderr)?.[1] ?? 0);
        resolve({
          seconds: (performance.now() - start) / 1_000,
          peakRssMb: kb / 1024,
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          outOfHeap: stderr.includes('heap out of memory'),
        });
      },
    );
  });
}

const baseline = `
import { readFileSync } from 'node:fs';
const text = readFileSync('coverage/lcov.info', 'utf8');
let total = 0, covered = 0, inModule = false;
for (const line of text.split('\\n')) {
  if (line.startsWith('SF:')) inModule = line.startsWith('SF:src/payments/');
  else if (inModule && line.startsWith('DA:')) { total++; if (!line.endsWith(',0')) covered++; }
}
console.log(JSON.stringify({ total, covered }));
`;

export async function benchGateCoverage({
  line,
  fmt,
  cliFlags,
  files = 20_000,
}: {
  line: Line;
  fmt: Format;
  cliFlags: readonly string[];
  files?: number;
}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'candor-bench-gate-'));
  try {
    await writeLcov(join(dir, 'lcov.info'), files, 500);
    writeFileSync(join(dir, 'base.mjs'), baseline.replace('coverage/lcov.info', 'lcov.info'));
    writeFileSync(
      join(dir, 'candor.yml'),
      'gates:\n  change:\n    - coverage: { files: lcov.info, module: "src/payments/**", min: 60 }\n',
    );
    const mb = statSync(join(dir, 'lcov.info')).size / 1e6;
    console.log(
      `(l) candor gate change: coverage of src/payments/** in a ${fmt(mb)} MB LCOV (${fmt(files * 500)} line records)`,
    );
    const whole = await measure(dir, cliFlags, ['base.mjs']);
    line(
      'baseline: read whole, split, count',
      whole.code === 0
        ? `${fmt(whole.seconds, 1)} s, peak RSS ${fmt(whole.peakRssMb)} MB`
        : `failed after ${fmt(whole.seconds, 1)} s (${whole.outOfHeap ? 'JavaScript heap out of memory' : `exit ${whole.code}`})`,
    );
    const gate = await measure(dir, cliFlags, [bin, 'gate', 'change', '--no-record', '--json']);
    const value =
      gate.code === 0
        ? (JSON.parse(gate.stdout) as { conditions: { value: number }[] }).conditions[0]?.value
        : undefined;
    line(
      'candor gate change (streamed)',
      `${fmt(gate.seconds, 1)} s, peak RSS ${fmt(gate.peakRssMb)} MB, coverage ${String(value)}%, exit ${gate.code}`,
    );
    line(
      'target: ≤ 2 s and ≤ 300 MB peak RSS',
      gate.seconds <= 2 && gate.peakRssMb <= 300 ? 'met' : 'MISSED',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
