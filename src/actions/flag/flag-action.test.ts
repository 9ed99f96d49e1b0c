import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHttpReceiver } from '../../testing/http-receiver.ts';
import {
  conformanceContext,
  runRollbackActionConformance,
} from '../rollback-action-conformance.ts';
import { RollbackActionConfig, runRollbackAction } from '../rollback-actions.ts';
import { flagAction } from './flag-action.ts';

/** A flagd flag file in the shape of flagd's documentation (flags.<key>.state/variants/defaultVariant/targeting). */
function flagdFile(flags: Record<string, unknown>): string {
  return `${JSON.stringify({ $schema: 'https://flagd.dev/schema/v0/flags.json', flags }, null, 2)}\n`;
}
const newCheckout = {
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: 'on',
  targeting: { if: [{ '==': [{ var: 'region' }, 'eu'] }, 'on', 'off'] },
};

runRollbackActionConformance({
  action: flagAction,
  samples: async (dir) => {
    writeFileSync(join(dir, 'flags.json'), flagdFile({ 'new-checkout': newCheckout }));
    const unleash = await startHttpReceiver((request) => ({
      status: 200,
      body: `token ${request.headers.authorization}`,
    }));
    return {
      working: { kind: 'flag', provider: 'flagd', file: 'flags.json', flag: 'new-checkout' },
      failing: { kind: 'flag', provider: 'flagd', file: 'flags.json', flag: 'no-such-flag' },
      secret: {
        config: {
          kind: 'flag',
          provider: 'unleash',
          url: unleash.url,
          flag: 'new-checkout',
          tokenEnv: 'UNLEASH_TOKEN',
        },
        name: 'UNLEASH_TOKEN',
        value: '*:production.s3cr3t',
      },
      hasRun: () =>
        (
          JSON.parse(readFileSync(join(dir, 'flags.json'), 'utf8')) as {
            flags: Record<string, { defaultVariant: string }>;
          }
        ).flags['new-checkout']!.defaultVariant === 'off',
      close: () => unleash.close(),
    };
  },
});

describe('the flag action', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-flag-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (config: Record<string, unknown>, env: Record<string, string> = {}) =>
    await runRollbackAction(
      RollbackActionConfig.parse({ kind: 'flag', ...config }),
      conformanceContext(dir, env),
      new AbortController().signal,
    );

  it('sets the off variant as default, drops targeting, keeps the other flags, leaves no temporary file', async () => {
    const other = { state: 'ENABLED', variants: { a: 'x', b: 'y' }, defaultVariant: 'a' };
    writeFileSync(join(dir, 'f.json'), flagdFile({ 'new-checkout': newCheckout, other }));
    const outcome = await run({ provider: 'flagd', file: 'f.json', flag: 'new-checkout' });
    expect(outcome).toMatchObject({
      result: 'success',
      message: 'f.json: flag "new-checkout" defaultVariant on → off, targeting dropped',
    });
    const written = JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8')) as {
      $schema: string;
      flags: Record<string, unknown>;
    };
    expect(written.$schema).toBe('https://flagd.dev/schema/v0/flags.json');
    expect(written.flags['new-checkout']).toEqual({
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
    });
    expect(written.flags['other']).toEqual(other);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('edits a YAML flag file in place, comments kept', async () => {
    writeFileSync(
      join(dir, 'f.yaml'),
      [
        '# owned by @payments',
        'flags:',
        '  ai-pricing:',
        '    state: ENABLED',
        '    variants: { enabled: true, disabled: false }',
        '    defaultVariant: enabled # launched 2026-11',
        '    targeting: { fractional: [["enabled", 50], ["disabled", 50]] }',
        '',
      ].join('\n'),
    );
    const outcome = await run({ provider: 'flagd', file: 'f.yaml', flag: 'ai-pricing' });
    expect(outcome.result).toBe('success');
    const text = readFileSync(join(dir, 'f.yaml'), 'utf8');
    expect(text).toContain('# owned by @payments');
    expect(text).toMatch(/defaultVariant: disabled/);
    expect(text).not.toContain('targeting');
  });

  it('asks for offVariant when no variant is plainly off, and checks a given one exists', async () => {
    writeFileSync(
      join(dir, 'g.json'),
      flagdFile({
        color: { state: 'ENABLED', variants: { red: 'r', blue: 'b' }, defaultVariant: 'red' },
      }),
    );
    expect((await run({ provider: 'flagd', file: 'g.json', flag: 'color' })).message).toContain(
      'set offVariant',
    );
    expect(
      (await run({ provider: 'flagd', file: 'g.json', flag: 'color', offVariant: 'green' }))
        .message,
    ).toContain('no variant "green" (it has red, blue)');
    expect(
      (await run({ provider: 'flagd', file: 'g.json', flag: 'color', offVariant: 'blue' })).result,
    ).toBe('success');
  });

  it('fails, not throws, on a file that is not there or not a flag file', async () => {
    expect((await run({ provider: 'flagd', file: 'missing.json', flag: 'x' })).message).toMatch(
      /^cannot read missing.json/,
    );
    writeFileSync(join(dir, 'bad.json'), '{"flags": ');
    expect((await run({ provider: 'flagd', file: 'bad.json', flag: 'x' })).result).toBe('failure');
  });

  it('disables the flag in the environment through the Unleash admin API', async () => {
    const unleash = await startHttpReceiver(() => ({ status: 200 }));
    try {
      const outcome = await run(
        {
          provider: 'unleash',
          url: `${unleash.url}/unleash`,
          project: 'shop',
          flag: 'new checkout',
          tokenEnv: 'UNLEASH_TOKEN',
        },
        { UNLEASH_TOKEN: 'admin-token' },
      );
      expect(outcome.result).toBe('success');
      expect(unleash.requests[0]).toMatchObject({
        method: 'POST',
        path: '/unleash/api/admin/projects/shop/features/new%20checkout/environments/production/off',
      });
      expect(unleash.requests[0]!.headers.authorization).toBe('admin-token');
    } finally {
      await unleash.close();
    }
  });
});
