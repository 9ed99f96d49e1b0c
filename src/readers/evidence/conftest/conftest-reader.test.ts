import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runEvidenceReaderConformance } from '../evidence-reader-conformance.ts';
import { readEvidence } from '../evidence-readers.ts';
import { conftestReader } from './conftest-reader.ts';

const document = (count: number) =>
  JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      filename: `deploy/f${i}.yaml`,
      namespace: 'main',
      successes: 1,
      failures: [{ msg: `failure ${i}` }],
    })),
    null,
    2,
  );

runEvidenceReaderConformance({
  reader: conftestReader,
  samples: { document, count: (model) => model.failures.length },
  skip: [
    {
      reason: 'conftest JSON carries no version',
      tests: ['refuses a version it does not support'],
    },
  ],
});

describe('conftestReader', () => {
  it('reads failures with their location, warnings, and successes; exceptions are not failures', async () => {
    const bytes = readFileSync(new URL('__fixtures__/kubernetes.json', import.meta.url));
    const read = await readEvidence('policy', async function* () {
      yield bytes;
    });
    expect(read.ok && read.value).toEqual({
      engine: 'conftest',
      isUndefined: false,
      successes: 11,
      failures: [
        { message: 'Containers must not run as root', file: 'deploy/deployment.yaml', line: 21 },
        {
          message: 'Containers must provide app label for pod selectors',
          file: 'deploy/deployment.yaml',
          line: undefined,
        },
      ],
      warnings: [expect.objectContaining({ file: 'deploy/deployment.yaml' })],
    });
  });

  it('refuses an entry without a filename, with its JSON path', async () => {
    const read = await conftestReader.read(
      (async function* () {
        yield '[{"successes": 1}]';
      })(),
    );
    expect(!read.ok && read.errors[0]?.message).toMatch(/^\[0\]\.filename: /);
  });
});
