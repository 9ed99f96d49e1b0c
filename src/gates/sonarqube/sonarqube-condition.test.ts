import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  evidenceContext,
  runEvidenceCondition,
  scratchRepository,
  scratchRepositorySync,
} from '../../testing/evidence-gate.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import { sonarqubeCondition } from './sonarqube-condition.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../readers/evidence/sonarqube/__fixtures__/${name}`, import.meta.url));
const at = 'sonar-quality-gate.json';
const repo = (name: string) => evidenceContext(scratchRepositorySync({ [at]: fixture(name) }));

runGateConditionConformance({
  condition: sonarqubeCondition,
  samples: {
    pass: { options: { files: at }, context: repo('project-status-ok.json'), result: 'pass' },
    fail: { options: { files: at }, context: repo('project-status-error.json'), result: 'fail' },
    warn: { options: {}, context: repo('project-status-warn-7x.json'), result: 'warn' },
  },
});

describe('sonarqubeCondition', () => {
  it('fails an ERROR gate, listing the failing conditions with their thresholds', async () => {
    const root = await scratchRepository({ [at]: fixture('project-status-error.json') });
    expect(await runEvidenceCondition(sonarqubeCondition, {}, root)).toMatchObject({
      result: 'fail',
      value: 'ERROR: new_coverage and new_security_hotspots_reviewed',
      threshold: 'OK',
      message:
        'the SonarQube quality gate is ERROR: new_coverage 62.5 (fails when < 80) and new_security_hotspots_reviewed 0.0 (fails when < 100)',
      locations: [{ file: at }],
    });
  });

  it('passes an OK gate', async () => {
    const root = await scratchRepository({ [at]: fixture('project-status-ok.json') });
    expect(await runEvidenceCondition(sonarqubeCondition, {}, root)).toMatchObject({
      result: 'pass',
      value: 'OK',
      message: 'the SonarQube quality gate passed (2 conditions OK)',
    });
  });

  it('warns on a 7.x WARN gate by default, and fails it with warn: fail', async () => {
    const root = await scratchRepository({ [at]: fixture('project-status-warn-7x.json') });
    expect(await runEvidenceCondition(sonarqubeCondition, {}, root)).toMatchObject({
      result: 'warn',
      value: 'WARN: new_coverage',
      message: 'the SonarQube quality gate is WARN: new_coverage 71.0 (warns when < 80)',
    });
    expect(await runEvidenceCondition(sonarqubeCondition, { warn: 'fail' }, root)).toMatchObject({
      result: 'fail',
    });
  });

  it('fails when any of several gates fails', async () => {
    const root = await scratchRepository({
      'sonar/a.json': fixture('project-status-ok.json'),
      'sonar/b.json': fixture('project-status-error.json'),
    });
    expect(
      await runEvidenceCondition(sonarqubeCondition, { files: 'sonar/*.json' }, root),
    ).toMatchObject({ result: 'fail', locations: [{ file: 'sonar/b.json' }] });
  });

  it.each([
    ['status NONE', fixture('project-status-none.json'), 'status NONE'],
    ['no projectStatus', '{"errors": [{"msg": "Project not found"}]}', 'has no projectStatus'],
  ])('is no evidence for %s, never a pass', async (_name, content, reason) => {
    const root = await scratchRepository({ [at]: content });
    const outcome = await runEvidenceCondition(sonarqubeCondition, {}, root);
    expect(outcome).toMatchObject({ kind: 'missing' });
    expect('expected' in outcome && outcome.expected).toContain(reason);
  });

  it('is invalid evidence for a truncated file, naming it', async () => {
    const root = await scratchRepository({ [at]: '{"projectStatus": {"status": "OK", "cond' });
    expect(await runEvidenceCondition(sonarqubeCondition, {}, root)).toMatchObject({
      kind: 'invalid',
      problems: [{ file: at }],
    });
  });
});
