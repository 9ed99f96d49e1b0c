import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  evidenceContext,
  runEvidenceCondition,
  scratchRepository,
  scratchRepositorySync,
} from '../../testing/evidence-gate.ts';
import {
  runGateConditionConformance,
  type GateConditionSample,
} from '../gate-condition-conformance.ts';
import { mutationCondition } from './mutation-condition.ts';
import { describeEnforceWarn } from '../../testing/run-enforced-entry.ts';

/** Stryker JS's shape: an absolute path under projectRoot, relative paths, every status. */
const report = readFileSync(
  new URL('../../readers/evidence/stryker/__fixtures__/mutation.json', import.meta.url),
);
const at = 'reports/mutation/mutation.json';

const failing = {
  options: { files: at, min: 80 },
  context: evidenceContext(scratchRepositorySync({ [at]: report })),
  result: 'fail',
} satisfies GateConditionSample;

runGateConditionConformance({
  condition: mutationCondition,
  samples: {
    pass: {
      options: { files: at, module: 'src/payments/**', min: 80 },
      context: evidenceContext(scratchRepositorySync({ [at]: report })),
      result: 'pass',
    },
    fail: failing,
  },
});

describe('mutationCondition', () => {
  it('scores a module from its mutants: Timeout detected, CompileError left out, paths made relative', async () => {
    const root = await scratchRepository({ [at]: report });
    expect(
      await runEvidenceCondition(
        mutationCondition,
        { files: at, module: 'src/payments/**', min: 90 },
        root,
      ),
    ).toMatchObject({
      result: 'fail',
      value: 83.33,
      threshold: 90,
      message: 'mutation score of src/payments/** 83.33% (5 of 6 mutants detected), below 90%',
      locations: [
        {
          file: 'src/payments/refund.ts',
          line: 3,
          message: 'survived: ArithmeticOperator mutant 3',
        },
      ],
    });
    expect(
      await runEvidenceCondition(mutationCondition, { files: at, min: 60 }, root),
    ).toMatchObject({
      result: 'pass',
      value: 62.5,
      locations: [],
    });
  });

  it('scores the report Stryker JS 9 wrote here, naming the two survivors', async () => {
    const real = readFileSync(
      new URL(
        '../../readers/evidence/stryker/__fixtures__/producers/stryker-9.mutation.json',
        import.meta.url,
      ),
    );
    const root = await scratchRepository({ [at]: real });
    expect(
      await runEvidenceCondition(
        mutationCondition,
        { files: at, module: 'src/payments/**', min: 80 },
        root,
      ),
    ).toMatchObject({
      result: 'fail',
      value: 75,
      threshold: 80,
      message: 'mutation score of src/payments/** 75% (6 of 8 mutants detected), below 80%',
      locations: [
        { file: 'src/payments/refund.js', line: 2, message: 'survived: EqualityOperator mutant 3' },
        { file: 'src/payments/refund.js', line: 3, message: 'survived: StringLiteral mutant 6' },
      ],
    });
    expect(
      await runEvidenceCondition(mutationCondition, { files: at, min: 75 }, root),
    ).toMatchObject({ result: 'pass', value: 75 });
  });

  it('is no evidence for a module no mutant is in, or without a report; a bad report is invalid', async () => {
    const root = await scratchRepository({
      [at]: report,
      'bad.json': '{"schemaVersion": "1", "files": []}',
    });
    expect(
      await runEvidenceCondition(
        mutationCondition,
        { files: at, module: 'src/money/**', min: 80 },
        root,
      ),
    ).toMatchObject({ kind: 'missing', expected: `mutants of src/money/** in ${at}` });
    expect(
      await runEvidenceCondition(mutationCondition, { files: 'none.json', min: 80 }, root),
    ).toMatchObject({
      kind: 'missing',
    });
    expect(
      await runEvidenceCondition(mutationCondition, { files: 'bad.json', min: 80 }, root),
    ).toMatchObject({
      kind: 'invalid',
      problems: [{ file: 'bad.json', message: 'files: expected object, received array' }],
    });
  });

  it('fails when every mutant is excluded: there is no score to pass', async () => {
    const root = await scratchRepository({
      [at]: JSON.stringify({
        schemaVersion: '2',
        files: { 'a.ts': { mutants: [{ id: '1', mutatorName: 'X', status: 'CompileError' }] } },
      }),
    });
    expect(
      await runEvidenceCondition(mutationCondition, { files: at, min: 0 }, root),
    ).toMatchObject({
      result: 'fail',
      value: null,
      message: expect.stringContaining('no mutation score') as string,
    });
  });
});

describeEnforceWarn(mutationCondition, failing);
