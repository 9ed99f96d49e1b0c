import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mutationScore } from '../../../core/evidence/mutation-report.ts';
import { runEvidenceReaderConformance } from '../evidence-reader-conformance.ts';
import { readEvidence } from '../evidence-readers.ts';
import { strykerReader } from './stryker-reader.ts';

/** A report as Stryker JS 8 writes it, with `count` mutants over two files. */
const document = (count: number, schemaVersion = '1.0') =>
  JSON.stringify(
    {
      schemaVersion,
      thresholds: { high: 80, low: 60 },
      projectRoot: '/build',
      files: {
        'src/payments/refund.ts': {
          language: 'typescript',
          source: 'export const refund = (a: number) => a > 0;\n',
          mutants: Array.from({ length: Math.ceil(count / 2) }, (_, i) => ({
            id: String(i),
            mutatorName: 'EqualityOperator',
            replacement: 'a >= 0',
            status: i % 3 === 0 ? 'Survived' : 'Killed',
            location: { start: { line: 1, column: 38 }, end: { line: 1, column: 43 } },
          })),
        },
        'src/ui/button.ts': {
          language: 'typescript',
          source: 'x',
          mutants: Array.from({ length: Math.floor(count / 2) }, (_, i) => ({
            id: `b${i}`,
            mutatorName: 'StringLiteral',
            status: 'NoCoverage',
            location: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
          })),
        },
      },
    },
    null,
    2,
  );

runEvidenceReaderConformance({
  reader: strykerReader,
  samples: {
    document: (count) => document(count),
    count: (model) => model.files.reduce((sum, file) => sum + file.mutants.length, 0),
    wrongVersion: document(2, '9'),
  },
});

const read = async (text: string) =>
  readEvidence('mutation', async function* () {
    yield Buffer.from(text);
  });

describe('strykerReader', () => {
  it('reads each mutant with its status and line; the score counts Timeout as detected', async () => {
    const result = await read(document(6));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.files.map((f) => f.file)).toEqual([
      'src/payments/refund.ts',
      'src/ui/button.ts',
    ]);
    expect(result.value.files[0]?.mutants[0]).toEqual({
      id: '0',
      mutator: 'EqualityOperator',
      status: 'Survived',
      line: 1,
    });
    expect(
      mutationScore([
        { id: '1', mutator: 'm', status: 'Killed', line: 1 },
        { id: '2', mutator: 'm', status: 'Timeout', line: 1 },
        { id: '3', mutator: 'm', status: 'NoCoverage', line: 1 },
        { id: '4', mutator: 'm', status: 'Survived', line: 1 },
        { id: '5', mutator: 'm', status: 'CompileError', line: 1 },
        { id: '6', mutator: 'm', status: 'Ignored', line: 1 },
      ]),
    ).toEqual({ detected: 2, undetected: 2, excluded: 2, score: 50 });
    expect(mutationScore([]).score).toBeUndefined();
  });

  it('reads what Stryker JS 9 writes (command runner over node --test): 8 mutants, 2 survived', async () => {
    const text = readFileSync(
      new URL('__fixtures__/producers/stryker-9.mutation.json', import.meta.url),
      'utf8',
    );
    const result = await read(text);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.files.map((f) => f.file)).toEqual(['src/payments/refund.js']);
    const mutants = result.value.files[0]?.mutants ?? [];
    expect(mutants.map((m) => [m.id, m.mutator, m.status, m.line])).toEqual([
      ['0', 'BlockStatement', 'Killed', 1],
      ['1', 'ConditionalExpression', 'Killed', 2],
      ['2', 'ConditionalExpression', 'Killed', 2],
      ['3', 'EqualityOperator', 'Survived', 2],
      ['4', 'EqualityOperator', 'Killed', 2],
      ['5', 'BlockStatement', 'Killed', 2],
      ['6', 'StringLiteral', 'Survived', 3],
      ['7', 'ArithmeticOperator', 'Killed', 5],
    ]);
    expect(mutationScore(mutants)).toEqual({ detected: 6, undetected: 2, excluded: 0, score: 75 });
  });

  it('names the JSON path of a bad mutant, and refuses a report without schemaVersion or files', async () => {
    const bad = await read(
      '{"schemaVersion": "1", "files": {"a.ts": {"mutants": [{"id": 1, "mutatorName": "X", "status": "Dead"}]}}}',
    );
    expect(bad.ok ? [] : bad.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^files\.a\.ts\.mutants\[0\]\.status: Invalid option/) as string,
    ]);
    const noVersion = await read('{"files": {}}');
    expect(noVersion.ok ? [] : noVersion.errors[0]?.message).toMatch(
      /^schemaVersion: expected the schema version/,
    );
    const noFiles = await read('{"schemaVersion": "2"}');
    expect(noFiles.ok ? [] : noFiles.errors[0]?.message).toBe(
      'files: missing: the report holds no files',
    );
  });
});
