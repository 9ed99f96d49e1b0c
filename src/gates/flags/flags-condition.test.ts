import { describe, expect, it } from 'vitest';
import { evaluateChecklist } from '../../app/gates/evaluate-checklist.ts';
import { runEvidenceCondition, scratchRepository } from '../../testing/evidence-gate.ts';
import { fakeGateContext } from '../../testing/fake-gate-context.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import { FlagsOptions, flagsCondition } from './flags-condition.ts';

const at = 'flags/app.flagd.json';
const file = (flags: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ $schema: 'https://flagd.dev/schema/v0/flags.json', flags, ...extra }, null, 2);
const toggle = (defaultVariant: 'on' | 'off', more: Record<string, unknown> = {}) => ({
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant,
  ...more,
});
const context = (flags: Record<string, unknown>, extra?: Record<string, unknown>) =>
  fakeGateContext({ files: { [at]: file(flags, extra) } });

runGateConditionConformance({
  condition: flagsCondition,
  samples: {
    pass: {
      options: { files: 'flags/*.json', risky: ['new-checkout'] },
      context: context({ 'new-checkout': toggle('off'), 'dark-mode': toggle('on') }),
      result: 'pass',
    },
    fail: {
      options: { files: at },
      context: context({ 'new-checkout': toggle('on', { metadata: { risky: true } }) }),
      result: 'fail',
    },
    warn: {
      options: { files: at, risky: 'new-*' },
      context: context({
        'new-checkout': toggle('off', {
          targeting: { if: [{ ends_with: [{ var: 'email' }, '@acme.com'] }, 'on', null] },
        }),
      }),
      result: 'warn',
    },
  },
});

const decide = async (
  flags: Record<string, unknown>,
  options: Record<string, unknown>,
  extra?: Record<string, unknown>,
) => {
  const parsed = FlagsOptions.parse({ files: at, ...options });
  const evidence = await flagsCondition.gather(parsed, context(flags, extra));
  if (evidence.kind !== 'found') return evidence;
  return flagsCondition.evaluate(evidence.value, parsed, new Date('2026-12-02T12:00:00Z'));
};

describe('flagsCondition', () => {
  it('fails a risky flag whose default variant is on, naming it', async () => {
    expect(
      await decide(
        { 'new-checkout': toggle('on'), 'payments-v2': toggle('off') },
        { risky: ['new-checkout', 'payments-*'] },
      ),
    ).toMatchObject({
      result: 'fail',
      value: '1 of 2 risky flags not off',
      threshold: 'off',
      message: 'new-checkout is on (defaultVariant "on" is on)',
      locations: [{ file: at, message: 'flag new-checkout: defaultVariant "on" is on' }],
    });
  });

  it('fails a flag whose default is off but whose targeting turns it on for the empty context', async () => {
    expect(
      await decide(
        { beta: toggle('off', { targeting: { if: [{ '!': { var: 'email' } }, 'on', 'off'] } }) },
        { risky: 'beta' },
      ),
    ).toMatchObject({
      result: 'fail',
      message: 'beta is on (targeting returns "on" for the empty context)',
    });
  });

  it('resolves through $evaluators and given contexts', async () => {
    const flags = {
      beta: toggle('off', { targeting: { if: [{ $ref: 'staff' }, 'on', null] } }),
    };
    const evaluators = { $evaluators: { staff: { in: ['@acme.com', { var: 'email' }] } } };
    expect(
      await decide(flags, { risky: 'beta', contexts: [{}, { email: 'a@acme.com' }] }, evaluators),
    ).toMatchObject({
      result: 'fail',
      message: 'beta is on (targeting returns "on" for context 2)',
    });
    expect(await decide(flags, { risky: 'beta', targeted: 'pass' }, evaluators)).toMatchObject({
      result: 'pass',
      message: '1 risky flag off by default (beta), 1 targeted (allowed)',
    });
    expect(await decide(flags, { risky: 'beta', targeted: 'fail' }, evaluators)).toMatchObject({
      result: 'fail',
    });
  });

  it('reads off per type: an empty string, 0, a variant named off; a disabled flag is off', async () => {
    expect(
      await decide(
        {
          banner: { variants: { none: '', big: 'big' }, defaultVariant: 'none' },
          limit: { variants: { zero: 0, ten: 10 }, defaultVariant: 'zero' },
          theme: { variants: { off: 'classic', new: 'new' }, defaultVariant: 'off' },
          legacy: { state: 'DISABLED', variants: { on: true }, defaultVariant: 'on' },
        },
        { risky: '*' },
      ),
    ).toMatchObject({ result: 'pass', value: '0 of 4 risky flags not off' });
  });

  it('fails a risky flag named exactly that no file holds', async () => {
    expect(
      await decide({ other: toggle('off') }, { risky: ['other', 'new-checkout'] }),
    ).toMatchObject({
      result: 'fail',
      message: 'new-checkout is in no flag file',
    });
  });

  it('is no evidence without files or without a risky flag, never a pass', async () => {
    expect(await decide({ a: toggle('on') }, {})).toMatchObject({
      kind: 'missing',
      expected: `risky flags (metadata.risky: true) in ${at}`,
    });
    expect(
      await flagsCondition.gather(FlagsOptions.parse({ files: 'none.json' }), fakeGateContext()),
    ).toMatchObject({ kind: 'missing', expected: 'flagd flag files at none.json' });
  });

  it('reads YAML flag files from disk, and names the line of a bad one', async () => {
    const root = await scratchRepository({
      'flags.yaml': [
        'flags:',
        '  new-checkout:',
        '    state: ENABLED',
        '    variants: { on: true, off: false }',
        '    defaultVariant: "off"',
        '    metadata: { risky: true }',
        '',
      ].join('\n'),
      'bad.yaml': 'flags:\n  x:\n    variants: 3\n',
    });
    expect(await runEvidenceCondition(flagsCondition, { files: 'flags.yaml' }, root)).toMatchObject(
      { result: 'pass' },
    );
    expect(await runEvidenceCondition(flagsCondition, { files: 'bad.yaml' }, root)).toMatchObject({
      kind: 'invalid',
      problems: [{ file: 'bad.yaml', line: 3, path: 'flags.x.variants' }],
    });
  });

  it('warns instead of failing with enforce: warn', async () => {
    const result = await evaluateChecklist(
      'release',
      [
        {
          kind: 'flags',
          name: undefined,
          enforce: 'warn',
          options: FlagsOptions.parse({ files: at, risky: 'a' }),
        },
      ],
      context({ a: toggle('on') }),
    );
    expect(result).toMatchObject({ result: 'warn', conditions: [{ result: 'warn' }] });
  });
});
