import { describe, expect, it } from 'vitest';
import { repoNameFromRemote } from './repo-name-from-remote.ts';

describe('repoNameFromRemote', () => {
  it.each([
    ['git@github.com:acme/shop.git', 'acme/shop'],
    ['https://github.com/acme/shop.git', 'acme/shop'],
    ['https://user@gitlab.example.com:8443/group/sub/proj', 'group/sub/proj'],
    ['ssh://git@host:2222/acme/shop.git/', 'acme/shop'],
    ['not a url', undefined],
    [undefined, undefined],
  ])('reads %s as %s', (remote, expected) => {
    expect(repoNameFromRemote(remote)).toBe(expected);
  });
});
