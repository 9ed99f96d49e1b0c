import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FindingsLog } from '../../../core/evidence/finding.ts';
import { runEvidenceReaderConformance } from '../evidence-reader-conformance.ts';
import { readEvidence } from '../evidence-readers.ts';
import { sarifReader, streamSarif } from './sarif-reader.ts';

function log(runs: unknown[], version = '2.1.0'): string {
  return JSON.stringify(
    { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version, runs },
    null,
    2,
  );
}

const tool = {
  driver: {
    name: 'ESLint',
    rules: [
      { id: 'no-eval', defaultConfiguration: { level: 'error' } },
      { id: 'no-unused-vars', messageStrings: { unused: { text: 'x is never used' } } },
    ],
  },
};

function result(i: number): Record<string, unknown> {
  return {
    ruleId: i % 2 === 0 ? 'no-eval' : 'no-unused-vars',
    message: { text: `m${i}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: `src/f${i}.ts` },
          region: { startLine: i + 1, snippet: { text: `  eval(x${i})\n` } },
        },
      },
    ],
  };
}

const document = (count: number) =>
  log([{ tool, results: Array.from({ length: count }, (_, i) => result(i)) }]);

async function read(text: string): Promise<FindingsLog> {
  const outcome = await readEvidence('findings', async function* () {
    yield Buffer.from(text);
  });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.value;
}

runEvidenceReaderConformance({
  reader: sarifReader,
  samples: {
    document,
    count: (model) => model.runs.reduce((sum, run) => sum + run.findings.length, 0),
    wrongVersion: log([{ tool, results: [] }], '2.0.0'),
  },
});

describe('sarifReader', () => {
  it('reads what ESLint 9 writes with @microsoft/eslint-formatter-sarif (levels on the results, absolute URIs)', async () => {
    const text = readFileSync(
      new URL('__fixtures__/producers/eslint-9.sarif', import.meta.url),
      'utf8',
    );
    const { runs } = await read(text);
    expect(runs.map((run) => [run.tool, run.didRun, run.suppressed])).toEqual([
      ['ESLint', true, 0],
    ]);
    expect(runs[0]?.findings).toEqual([
      {
        ruleId: 'no-unused-vars',
        level: 'error',
        uri: 'file:///repo/src/cart.js',
        startLine: 2,
        message: "'debug' is assigned a value but never used.",
        fingerprints: [],
      },
      {
        ruleId: 'no-unused-vars',
        level: 'error',
        uri: 'file:///repo/src/cart.js',
        startLine: 3,
        message: "'unused' is assigned a value but never used.",
        fingerprints: [],
      },
      {
        ruleId: 'eqeqeq',
        level: 'warning',
        uri: 'file:///repo/src/cart.js',
        startLine: 6,
        message: "Expected '===' and instead saw '=='.",
        fingerprints: [],
      },
    ]);
  });

  it('resolves levels, keeps locations, fingerprints and collapsed snippets', async () => {
    const read1 = await read(
      log([
        {
          tool,
          results: [
            { ...result(0), partialFingerprints: { primaryLocationLineHash: 'abc:1' } },
            result(1),
            { ...result(3), level: 'note' },
          ],
        },
      ]),
    );
    expect(read1.runs[0]?.findings).toEqual([
      {
        ruleId: 'no-eval',
        level: 'error',
        uri: 'src/f0.ts',
        startLine: 1,
        message: 'm0',
        fingerprints: ['primaryLocationLineHash=abc:1'],
        snippet: 'eval(x0)',
      },
      expect.objectContaining({ ruleId: 'no-unused-vars', level: 'warning' }),
      expect.objectContaining({ level: 'note' }),
    ]);
  });

  it('says a run with results absent or null did not run, and one with [] did', async () => {
    const { runs } = await read(log([{ tool }, { tool, results: null }, { tool, results: [] }]));
    expect(runs.map((run) => run.didRun)).toEqual([false, false, true]);
  });

  it('leaves out results whose suppressions are accepted, keeps those under review', async () => {
    const { runs } = await read(
      log([
        {
          tool,
          results: [
            { ...result(0), suppressions: [{ kind: 'inSource' }] },
            { ...result(2), suppressions: [{ kind: 'external', status: 'accepted' }] },
            { ...result(4), suppressions: [{ kind: 'external', status: 'underReview' }] },
            { ...result(6), suppressions: [{ kind: 'inSource', status: 'rejected' }] },
            { ...result(8), suppressions: [] },
          ],
        },
      ]),
    );
    expect(runs[0]?.findings.map((f) => f.message)).toEqual(['m4', 'm6', 'm8']);
    expect(runs[0]?.suppressed).toBe(2);
  });

  it('resolves levels when the results come before the tool, and rules of extensions', async () => {
    const text = JSON.stringify({
      version: '2.1.0',
      runs: [
        {
          results: [
            { rule: { id: 'js/sqli', toolComponent: { index: 0 } }, message: { text: 'q' } },
            { ruleId: 'no-unused-vars', message: { id: 'unused' } },
            { ruleId: 'no-eval', kind: 'pass', message: { text: 'ok' } },
          ],
          tool: {
            ...tool,
            extensions: [
              {
                name: 'codeql/js',
                rules: [{ id: 'js/sqli', defaultConfiguration: { level: 'error' } }],
              },
            ],
          },
        },
      ],
    });
    const { runs } = await read(text);
    expect(runs[0]?.findings.map((f) => [f.ruleId, f.level, f.message])).toEqual([
      ['js/sqli', 'error', 'q'],
      ['no-unused-vars', 'warning', 'x is never used'],
      ['no-eval', 'none', 'ok'],
    ]);
  });

  it('applies rule configuration overrides of an invocation', async () => {
    const { runs } = await read(
      log([
        {
          tool,
          invocations: [
            {
              executionSuccessful: true,
              ruleConfigurationOverrides: [
                { descriptor: { id: 'no-eval' }, configuration: { level: 'note' } },
              ],
            },
          ],
          results: [result(0)],
        },
      ]),
    );
    expect(runs[0]?.findings[0]?.level).toBe('note');
  });

  it('streams findings as they are read and resolves levels of overrides that come after the results', async () => {
    const seen: string[] = [];
    const outcome = await streamSarif(
      (async function* () {
        yield JSON.stringify({
          version: '2.1.0',
          runs: [
            {
              tool,
              results: [result(0), { ...result(2), level: 'warning' }, result(1)],
              invocations: [
                {
                  ruleConfigurationOverrides: [
                    { descriptor: { id: 'no-eval' }, configuration: { level: 'note' } },
                  ],
                },
              ],
            },
          ],
        });
      })(),
      (finding, run, toolName) =>
        seen.push(`${run} ${toolName} ${finding.message} ${finding.levelKey}`),
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(seen.map((s) => s.split(' ').slice(0, 3).join(' '))).toEqual([
      '0 ESLint m0',
      '0 ESLint m2',
      '0 ESLint m1',
    ]);
    const levels = seen.map((s) => outcome.value[0]?.levelOf(s.split(' ').slice(3).join(' ')));
    expect(levels).toEqual(['note', 'warning', 'warning']);
  });

  it.each([
    ['no version', JSON.stringify({ runs: [] }), 'version: required'],
    ['no runs', JSON.stringify({ version: '2.1.0' }), 'runs: required'],
    ['runs not an array', JSON.stringify({ version: '2.1.0', runs: {} }), 'runs: expected array'],
    ['a run without a tool', log([{ results: [] }]), 'runs[0].tool: required'],
    [
      'a result without a message',
      log([{ tool, results: [{ ruleId: 'x' }] }]),
      'runs[0].results[0].message',
    ],
    ['results an object', log([{ tool, results: {} }]), 'runs[0].results: expected array or null'],
  ])('refuses %s with the JSON path', async (_name, text, message) => {
    const outcome = await sarifReader.read(
      (async function* () {
        yield text;
      })(),
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors[0]?.message).toContain(message);
  });

  it('locates a syntax error by line and column', async () => {
    const outcome = await sarifReader.read(
      (async function* () {
        yield '{\n  "version": "2.1.0",\n  "runs": [}\n';
      })(),
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors[0]).toMatchObject({ line: 3, column: 12 });
  });
});
