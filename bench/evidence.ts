// Bench part (k): the evidence gate conditions on large files — a 50 MB SARIF (with a 50 MB
// baseline), a 20,000-component CycloneDX SBOM, a 5,000-vulnerability Trivy report — each read
// by candor's streaming reader in a child with the launcher's flags, next to reading the same
// file whole (JSON.parse) the same way; then `candor gate` over all of them, as users run it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const hook = join(import.meta.dirname, 'peak-rss-hook.ts');
const child = join(import.meta.dirname, 'evidence-child.ts');
const binary = join(root, 'bin', 'candor.js');

type Measured = { exit: number | string; seconds: number; peakRssMb: number };

async function measure(flags: string[], args: string[], cwd?: string): Promise<Measured> {
  const started = performance.now();
  const process_ = spawn(process.execPath, [...flags, '--import', hook, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(cwd === undefined ? {} : { cwd }),
  });
  let stderr = '';
  process_.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  const [code, signal] = (await once(process_, 'exit')) as [number | null, string | null];
  const kb = /candor-bench-peak-rss-kb=(\d+)/.exec(stderr)?.[1];
  return {
    exit: code ?? signal ?? 'unknown',
    seconds: (performance.now() - started) / 1_000,
    peakRssMb: kb === undefined ? NaN : Number(kb) / 1024,
  };
}

/** Writes `parts` (generated lazily) to `path`. */
export async function writeLazily(path: string, parts: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const part of parts) if (!out.write(part)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/**
 * A SARIF log of about `targetBytes`: results whose fingerprints carry `seed`, all of them, or
 * one in `newEvery` (the others carry seed 0: the same as a baseline written with seed 0).
 */
export function* sarif(targetBytes: number, seed: number, newEvery = 1): Generator<string> {
  yield '{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{"tool":{"driver":{"name":"ESLint","rules":[';
  yield Array.from(
    { length: 50 },
    (_, r) =>
      `{"id":"rule-${r}","defaultConfiguration":{"level":"${r % 3 === 0 ? 'error' : 'warning'}"}}`,
  ).join(',');
  yield ']}},"results":[';
  let written = 0;
  for (let i = 0; written < targetBytes; i++) {
    const result = `${i === 0 ? '' : ','}{"ruleId":"rule-${i % 50}","message":{"text":"Finding ${i}: unexpected use of a value that may be undefined here"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/module-${i % 900}/file-${i % 37}.ts"},"region":{"startLine":${(i % 400) + 1},"startColumn":5,"snippet":{"text":"const value${i} = input${i % 97}.property;"}}}}],"partialFingerprints":{"primaryLocationLineHash":"${(i * 2654435761 + (i % newEvery === 0 ? seed : 0)).toString(16)}:1"}}`;
    written += result.length;
    yield result;
  }
  yield ']}]}';
}

export function* sbom(components: number): Generator<string> {
  yield '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[';
  const licences = [
    '{"license":{"id":"MIT"}}',
    '{"license":{"id":"Apache-2.0"}}',
    '{"expression":"MIT OR GPL-3.0-only"}',
    '{"license":{"name":"BSD License"}}',
  ];
  for (let i = 0; i < components; i++) {
    yield `${i === 0 ? '' : ','}{"type":"library","bom-ref":"pkg:npm/pkg-${i}@1.${i % 10}.0","name":"pkg-${i}","version":"1.${i % 10}.0","purl":"pkg:npm/pkg-${i}@1.${i % 10}.0","licenses":[${licences[i % 4]}]}`;
  }
  yield ']}';
}

export function* trivy(vulnerabilities: number): Generator<string> {
  const severities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'UNKNOWN'];
  yield '{"SchemaVersion":2,"ArtifactName":"registry.example.com/app:1","ArtifactType":"container_image","Results":[{"Target":"app (debian 12)","Class":"os-pkgs","Type":"debian","Vulnerabilities":[';
  for (let i = 0; i < vulnerabilities; i++) {
    yield `${i === 0 ? '' : ','}{"VulnerabilityID":"CVE-20${10 + (i % 15)}-${10_000 + i}","PkgID":"lib-${i % 700}@1.0","PkgName":"lib-${i % 700}","InstalledVersion":"1.0","FixedVersion":"1.1","Status":"fixed","Severity":"${severities[i % 5]}","Title":"A vulnerability in lib-${i % 700}","Description":"${'A long description of the vulnerability. '.repeat(8)}","CweIDs":["CWE-79"],"CVSS":{"nvd":{"V3Vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","V3Score":9.8}},"References":["https://nvd.nist.gov/vuln/detail/CVE-${i}"]}`;
  }
  yield ']}]}';
}

export async function benchEvidence(options: {
  line: (label: string, value: string) => void;
  fmt: (n: number, digits?: number) => string;
  flags: readonly string[];
}): Promise<void> {
  const { line, fmt, flags } = options;
  const dir = mkdtempSync(join(tmpdir(), 'candor-bench-evidence-'));
  try {
    await writeLazily(join(dir, 'baseline.sarif'), sarif(50e6, 1));
    mkdirSync(join(dir, 'reports'));
    await writeLazily(join(dir, 'reports', 'eslint.sarif'), sarif(50e6, 2));
    await writeLazily(join(dir, 'sbom.cdx.json'), sbom(20_000));
    await writeLazily(join(dir, 'trivy.json'), trivy(5_000));
    const files = [
      ['SARIF', 'findings', 'reports/eslint.sarif'],
      ['CycloneDX, 20,000 components', 'sbom', 'sbom.cdx.json'],
      ['Trivy, 5,000 vulnerabilities', 'vulnerabilities', 'trivy.json'],
    ] as const;
    console.log('(k) evidence gate conditions on large files (each in a child, launcher flags)');
    const show = (m: Measured) =>
      m.exit === 0
        ? `${fmt(m.seconds, 2)} s, peak RSS ${fmt(m.peakRssMb)} MB`
        : `failed (${m.exit}) after ${fmt(m.seconds, 1)} s`;
    for (const [label, kind, file] of files) {
      const path = join(dir, file);
      const mb = statSync(path).size / 1e6;
      line(
        `${label} (${fmt(mb, 1)} MB): baseline JSON.parse whole`,
        show(await measure(flags as string[], [child, 'baseline', kind, path])),
      );
      line(
        `${label}: candor reader, streamed`,
        show(await measure(flags as string[], [child, 'candor', kind, path])),
      );
    }
    writeFileSync(
      join(dir, 'candor.yml'),
      `gates:
  bench:
    - findings: { files: "reports/*.sarif", baseline: baseline.sarif, maxNew: 0, level: error }
    - vulnerabilities: { files: trivy.json, failOn: [critical, high], kev: true }
    - sbom: { files: sbom.cdx.json, deny: [GPL-3.0-only, AGPL-3.0-only] }
`,
    );
    const gate = await measure(
      flags as string[],
      [binary, 'gate', 'bench', '--json', '--no-record'],
      dir,
    );
    line(
      'candor gate: findings (2 x 50 MB) + vulnerabilities + sbom',
      gate.exit === 1 || gate.exit === 0
        ? `${fmt(gate.seconds, 2)} s, peak RSS ${fmt(gate.peakRssMb)} MB (exit ${gate.exit})`
        : `failed (${gate.exit})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
