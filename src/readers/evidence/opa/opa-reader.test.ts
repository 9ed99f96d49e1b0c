import { describe, expect, it } from 'vitest';
import { runEvidenceReaderConformance } from '../evidence-reader-conformance.ts';
import { readEvidence } from '../evidence-readers.ts';
import { opaReader } from './opa-reader.ts';

const document = (count: number) =>
  JSON.stringify(
    {
      decision_id: 'a1',
      result: { allow: count === 0, deny: Array.from({ length: count }, (_, i) => `denied ${i}`) },
    },
    null,
    2,
  );

runEvidenceReaderConformance({
  reader: opaReader,
  samples: {
    document,
    count: (model) => model.failures.filter((f) => f.message.startsWith('denied')).length,
  },
  skip: [
    {
      reason: 'an OPA decision carries no version',
      tests: ['refuses a version it does not support'],
    },
  ],
});

const read = async (text: string) => {
  const result = await readEvidence('policy', async function* () {
    yield Buffer.from(text);
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
};

describe('opaReader', () => {
  it.each([
    ['the REST API without result', '{"decision_id": "x"}'],
    ['opa eval of an undefined rule', '{}'],
    ['opa eval with no expressions', '{"result": [{"expressions": []}]}'],
  ])('reads %s as an undefined decision, which fails', async (_name, text) => {
    const report = await read(text);
    expect(report.isUndefined).toBe(true);
    expect(report.failures[0]?.message).toMatch(/undefined/);
  });

  it.each([
    ['true', '{"result": true}', [], 1],
    ['false', '{"result": false}', ['the decision is false'], 0],
    ['an empty deny set', '{"result": []}', [], 1],
    [
      'a deny set',
      '{"result": ["no root", {"msg": "no latest tag"}]}',
      ['no root', 'no latest tag'],
      0,
    ],
    [
      'allow false with violations',
      '{"result": {"allow": false, "violations": [{"message": "x"}]}}',
      ['allow is false', 'x'],
      0,
    ],
    [
      'a decision log event',
      '{"decision_id": "d", "path": "k8s/admission", "result": {"allowed": true}}',
      [],
      1,
    ],
    [
      'opa eval',
      '{"result": [{"expressions": [{"value": false, "text": "data.x.allow", "location": {"row": 1, "col": 1}}]}]}',
      ['the decision is false'],
      0,
    ],
    ['a number', '{"result": 3}', ['not a decision: 3'], 0],
    [
      'an object of no known shape',
      '{"result": {"x": 1}}',
      [expect.stringMatching(/^not a decision/)],
      0,
    ],
  ])('reads %s', async (_name, text, failures, successes) => {
    const report = await read(text);
    expect(report.isUndefined).toBe(false);
    expect(report.failures.map((f) => f.message)).toEqual(failures);
    expect(report.successes).toBe(successes);
  });

  it('reads warnings of an object decision', async () => {
    expect(
      (await read('{"result": {"allow": true, "warn": ["deprecated API"]}}')).warnings,
    ).toEqual([{ message: 'deprecated API' }]);
  });
});
