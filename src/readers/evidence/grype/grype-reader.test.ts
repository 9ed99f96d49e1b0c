import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runEvidenceReaderConformance } from '../evidence-reader-conformance.ts';
import { readEvidence } from '../evidence-readers.ts';
import { grypeReader } from './grype-reader.ts';

const document = (count: number) =>
  JSON.stringify(
    {
      matches: Array.from({ length: count }, (_, i) => ({
        vulnerability: { id: `CVE-2024-${String(10_000 + i)}`, severity: ['Low', 'High'][i % 2] },
        relatedVulnerabilities: [],
        artifact: { name: `pkg-${i}`, version: '1.0.0', type: 'npm' },
      })),
      source: { type: 'directory', target: '.' },
      descriptor: { name: 'grype', version: '0.84.0' },
    },
    null,
    2,
  );

runEvidenceReaderConformance({
  reader: grypeReader,
  samples: { document, count: (model) => model.vulnerabilities.length },
  skip: [
    {
      reason: 'Grype JSON carries no schema version (descriptor.version is the tool’s)',
      tests: ['refuses a version it does not support'],
    },
  ],
});

describe('grypeReader', () => {
  it('reads matches with aliases, fix versions and its own known-exploited flag', async () => {
    const bytes = readFileSync(new URL('__fixtures__/directory-scan.json', import.meta.url));
    const read = await readEvidence('vulnerabilities', async function* () {
      yield bytes;
    });
    expect(read.ok && read.value.vulnerabilities).toEqual([
      expect.objectContaining({
        id: 'GHSA-jfh8-c2jp-5v3q',
        aliases: ['CVE-2021-44228'],
        severity: 'critical',
        fixedVersion: '2.15.0',
        target: '/app/lib/log4j-core-2.14.1.jar',
      }),
      expect.objectContaining({ id: 'CVE-2023-44487', severity: 'high', isKnownExploited: true }),
      expect.objectContaining({ id: 'GO-2024-2687', aliases: [], severity: 'medium' }),
      expect.objectContaining({
        id: 'CVE-2022-0001',
        severity: 'negligible',
        isKnownExploited: false,
      }),
    ]);
  });

  it('reads the empty presenter output as no vulnerabilities, and refuses a document without matches', async () => {
    const empty = await grypeReader.read(
      (async function* () {
        yield '{"matches": [], "source": {}}';
      })(),
    );
    expect(empty).toEqual({ ok: true, value: { scanner: 'grype', vulnerabilities: [] } });
    const none = await grypeReader.read(
      (async function* () {
        yield '{"source": {}}';
      })(),
    );
    expect(!none.ok && none.errors[0]?.message).toMatch(/^matches: required/);
  });
});
