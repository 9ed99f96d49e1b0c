import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runEvidenceCondition, scratchRepository } from '../../testing/evidence-gate.ts';
import { findingsCondition } from './findings-condition.ts';
import { describeEnforceWarn } from '../../testing/run-enforced-entry.ts';
import {
  runGateConditionConformance,
  type GateConditionSample,
} from '../gate-condition-conformance.ts';
import { evidenceContext, scratchRepositorySync } from '../../testing/evidence-gate.ts';

const tool = {
  driver: {
    name: 'ESLint',
    rules: [{ id: 'no-eval', defaultConfiguration: { level: 'error' } }, { id: 'no-console' }],
  },
};
const result = (rule: string, file: string, line: number, snippet: string) => ({
  ruleId: rule,
  message: { text: `${rule} here` },
  locations: [
    {
      physicalLocation: {
        artifactLocation: { uri: file },
        region: { startLine: line, snippet: { text: snippet } },
      },
    },
  ],
});
const sarif = (results: unknown[] | null | undefined) =>
  JSON.stringify(
    { version: '2.1.0', runs: [{ tool, ...(results === undefined ? {} : { results }) }] },
    null,
    2,
  );

const baseline = sarif([
  result('no-eval', 'src/a.ts', 3, 'eval(x)'),
  result('no-console', 'src/a.ts', 9, 'console.log(1)'),
]);
const options = {
  files: 'reports/*.sarif',
  baseline: 'reports/baseline.sarif',
  maxNew: 0,
  level: 'error',
};

const failing = {
  options,
  context: evidenceContext(
    scratchRepositorySync({
      'reports/baseline.sarif': baseline,
      'reports/eslint.sarif': sarif([result('no-eval', 'src/n.ts', 1, 'eval(n)')]),
    }),
  ),
  result: 'fail',
} satisfies GateConditionSample;

runGateConditionConformance({
  condition: findingsCondition,
  samples: {
    pass: {
      options,
      context: evidenceContext(
        scratchRepositorySync({
          'reports/baseline.sarif': baseline,
          'reports/eslint.sarif': baseline,
        }),
      ),
      result: 'pass',
    },
    fail: failing,
  },
});

const eslint = (name: string) =>
  readFileSync(
    new URL(`../../readers/evidence/sarif/__fixtures__/producers/${name}`, import.meta.url),
    'utf8',
  );

describe('findingsCondition', () => {
  it('counts the one finding ESLint 9 added since its baseline (the two others moved a line down; file:// URIs under the root made relative)', async () => {
    // Written in a scratch project whose path was replaced by /repo: put back as this root.
    const root = await scratchRepository({});
    const reports: [string, string][] = [
      ['baseline.sarif', 'eslint-9-baseline.sarif'],
      ['eslint.sarif', 'eslint-9.sarif'],
    ];
    for (const [to, from] of reports) {
      mkdirSync(join(root, 'reports'), { recursive: true });
      const text = eslint(from).replaceAll('file:///repo/', `${pathToFileURL(root).href}/`);
      writeFileSync(join(root, 'reports', to), text);
    }
    expect(await runEvidenceCondition(findingsCondition, options, root)).toMatchObject({
      result: 'fail',
      value: 1,
      threshold: 0,
      message:
        '1 new finding at error or above (at most 0): no-unused-vars at src/cart.js:2; 2 findings matched the baseline',
      locations: [
        {
          file: 'src/cart.js',
          line: 2,
          message: "no-unused-vars (error, new): 'debug' is assigned a value but never used.",
        },
      ],
    });
    expect(
      await runEvidenceCondition(findingsCondition, { ...options, level: 'warning' }, root),
    ).toMatchObject({ result: 'fail', value: 1 });
  });

  it('passes when the only findings are in the baseline (lines moved), leaving the baseline out of files', async () => {
    const root = await scratchRepository({
      'reports/baseline.sarif': baseline,
      'reports/eslint.sarif': sarif([
        result('no-eval', 'src/a.ts', 13, 'eval(x)'),
        result('no-console', 'src/b.ts', 1, 'console.log(2)'),
      ]),
    });
    expect(await runEvidenceCondition(findingsCondition, options, root)).toMatchObject({
      result: 'pass',
      value: 0,
      threshold: 0,
      message:
        'no new finding at error or above (1 finding matched the baseline; 1 new below error)',
    });
  });

  it('fails on a new error with its location', async () => {
    const root = await scratchRepository({
      'reports/baseline.sarif': baseline,
      'reports/eslint.sarif': sarif([
        result('no-eval', 'src/a.ts', 3, 'eval(x)'),
        result('no-eval', 'src/pay.ts', 7, 'eval(y)'),
      ]),
    });
    const verdict = await runEvidenceCondition(findingsCondition, options, root);
    expect(verdict).toMatchObject({
      result: 'fail',
      value: 1,
      message: expect.stringMatching(
        /^1 new finding at error or above \(at most 0\): no-eval at src\/pay\.ts:7/,
      ),
      locations: [{ file: 'src/pay.ts', line: 7, message: 'no-eval (error, new): no-eval here' }],
    });
  });

  it('counts every new finding but lists the first 50 (locations and message)', async () => {
    const root = await scratchRepository({
      'reports/baseline.sarif': baseline,
      'reports/eslint.sarif': sarif(
        Array.from({ length: 120 }, (_, i) => result('no-eval', 'src/n.ts', i + 1, `eval(${i})`)),
      ),
    });
    const verdict = await runEvidenceCondition(findingsCondition, options, root);
    expect(verdict).toMatchObject({
      result: 'fail',
      value: 120,
      message: expect.stringContaining('; the first 50 listed') as string,
    });
    const locations = 'locations' in verdict ? (verdict.locations ?? []) : [];
    expect(locations.map((l) => l.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('allows maxNew new findings', async () => {
    const root = await scratchRepository({
      'reports/baseline.sarif': sarif([]),
      'reports/eslint.sarif': sarif([result('no-eval', 'src/a.ts', 3, 'eval(x)')]),
    });
    expect(
      await runEvidenceCondition(findingsCondition, { ...options, maxNew: 1 }, root),
    ).toMatchObject({ result: 'pass', value: 1 });
  });

  it.each([
    ['absent', undefined],
    ['null', null],
  ])('fails when results are %s: the tool did not run', async (_name, results) => {
    const root = await scratchRepository({
      'reports/baseline.sarif': baseline,
      'reports/codeql.sarif': sarif(results),
    });
    expect(await runEvidenceCondition(findingsCondition, options, root)).toMatchObject({
      result: 'fail',
      message: expect.stringMatching(
        /^the tool did not run: ESLint in reports\/codeql\.sarif \(run 0\)/,
      ),
    });
  });

  it('has no evidence without SARIF files, or without the baseline it names', async () => {
    const empty = await scratchRepository({ 'README.md': '#' });
    expect(await runEvidenceCondition(findingsCondition, options, empty)).toMatchObject({
      kind: 'missing',
      expected: 'a baseline SARIF file at reports/baseline.sarif',
    });
    const onlyBaseline = await scratchRepository({ 'reports/baseline.sarif': baseline });
    expect(await runEvidenceCondition(findingsCondition, options, onlyBaseline)).toMatchObject({
      kind: 'missing',
      expected: 'SARIF files at reports/*.sarif',
    });
  });

  it('says which file is invalid and where', async () => {
    const root = await scratchRepository({
      'reports/baseline.sarif': baseline,
      'reports/x.sarif': '{"version": "2.1.0", "runs": [',
    });
    expect(await runEvidenceCondition(findingsCondition, options, root)).toMatchObject({
      kind: 'invalid',
      problems: [{ file: 'reports/x.sarif', line: 1, message: expect.stringMatching(/truncated/) }],
    });
  });

  it('reads a SARIF file in UTF-16 with a byte order mark', async () => {
    const root = await scratchRepository({
      'reports/baseline.sarif': baseline,
      'reports/win.sarif': Buffer.from(
        `\uFEFF${sarif([result('no-eval', 'src/n.ts', 1, 'eval(z)')])}`,
        'utf16le',
      ),
    });
    expect(await runEvidenceCondition(findingsCondition, options, root)).toMatchObject({
      result: 'fail',
      value: 1,
    });
  });

  it('refuses unknown options and levels', () => {
    expect(
      findingsCondition.options.safeParse({ files: 'a.sarif', level: 'critical' }).success,
    ).toBe(false);
    expect(findingsCondition.options.safeParse({ files: 'a.sarif', maxnew: 1 }).success).toBe(
      false,
    );
  });
});

describeEnforceWarn(findingsCondition, failing);
