import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';
import { scratchRepository } from '../../testing/evidence-gate.ts';

const fixture = (path: string) =>
  readFileSync(new URL(`../../readers/evidence/${path}`, import.meta.url));
const tool = {
  driver: { name: 'ESLint', rules: [{ id: 'no-eval', defaultConfiguration: { level: 'error' } }] },
};
const sarif = (lines: number[]) =>
  JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool,
        results: lines.map((line) => ({
          ruleId: 'no-eval',
          message: { text: 'eval can be harmful' },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'src/pay.ts' },
                region: { startLine: line, snippet: { text: `eval(code${line})` } },
              },
            },
          ],
        })),
      },
    ],
  });

/** The findings, vulnerabilities and sbom lines of the example, as written there. */
const candorYml = `gates:
  change:
    - findings: { files: "reports/*.sarif", baseline: reports/baseline.sarif, maxNew: 0, level: error }
    - vulnerabilities: { files: trivy.json, failOn: [critical, high], kev: true }
  release:
    - sbom: { files: sbom.cdx.json, deny: [GPL-3.0-only, AGPL-3.0-only] }
`;

const cleanTrivy = JSON.stringify({
  SchemaVersion: 2,
  ArtifactName: 'app',
  Results: [
    {
      Target: 'package-lock.json',
      Vulnerabilities: [
        { VulnerabilityID: 'CVE-2024-21538', PkgName: 'cross-spawn', Severity: 'LOW' },
      ],
    },
  ],
});

describe('candor gate with the evidence conditions', () => {
  it('passes the change checklist (exit 0) and prints one line per condition', async () => {
    const root = await scratchRepository({
      'candor.yml': candorYml,
      'reports/baseline.sarif': sarif([3]),
      'reports/eslint.sarif': sarif([3]),
      'trivy.json': cleanTrivy,
    });
    const result = await runCliInProcess(['gate', 'change', '--no-record'], { cwd: root });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'no new finding at error or above (1 finding matched the baseline)',
    );
    expect(result.stdout).toContain('KEV catalog 2025.08.25-sample (the bundled sample)');
  });

  it('blocks the change checklist (exit 1) with the issue’s JSON fields', async () => {
    const root = await scratchRepository({
      'candor.yml': candorYml,
      'reports/baseline.sarif': sarif([3]),
      'reports/eslint.sarif': sarif([3, 8]),
      'trivy.json': fixture('trivy/__fixtures__/alpine-image.json'),
    });
    const result = await runCliInProcess(['gate', 'change', '--json', '--no-record'], {
      cwd: root,
    });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ checklist: 'change', result: 'fail' });
    expect(
      json.conditions.map((c: Record<string, unknown>) => [
        c['kind'],
        c['result'],
        c['value'],
        c['threshold'],
        c['evidence'],
      ]),
    ).toEqual([
      ['findings', 'fail', 1, 0, ['reports/eslint.sarif', 'reports/baseline.sarif']],
      ['vulnerabilities', 'fail', 3, '0 critical/high or known exploited', ['trivy.json']],
    ]);
    for (const condition of json.conditions)
      expect(Object.keys(condition)).toEqual(
        expect.arrayContaining([
          'name',
          'kind',
          'result',
          'value',
          'threshold',
          'evidence',
          'message',
        ]),
      );
  });

  it('blocks the release checklist on a denied licence, and says "no evidence" without the SBOM', async () => {
    const root = await scratchRepository({
      'candor.yml': candorYml,
      'sbom.cdx.json': fixture('cyclonedx/__fixtures__/shop-api.cdx.json'),
    });
    const blocked = await runCliInProcess(['gate', 'release', '--json', '--no-record'], {
      cwd: root,
    });
    expect(blocked.code).toBe(1);
    expect(JSON.parse(blocked.stdout).conditions[0].message).toMatch(
      /^1 component of 6 with a denied licence: ghostscript-js@9\.0\.0 \(AGPL-3\.0-only is denied\)/,
    );
    const empty = await scratchRepository({ 'candor.yml': candorYml });
    const none = await runCliInProcess(['gate', 'release', '--json', '--no-record'], {
      cwd: empty,
    });
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout).conditions[0]).toMatchObject({
      result: 'fail',
      message: 'no evidence: an SBOM (CycloneDX or SPDX JSON) at sbom.cdx.json',
    });
  });

  it('refuses a misspelt option of a condition with exit 2 and its place', async () => {
    const root = await scratchRepository({ 'candor.yml': candorYml.replace('failOn', 'failon') });
    const result = await runCliInProcess(['gate', 'change', '--no-record'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/candor\.yml:4:\d+: .*"failon".*did you mean "failOn"/);
  });
});

describe('the README section of the evidence conditions', () => {
  it('holds the issue’s lines, which candor config check accepts', async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Evidence gate conditions'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(yaml).toContain(
      '- vulnerabilities: { files: trivy.json, failOn: [critical, high], kev: true }',
    );
    const root = await scratchRepository({ 'candor.yml': yaml });
    expect(await runCliInProcess(['config', 'check'], { cwd: root })).toMatchObject({
      code: 0,
      stdout: 'candor.yml: valid\n',
    });
  });
});
