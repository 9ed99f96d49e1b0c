import { describe, expect, it } from 'vitest';
import { evaluateChecklist } from '../../app/gates/evaluate-checklist.ts';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import { SecretsOptions, secretsCondition } from './secrets-condition.ts';

const now = new Date('2026-12-02T12:00:00Z');
const catalog = (...lines: string[]) => ['version: 1', 'secrets:', ...lines].join('\n') + '\n';
const issueExample = catalog(
  '  - { name: github-app-token, owner: "@platform", expires: 2027-01-15, rotated: 2026-10-15, usedBy: [deploy] }',
);

const decide = async (text: string | undefined, options: Record<string, unknown> = {}) => {
  const parsed = SecretsOptions.parse(options);
  const context = fakeGateContext({
    now,
    files: text === undefined ? {} : { '.candor/secrets.yml': text },
  });
  const evidence = await secretsCondition.gather(parsed, context);
  return evidence.kind === 'found'
    ? secretsCondition.evaluate(evidence.value, parsed, now)
    : evidence;
};

describe('secretsCondition', () => {
  it("passes the issue's catalog 44 days before expiry with warnDays 14", async () => {
    expect(await decide(issueExample, { warnDays: 14 })).toMatchObject({
      result: 'pass',
      value: 44,
      threshold: 14,
    });
  });

  it('warns within warnDays, naming the secret, its owner and its line', async () => {
    expect(await decide(issueExample, { warnDays: 60 })).toMatchObject({
      result: 'warn',
      message:
        '1 secret(s) expire within 60 days: github-app-token on 2027-01-15 (owner @platform)',
      locations: [{ file: '.candor/secrets.yml', line: 3 }],
    });
  });

  it('fails when a secret expired, pointing at its entry', async () => {
    const text = catalog(
      '  - name: ok',
      '    owner: a',
      '    expires: 2030-01-01',
      '  - name: gh-token',
      '    owner: "@platform"',
      '    expires: 2026-11-30',
      '    usedBy: [deploy, clone]',
    );
    expect(await decide(text)).toMatchObject({
      result: 'fail',
      value: -2,
      locations: [
        {
          line: 6,
          message:
            'gh-token (owner @platform) expired on 2026-11-30, 2 day(s) ago; used by deploy, clone',
        },
      ],
    });
  });

  it('treats the day of expiry as not yet expired', async () => {
    expect(
      await decide(catalog('  - { name: a, owner: b, expires: 2026-12-02 }'), { warnDays: 0 }),
    ).toMatchObject({
      result: 'warn',
      value: 0,
    });
  });

  it('looks only at the secrets used by usedBy', async () => {
    const text = catalog(
      '  - { name: old, owner: a, expires: 2020-01-01, usedBy: [docs] }',
      '  - { name: new, owner: a, expires: 2030-01-01, usedBy: [deploy] }',
    );
    expect(await decide(text, { usedBy: 'deploy' })).toMatchObject({ result: 'pass' });
    expect(await decide(text)).toMatchObject({ result: 'fail' });
  });

  it('reports no evidence when the catalog is absent, naming it', async () => {
    expect(await decide(undefined)).toEqual({
      kind: 'missing',
      expected:
        'the secrets catalog .candor/secrets.yml (version: 1, secrets: [{ name, owner, expires }])',
      files: [],
    });
  });

  it.each([
    ['a truncated file', 'version: 1\nsecrets:\n  - { name: a, owner: b, expi', 3],
    ['a wrong version', 'version: 2\nsecrets: []\n', 1],
    ['a date that is no date', catalog('  - { name: a, owner: b, expires: 2027-02-30 }'), 3],
    ['a misspelt key', catalog('  - { name: a, owner: b, expire: 2027-01-01 }'), 3],
  ])('refuses %s as invalid evidence with its line', async (_, text, line) => {
    const evidence = await decide(text);
    expect(evidence).toMatchObject({ kind: 'invalid', files: ['.candor/secrets.yml'] });
    if ('problems' in evidence)
      expect(evidence.problems[0]).toMatchObject({ file: '.candor/secrets.yml', line });
  });

  it('reads a catalog with a BOM and CRLF, and a huge one', async () => {
    expect(await decide(`\uFEFF${issueExample.replace(/\n/g, '\r\n')}`)).toMatchObject({
      result: 'pass',
    });
    const many = catalog(
      ...Array.from(
        { length: 5_000 },
        (_, i) => `  - { name: s${i}, owner: o, expires: 2030-01-01 }`,
      ),
      '  - { name: last, owner: o, expires: 2026-01-01 }',
    );
    expect(await decide(many)).toMatchObject({ result: 'fail', locations: [{ line: 5_003 }] });
  });

  it('fails a checklist once, or warns with enforce: warn', async () => {
    const context = fakeGateContext({
      now,
      files: { '.candor/secrets.yml': catalog('  - { name: a, owner: b, expires: 2020-01-01 }') },
    });
    const options = SecretsOptions.parse({});
    const run = (enforce: 'block' | 'warn') =>
      evaluateChecklist(
        'release',
        [{ kind: 'secrets', name: undefined, enforce, options }],
        context,
      );
    expect((await run('block')).result).toBe('fail');
    expect(await run('warn')).toMatchObject({ result: 'warn', conditions: [{ result: 'warn' }] });
  });
});

runGateConditionConformance({
  condition: secretsCondition,
  samples: {
    pass: {
      options: { catalog: '.candor/secrets.yml', warnDays: 14 },
      context: fakeGateContext({ now, files: { '.candor/secrets.yml': issueExample } }),
      result: 'pass',
    },
    warn: {
      options: { warnDays: 60 },
      context: fakeGateContext({ now, files: { '.candor/secrets.yml': issueExample } }),
      result: 'warn',
    },
    fail: {
      options: {},
      context: fakeGateContext({
        now: new Date('2027-01-16T00:00:00Z'),
        files: { '.candor/secrets.yml': issueExample },
      }),
      result: 'fail',
    },
  },
});
