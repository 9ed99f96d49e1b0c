import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runEvidenceCondition, scratchRepository } from '../../testing/evidence-gate.ts';
import { policyCondition } from './policy-condition.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import { evidenceContext, scratchRepositorySync } from '../../testing/evidence-gate.ts';

const conftest = readFileSync(
  new URL('../../readers/evidence/conftest/__fixtures__/kubernetes.json', import.meta.url),
);

const warnOnly = JSON.stringify([
  { filename: 'a.yaml', successes: 2, warnings: [{ msg: 'no owner label' }] },
]);

runGateConditionConformance({
  condition: policyCondition,
  samples: {
    pass: {
      options: { files: 'opa.json' },
      context: evidenceContext(scratchRepositorySync({ 'opa.json': '{"result": true}' })),
      result: 'pass',
    },
    fail: {
      options: { files: 'conftest.json' },
      context: evidenceContext(scratchRepositorySync({ 'conftest.json': conftest })),
      result: 'fail',
    },
    warn: {
      options: { files: 'conftest.json' },
      context: evidenceContext(scratchRepositorySync({ 'conftest.json': warnOnly })),
      result: 'warn',
    },
  },
});

describe('policyCondition', () => {
  it('fails on conftest failures, pointing at their place', async () => {
    const root = await scratchRepository({ 'conftest.json': conftest });
    expect(
      await runEvidenceCondition(policyCondition, { files: 'conftest.json' }, root),
    ).toMatchObject({
      result: 'fail',
      value: 2,
      message:
        '2 failures, 1 warning, 11 checks passed: Containers must not run as root (deploy/deployment.yaml:21) and Containers must provide app label for pod selectors (deploy/deployment.yaml)',
      locations: [
        { file: 'deploy/deployment.yaml', line: 21, message: 'Containers must not run as root' },
        {
          file: 'deploy/deployment.yaml',
          line: undefined,
          message: 'Containers must provide app label for pod selectors',
        },
      ],
    });
  });

  it('warns on warnings only, and fails them with failOnWarn', async () => {
    const root = await scratchRepository({
      'conftest.json': JSON.stringify([
        { filename: 'a.yaml', successes: 2, warnings: [{ msg: 'no owner label' }] },
      ]),
    });
    expect(
      await runEvidenceCondition(policyCondition, { files: 'conftest.json' }, root),
    ).toMatchObject({
      result: 'warn',
      message: '0 failures, 1 warning, 2 checks passed: no owner label',
    });
    expect(
      await runEvidenceCondition(
        policyCondition,
        { files: 'conftest.json', failOnWarn: true },
        root,
      ),
    ).toMatchObject({ result: 'fail', value: 1 });
  });

  it('passes an OPA decision that allows', async () => {
    const root = await scratchRepository({
      'decision.json': '{"decision_id": "4ca6", "result": {"allow": true}}',
    });
    expect(
      await runEvidenceCondition(policyCondition, { files: 'decision.json' }, root),
    ).toMatchObject({ result: 'pass', message: '0 failures, 0 warnings, 1 check passed' });
  });

  it('fails an undefined OPA decision', async () => {
    const root = await scratchRepository({ 'decision.json': '{"decision_id": "4ca6"}' });
    expect(
      await runEvidenceCondition(policyCondition, { files: 'decision.json' }, root),
    ).toMatchObject({
      result: 'fail',
      message:
        'the decision is undefined in decision.json (no result: the rule did not apply), which is never a pass',
    });
  });

  it('has no evidence without the file', async () => {
    const root = await scratchRepository({});
    expect(
      await runEvidenceCondition(policyCondition, { files: 'conftest.json' }, root),
    ).toMatchObject({
      kind: 'missing',
      expected: 'conftest or OPA decision JSON at conftest.json',
    });
  });
});
