import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { DoraQuery, SplitQuery } from '../contracts/queries.ts';
import type { CliContext } from './cli-context.ts';
import { addDoraOptions, addFlakyAnalysisOptions, flakyQueryOf, parseOptions } from './options.ts';

const context = (env: Record<string, string>): CliContext => ({
  cwd: '/nonexistent',
  env,
  stdout: { write: () => true },
  stderr: { write: () => true },
  now: () => new Date('2026-03-10T12:00:00.000Z'),
});

/** The options commander gives an action for these arguments. */
function parse(add: (command: Command) => Command, args: string[]): Record<string, unknown> {
  const command = add(new Command('x')).exitOverride();
  command.parse(args, { from: 'user' });
  return command.opts();
}

describe('cli/options', () => {
  it('gives the contract defaults to commander, so flags and queries agree', () => {
    expect(parseOptions(DoraQuery, parse(addDoraOptions, []))).toEqual(DoraQuery.parse({}));
    expect(parse(addFlakyAnalysisOptions, [])).toMatchObject({
      window: '14d',
      max: '0.5%',
      minExecutions: '10',
    });
  });

  it('names the flag of a bad value, as a usage error', () => {
    const options = parse(addDoraOptions, ['--incident-window', 'a while']);
    expect(() => parseOptions(DoraQuery, options)).toThrow(
      expect.objectContaining({
        code: 'usage',
        message: '--incident-window: expected a window such as 14d, 12h, 2w or 90m, got "a while"',
      }),
    );
    expect(() => parseOptions(SplitQuery, { shards: '0' })).toThrow(
      '--shards: expected a positive integer, got "0"',
    );
  });

  it('takes the default branch from the flag, then CANDOR_DEFAULT_BRANCH, then main', () => {
    const options = parse(addFlakyAnalysisOptions, []);
    expect(flakyQueryOf(context({}), options).defaultBranch).toBe('main');
    expect(flakyQueryOf(context({ CANDOR_DEFAULT_BRANCH: 'trunk' }), options).defaultBranch).toBe(
      'trunk',
    );
    expect(
      flakyQueryOf(context({ CANDOR_DEFAULT_BRANCH: 'trunk' }), {
        ...options,
        defaultBranch: 'dev',
      }),
    ).toMatchObject({ defaultBranch: 'dev', now: new Date('2026-03-10T12:00:00.000Z') });
  });
});
