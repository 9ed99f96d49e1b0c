import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runEvidenceReaderConformance } from '../evidence-reader-conformance.ts';
import { readEvidence } from '../evidence-readers.ts';
import { trivyReader } from './trivy-reader.ts';

const document = (count: number, schemaVersion: unknown = 2) =>
  JSON.stringify(
    {
      SchemaVersion: schemaVersion,
      ArtifactName: 'app',
      Results: [
        {
          Target: 'package-lock.json',
          Class: 'lang-pkgs',
          Vulnerabilities: Array.from({ length: count }, (_, i) => ({
            VulnerabilityID: `CVE-2024-${String(10_000 + i)}`,
            PkgName: `pkg-${i}`,
            InstalledVersion: '1.0.0',
            Severity: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'][i % 4],
          })),
        },
      ],
    },
    null,
    2,
  );

runEvidenceReaderConformance({
  reader: trivyReader,
  samples: {
    document,
    count: (model) => model.vulnerabilities.length,
    wrongVersion: document(1, 1),
  },
});

describe('trivyReader', () => {
  it('reads every result of a container scan with its target and normalised severity', async () => {
    const bytes = readFileSync(new URL('__fixtures__/alpine-image.json', import.meta.url));
    const read = await readEvidence('vulnerabilities', async function* () {
      yield bytes;
    });
    expect(
      read.ok && read.value.vulnerabilities.map((v) => [v.id, v.severity, v.packageName, v.target]),
    ).toEqual([
      [
        'CVE-2023-5363',
        'high',
        'libcrypto3',
        'registry.example.com/shop/api:1.4.2 (alpine 3.18.4)',
      ],
      ['CVE-2014-0160', 'medium', 'libssl3', 'registry.example.com/shop/api:1.4.2 (alpine 3.18.4)'],
      ['GHSA-c2qf-rxjj-qqgw', 'medium', 'semver', 'app/package-lock.json'],
      [
        'CVE-2021-44228',
        'critical',
        'org.apache.logging.log4j:log4j-core',
        'app/package-lock.json',
      ],
      ['CVE-2024-0001', 'low', 'left-pad', 'app/package-lock.json'],
    ]);
  });

  it('reads a clean scan (no Results) as no vulnerabilities', async () => {
    const read = await trivyReader.read(
      (async function* () {
        yield '{"SchemaVersion": 2, "ArtifactName": "."}';
      })(),
    );
    expect(read).toEqual({ ok: true, value: { scanner: 'trivy', vulnerabilities: [] } });
  });

  it('refuses a vulnerability without an ID, with its JSON path', async () => {
    const read = await trivyReader.read(
      (async function* () {
        yield '{"SchemaVersion": 2, "Results": [{"Target": "x", "Vulnerabilities": [{"PkgName": "a"}]}]}';
      })(),
    );
    expect(!read.ok && read.errors[0]?.message).toMatch(
      /^Results\[0\]\.Vulnerabilities\[0\]\.VulnerabilityID: /,
    );
  });
});
