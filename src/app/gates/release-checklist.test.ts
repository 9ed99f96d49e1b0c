import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeGitRepo } from '../../testing/make-git-repo.ts';
import { loadCandorConfig } from '../config/load-candor-config.ts';
import { createGateContext } from './create-gate-context.ts';
import { evaluateChecklist } from './evaluate-checklist.ts';

const sonar = (name: string) =>
  readFileSync(
    new URL(`../../readers/evidence/sonarqube/__fixtures__/${name}`, import.meta.url),
    'utf8',
  );

/** The sonarqube, contracts and flags conditions as a user writes them in candor.yml. */
const config = `gates:
  change:
    - sonarqube: { files: sonar-quality-gate.json }
    - contracts: { api: ["api/**/*.yaml"], tests: ["pacts/**"] }
  release:
    - flags: { files: "flags/*.flagd.json", risky: [new-checkout] }
`;

const flags = (defaultVariant: string) =>
  JSON.stringify({
    flags: {
      'new-checkout': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant },
    },
  });

describe('candor.yml checklists with the sonarqube, contracts and flags conditions', () => {
  it('reads them from candor.yml and decides them in a real repository', async () => {
    const repo = makeGitRepo();
    repo.commit('base', {
      'candor.yml': config,
      'api/shop.yaml': 'openapi: 3.1.0\npaths: {}\n',
      'pacts/web-shop.json': '{}\n',
      'sonar-quality-gate.json': sonar('project-status-ok.json'),
      'flags/app.flagd.json': flags('off'),
    });
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.commit('change the API only, turn the flag on, fail sonar', {
      'api/shop.yaml': 'openapi: 3.1.0\npaths:\n  /carts: {}\n',
      'sonar-quality-gate.json': sonar('project-status-error.json'),
      'flags/app.flagd.json': flags('on'),
    });
    const loaded = loadCandorConfig({ cwd: repo.root });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const context = createGateContext({
      root: repo.root,
      now: new Date('2026-12-02T12:00:00Z'),
      base: 'main',
      store: () => Promise.reject(new Error('no ledger')),
    });
    const gates = loaded.value.config.gates ?? {};
    expect(await evaluateChecklist('change', gates['change'] ?? [], context)).toMatchObject({
      result: 'fail',
      conditions: [
        { kind: 'sonarqube', result: 'fail', evidence: ['sonar-quality-gate.json'] },
        { kind: 'contracts', result: 'fail', value: '1 API file changed, no contract test' },
      ],
    });
    expect(await evaluateChecklist('release', gates['release'] ?? [], context)).toMatchObject({
      result: 'fail',
      conditions: [{ kind: 'flags', result: 'fail', evidence: ['flags/app.flagd.json'] }],
    });
  });
});
