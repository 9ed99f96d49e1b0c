import { describe, expect, it } from 'vitest';
import { chooseBaseRef } from './choose-base-ref.ts';

const zeros = '0'.repeat(40);

describe('chooseBaseRef', () => {
  it.each([
    [
      { flag: 'release/1.2', env: { GITHUB_BASE_REF: 'main' } },
      { kind: 'ref', ref: 'release/1.2', source: '--base' },
    ],
    [
      { env: { GITHUB_BASE_REF: 'develop' } },
      { kind: 'ref', ref: 'origin/develop', source: 'GITHUB_BASE_REF' },
    ],
    [
      {
        env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push' },
        githubEvent: { before: 'abc123' },
      },
      { kind: 'ref', ref: 'abc123', source: 'the push event before' },
    ],
    [
      { env: { CI_MERGE_REQUEST_DIFF_BASE_SHA: 'def456', CI_COMMIT_BEFORE_SHA: zeros } },
      { kind: 'ref', ref: 'def456', source: 'CI_MERGE_REQUEST_DIFF_BASE_SHA' },
    ],
    [
      { env: { CI_COMMIT_BEFORE_SHA: 'fed789' } },
      { kind: 'ref', ref: 'fed789', source: 'CI_COMMIT_BEFORE_SHA' },
    ],
    [{ env: { GITHUB_BASE_REF: ' ' } }, { kind: 'default' }],
    [{ env: {} }, { kind: 'default' }],
  ])('chooses the base from %j', (options, expected) => {
    expect(chooseBaseRef(options)).toEqual(expected);
  });

  it('says a first push (an all-zero previous commit) has no base', () => {
    expect(chooseBaseRef({ env: { CI_COMMIT_BEFORE_SHA: zeros } })).toEqual({
      kind: 'absent',
      source: 'CI_COMMIT_BEFORE_SHA',
      reason: 'CI_COMMIT_BEFORE_SHA is all zeros: a first push, no previous commit',
    });
    expect(
      chooseBaseRef({
        env: { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push' },
        githubEvent: { before: zeros },
      }).kind,
    ).toBe('absent');
  });
});
