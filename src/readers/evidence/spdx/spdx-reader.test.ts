import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runEvidenceReaderConformance } from '../evidence-reader-conformance.ts';
import { readEvidence } from '../evidence-readers.ts';
import { spdxReader } from './spdx-reader.ts';

const document = (count: number, spdxVersion = 'SPDX-2.3') =>
  JSON.stringify(
    {
      spdxVersion,
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'x',
      packages: Array.from({ length: count }, (_, i) => ({
        SPDXID: `SPDXRef-${i}`,
        name: `pkg-${i}`,
        licenseConcluded: 'MIT',
      })),
    },
    null,
    2,
  );

runEvidenceReaderConformance({
  reader: spdxReader,
  samples: {
    document,
    count: (model) => model.components.length,
    wrongVersion: document(1, 'SPDX-2.1'),
  },
});

describe('spdxReader', () => {
  it('takes the concluded licence, else the declared one, and nothing for NOASSERTION or NONE', async () => {
    const bytes = readFileSync(new URL('__fixtures__/shop-api.spdx.json', import.meta.url));
    const read = await readEvidence('sbom', async function* () {
      yield bytes;
    });
    expect(read.ok && read.value.components.map((c) => [c.name, c.licences, c.purl])).toEqual([
      ['shop-api', ['Apache-2.0'], undefined],
      ['glibc', ['(LGPL-2.0-only OR LicenseRef-3)'], 'pkg:rpm/glibc@2.11.1'],
      ['zlib', ['Zlib'], undefined],
      ['mystery', [], undefined],
    ]);
    expect(read.ok && read.value.specVersion).toBe('2.3');
  });

  it('reads the SBOM npm 11 writes (npm sbom --sbom-format spdx), the described project too', async () => {
    const bytes = readFileSync(new URL('__fixtures__/producers/npm-11.spdx.json', import.meta.url));
    const read = await readEvidence('sbom', async function* () {
      yield bytes;
    });
    expect(read.ok && read.value.specVersion).toBe('2.3');
    expect(read.ok && read.value.components.map((c) => [c.name, c.licences, c.purl])).toEqual([
      ['sbom-sample', ['UNLICENSED'], 'pkg:npm/sbom-sample@1.0.0'],
      ['inherits', ['ISC'], 'pkg:npm/inherits@2.0.4'],
      ['is-number', ['MIT'], 'pkg:npm/is-number@7.0.0'],
      ['isarray', ['MIT'], 'pkg:npm/isarray@2.0.5'],
    ]);
  });

  it('reads SPDX 2.2 and says SPDX 3 JSON-LD is another format', async () => {
    const two = await spdxReader.read(
      (async function* () {
        yield document(1, 'SPDX-2.2');
      })(),
    );
    expect(two.ok).toBe(true);
    const three = await spdxReader.read(
      (async function* () {
        yield '{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}';
      })(),
    );
    expect(!three.ok && three.errors[0]?.message).toMatch(/SPDX 3 JSON-LD is not supported/);
  });
});
