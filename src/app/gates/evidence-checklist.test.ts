import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evidenceContext, scratchRepository } from '../../testing/evidence-gate.ts';
import { loadCandorConfig } from '../config/load-candor-config.ts';
import { evaluateChecklist, type GatherApart } from './evaluate-checklist.ts';
import { gatherInWorker } from './gather-in-worker.ts';

const fixture = (path: string) =>
  readFileSync(new URL(`../../readers/evidence/${path}`, import.meta.url));
const tool = {
  driver: {
    name: 'Semgrep OSS',
    rules: [{ id: 'sqli', defaultConfiguration: { level: 'error' } }],
  },
};
const sarif = (results: unknown[]) =>
  JSON.stringify({ version: '2.1.0', runs: [{ tool, results }] });
const sqli = (fingerprint: string) => ({
  ruleId: 'sqli',
  message: { text: 'SQL built from input' },
  partialFingerprints: { primaryLocationLineHash: fingerprint },
  locations: [
    { physicalLocation: { artifactLocation: { uri: 'src/pay.ts' }, region: { startLine: 4 } } },
  ],
});

/** The lines of the issue's example that are these conditions', as written there. */
const config = `gates:
  change:
    - findings: { files: "reports/*.sarif", baseline: reports/baseline.sarif, maxNew: 0, level: error }
    - vulnerabilities: { files: trivy.json, failOn: [critical, high], kev: true }
  release:
    - sbom: { files: sbom.cdx.json, deny: [GPL-3.0-only, AGPL-3.0-only] }
  soft:
    - sbom: { files: sbom.cdx.json, deny: [AGPL-3.0-only], enforce: warn }
    - policy: { files: conftest.json }
`;

async function run(
  files: Record<string, string | Uint8Array>,
  checklist: string,
  apart?: (root: string) => GatherApart,
) {
  const root = await scratchRepository({ 'candor.yml': config, ...files });
  const loaded = loadCandorConfig({ cwd: root });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return evaluateChecklist(
    checklist,
    loaded.value.config.gates?.[checklist] ?? [],
    evidenceContext(root),
    apart?.(root),
  );
}

describe('the issue’s checklists with evidence conditions', () => {
  it('blocks the change checklist on a new SARIF finding and a known-exploited vulnerability', async () => {
    const outcome = await run(
      {
        'reports/baseline.sarif': sarif([sqli('aaa:1')]),
        'reports/semgrep.sarif': sarif([sqli('aaa:1'), sqli('bbb:1')]),
        'trivy.json': fixture('trivy/__fixtures__/alpine-image.json'),
      },
      'change',
    );
    expect(outcome.result).toBe('fail');
    expect(
      outcome.conditions.map((c) => [c.kind, c.result, c.value, c.threshold, c.evidence]),
    ).toEqual([
      ['findings', 'fail', 1, 0, ['reports/semgrep.sarif', 'reports/baseline.sarif']],
      ['vulnerabilities', 'fail', 3, '0 critical/high or known exploited', ['trivy.json']],
    ]);
    expect(outcome.conditions[0]?.locations).toEqual([
      { file: 'src/pay.ts', line: 4, message: 'sqli (error, new): SQL built from input' },
    ]);
    expect(outcome.conditions[1]?.message).toContain('KEV catalog 2025.08.25-sample');
  });

  it('passes the release checklist on an SBOM without denied licences, and fails it on one with', async () => {
    const clean = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [
        { type: 'library', name: 'a', licenses: [{ expression: 'GPL-3.0-only OR MIT' }] },
      ],
    });
    expect((await run({ 'sbom.cdx.json': clean }, 'release')).result).toBe('pass');
    const denied = await run(
      { 'sbom.cdx.json': fixture('cyclonedx/__fixtures__/shop-api.cdx.json') },
      'release',
    );
    expect(denied.result).toBe('fail');
  });

  it('fails with "no evidence" when the files are not there, never passes', async () => {
    const outcome = await run({}, 'change');
    expect(outcome.conditions.map((c) => [c.result, c.message])).toEqual([
      ['fail', 'no evidence: a baseline SARIF file at reports/baseline.sarif'],
      ['fail', 'no evidence: a Trivy or Grype JSON report at trivy.json'],
    ]);
  });

  it('turns a failing entry with enforce: warn into a warning, and keeps a warning a warning', async () => {
    const outcome = await run(
      {
        'sbom.cdx.json': fixture('cyclonedx/__fixtures__/shop-api.cdx.json'),
        'conftest.json': JSON.stringify([
          { filename: 'k8s.yaml', successes: 3, warnings: [{ msg: 'no owner label' }] },
        ]),
      },
      'soft',
    );
    expect(outcome.result).toBe('warn');
    expect(outcome.conditions.map((c) => [c.kind, c.result, c.enforce])).toEqual([
      ['sbom', 'warn', 'warn'],
      ['policy', 'warn', 'block'],
    ]);
  });

  describe('with entries gathered apart', () => {
    const change = {
      'reports/baseline.sarif': sarif([sqli('aaa:1')]),
      'reports/semgrep.sarif': sarif([sqli('aaa:1'), sqli('bbb:1')]),
      'trivy.json': fixture('trivy/__fixtures__/alpine-image.json'),
    };

    it('sends only the isolated entries whose files reach minBytes, and judges them the same, in order', async () => {
      const here = await run(change, 'change');
      const sent: string[] = [];
      const recording = (minBytes: number) => (root: string) => ({
        minBytes,
        gather: (kind: string, options: unknown) => {
          sent.push(kind);
          return gatherInWorker({ kind, options, root, now: '2026-12-02T12:00:00Z' });
        },
      });
      expect(await run(change, 'change', recording(1))).toEqual(here);
      expect(sent).toEqual(['findings']);
      expect(await run(change, 'change', recording(1e9))).toEqual(here);
      expect(sent).toEqual(['findings']);
    });

    it('says once when every entry apart has been handed over, after the handing', async () => {
      const calls: string[] = [];
      const recording = (minBytes: number) => (root: string) => ({
        minBytes,
        gather: (kind: string, options: unknown) => {
          calls.push(kind);
          return gatherInWorker({ kind, options, root, now: '2026-12-02T12:00:00Z' });
        },
        onStarted: () => calls.push('started'),
      });
      await run(change, 'change', recording(1));
      expect(calls).toEqual(['findings', 'started']);
      calls.length = 0;
      await run(change, 'change', recording(1e9));
      expect(calls).toEqual(['started']);
    });

    it('sends nothing apart for a checklist of one entry, and keeps "no evidence" as it is', async () => {
      const gather = () => Promise.reject(new Error('not expected'));
      const one = await run(change, 'release', () => ({ minBytes: 0, gather }));
      expect(one.conditions.map((c) => c.message)).toEqual([
        'no evidence: an SBOM (CycloneDX or SPDX JSON) at sbom.cdx.json',
      ]);
      const none = await run({}, 'change', () => ({ minBytes: 0, gather }));
      expect(none.conditions.map((c) => c.message)).toEqual([
        'no evidence: a baseline SARIF file at reports/baseline.sarif',
        'no evidence: a Trivy or Grype JSON report at trivy.json',
      ]);
    });

    it('gathers the other entries here while the one apart is still running', async () => {
      const root = await scratchRepository({ 'candor.yml': config, ...change });
      const loaded = loadCandorConfig({ cwd: root });
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      const context = evidenceContext(root);
      // The entry apart answers only once the next entry's files have been looked for here.
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      const findFiles = context.findFiles.bind(context);
      context.findFiles = (patterns) => {
        if ([patterns].flat().includes('trivy.json')) release();
        return findFiles(patterns);
      };
      const apart: GatherApart = {
        minBytes: 1,
        gather: async (kind, options) => {
          await released;
          return gatherInWorker({ kind, options, root, now: '2026-12-02T12:00:00Z' });
        },
      };
      const outcome = await evaluateChecklist(
        'change',
        loaded.value.config.gates?.['change'] ?? [],
        context,
        apart,
      );
      expect(outcome.conditions.map((c) => [c.kind, c.result])).toEqual([
        ['findings', 'fail'],
        ['vulnerabilities', 'fail'],
      ]);
    });

    it('throws the first error in checklist order, the apart one before a later one here', async () => {
      const gather = () => Promise.reject(new Error('the worker failed'));
      const root = await scratchRepository({ 'candor.yml': config, ...change });
      const loaded = loadCandorConfig({ cwd: root });
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      const context = evidenceContext(root);
      context.findFiles = (patterns) =>
        [patterns].flat().includes('trivy.json')
          ? Promise.reject(new Error('the disk failed'))
          : evidenceContext(root).findFiles(patterns);
      await expect(
        evaluateChecklist('change', loaded.value.config.gates?.['change'] ?? [], context, {
          minBytes: 0,
          gather,
        }),
      ).rejects.toThrow('the worker failed');
    });

    it('rethrows what the entry gathered apart threw, in its turn', async () => {
      const gather = () => Promise.reject(new Error('the worker failed'));
      await expect(run(change, 'change', () => ({ minBytes: 0, gather }))).rejects.toThrow(
        'the worker failed',
      );
    });
  });
});
