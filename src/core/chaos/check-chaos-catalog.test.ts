import { describe, expect, it } from 'vitest';
import { ChaosExperiment } from './chaos-experiment.ts';
import { validExperiment } from '../../testing/chaos-experiment-fixture.ts';
import {
  checkChaosCatalog,
  isKnownOwner,
  readCodeownersOwners,
  type CatalogFacts,
} from './check-chaos-catalog.ts';

const facts: CatalogFacts = {
  owners: new Set(['@acme/team-payments']),
  missingFiles: new Set(),
  rollbackActions: new Set(['payments']),
  productionEnvironments: new Set(['production']),
  ceiling: { maxTargets: 1, maxPercent: 25, maxDurationMs: 900_000, allowAll: false },
};
const entry = (change: Record<string, unknown> = {}, file = 'a.yml') => ({
  file,
  experiment: ChaosExperiment.parse({ ...validExperiment, ...change }),
});
const production = (radius: Record<string, unknown>, rest: Record<string, unknown> = {}) =>
  entry({
    blastRadius: { ...validExperiment.blastRadius, environment: 'production', ...radius },
    ...rest,
  });

describe('checkChaosCatalog', () => {
  it('finds nothing wrong with a valid staging entry', () => {
    expect(checkChaosCatalog([entry()], facts)).toEqual([]);
  });

  it('reports an owner CODEOWNERS does not name, and skips the check without CODEOWNERS', () => {
    const stranger = entry({ owner: 'team-search' });
    expect(checkChaosCatalog([stranger], facts)).toEqual([
      { file: 'a.yml', path: ['owner'], message: 'owner team-search is not named in CODEOWNERS' },
    ]);
    expect(checkChaosCatalog([stranger], { ...facts, owners: undefined })).toEqual([]);
  });

  it('reports missing manifests and runbooks, and rollback ids without an action', () => {
    const problems = checkChaosCatalog([entry({ rollback: ['payments', 'search'] })], {
      ...facts,
      missingFiles: new Set(['manifests/pod-kill.yaml', 'docs/runbooks/payments.md']),
    });
    expect(problems.map((p) => p.path)).toEqual([
      ['inject', 'manifest'],
      ['runbook'],
      ['rollback', 1],
    ]);
  });

  it('reports a duplicate id in a second file', () => {
    const problems = checkChaosCatalog([entry({}, 'a.yml'), entry({}, 'b.yml')], facts);
    expect(problems).toEqual([
      { file: 'b.yml', path: ['id'], message: 'id payments-pod-loss is already used by a.yml' },
    ]);
  });

  it('requires stop conditions of a production fault experiment', () => {
    const problems = checkChaosCatalog([production({}, { stopConditions: [] })], facts);
    expect(problems.map((p) => p.message)).toEqual([
      'a production experiment needs at least one stop condition',
    ]);
  });

  it.each([
    [{ mode: 'all', value: undefined }, 'mode all'],
    [{ mode: 'fixed', value: 2 }, '2 targets is above the production ceiling of 1'],
    [{ mode: 'fixed-percent', value: 50 }, '50% of targets is above the production ceiling of 25%'],
    [{ mode: 'random-max-percent', value: '30' }, '30% of targets'],
    [{ maxDuration: '1h' }, 'maxDuration 3600s is above the production ceiling of 900s'],
  ])('refuses a production blast radius above the ceiling: %o', (radius, message) => {
    const problems = checkChaosCatalog([production(radius)], facts);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(message);
    expect(problems[0]?.path).toEqual(['blastRadius']);
  });

  it('accepts a production blast radius at the ceiling', () => {
    expect(
      checkChaosCatalog(
        [production({ mode: 'fixed-percent', value: 25, maxDuration: '15m' })],
        facts,
      ),
    ).toEqual([]);
    expect(checkChaosCatalog([production({ mode: 'one', value: undefined })], facts)).toEqual([]);
  });
});

describe('readCodeownersOwners', () => {
  it('reads owners after each pattern, skipping comments and GitLab sections', () => {
    const owners = readCodeownersOwners(
      '# owners\n* @acme/platform\n/payments/ @acme/team-payments ops@acme.io # inline\n[Docs]\n',
    );
    expect([...owners]).toEqual(['@acme/platform', '@acme/team-payments', 'ops@acme.io']);
    expect(isKnownOwner('team-payments', owners)).toBe(true);
    expect(isKnownOwner('@acme/team-payments', owners)).toBe(true);
    expect(isKnownOwner('ops@acme.io', owners)).toBe(true);
    expect(isKnownOwner('team-search', owners)).toBe(false);
  });
});
