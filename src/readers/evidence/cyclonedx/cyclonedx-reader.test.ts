import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runEvidenceReaderConformance } from '../evidence-reader-conformance.ts';
import { readEvidence } from '../evidence-readers.ts';
import { cyclonedxReader } from './cyclonedx-reader.ts';

const document = (count: number, specVersion = '1.6') =>
  JSON.stringify(
    {
      bomFormat: 'CycloneDX',
      specVersion,
      version: 1,
      components: Array.from({ length: count }, (_, i) => ({
        type: 'library',
        name: `pkg-${i}`,
        version: '1.0.0',
        licenses: [{ license: { id: 'MIT' } }],
      })),
    },
    null,
    2,
  );

const read = async (text: string | Buffer) => {
  const result = await readEvidence('sbom', async function* () {
    yield Buffer.from(text);
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
};

runEvidenceReaderConformance({
  reader: cyclonedxReader,
  samples: {
    document,
    count: (model) => model.components.length,
    wrongVersion: document(1, '1.1'),
  },
});

describe('cyclonedxReader', () => {
  it('flattens nested components and keeps IDs, names and expressions, not the subject', async () => {
    const sbom = await read(
      readFileSync(new URL('__fixtures__/shop-api.cdx.json', import.meta.url)),
    );
    expect(sbom.specVersion).toBe('1.6');
    expect(sbom.components.map((c) => [c.name, c.licences])).toEqual([
      ['express', ['MIT']],
      ['node-forge', ['(BSD-3-Clause OR GPL-2.0-only)']],
      ['sisu-parent', ['EPL-1.0']],
      ['sisu-inject', ['Eclipse Public License 1.0']],
      ['readline-sync', []],
      ['ghostscript-js', ['AGPL-3.0-only']],
    ]);
  });

  it('reads the SBOM npm 11 writes (npm sbom --sbom-format cyclonedx)', async () => {
    const sbom = await read(
      readFileSync(new URL('__fixtures__/producers/npm-11.cdx.json', import.meta.url)),
    );
    expect(sbom.specVersion).toBe('1.5');
    expect(sbom.components.map((c) => [c.name, c.version, c.licences, c.purl])).toEqual([
      ['inherits', '2.0.4', ['ISC'], 'pkg:npm/inherits@2.0.4'],
      ['is-number', '7.0.0', ['MIT'], 'pkg:npm/is-number@7.0.0'],
      ['isarray', '2.0.5', ['MIT'], 'pkg:npm/isarray@2.0.5'],
    ]);
  });

  it.each(['1.2', '1.3', '1.4', '1.5', '1.7'])('reads spec version %s', async (version) => {
    expect((await read(document(2, version))).specVersion).toBe(version);
  });

  it('reads 1.7 licences mixing an expression and a licence', async () => {
    const text = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.7',
      components: [
        {
          type: 'library',
          name: 'a',
          licenses: [{ expression: 'MIT OR Apache-2.0' }, { license: { id: 'BSD-2-Clause' } }],
        },
      ],
    });
    expect((await read(text)).components[0]?.licences).toEqual([
      'MIT OR Apache-2.0',
      'BSD-2-Clause',
    ]);
  });

  it('refuses a document that is not CycloneDX', async () => {
    const result = await cyclonedxReader.read(
      (async function* () {
        yield '{"bomFormat": "SPDX", "specVersion": "1.6"}';
      })(),
    );
    expect(!result.ok && result.errors[0]?.message).toBe('bomFormat: expected "CycloneDX"');
  });
});
