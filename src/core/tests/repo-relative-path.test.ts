import { describe, expect, it } from 'vitest';
import { repoRelativePath, trackedFileOf } from './repo-relative-path.ts';

describe('repoRelativePath', () => {
  it.each([
    ['/srv/shop/tests/cart.test.js', ['/srv/shop'], 'tests/cart.test.js'],
    ['/srv/shop/tests/cart.test.js', ['/srv/shop/'], 'tests/cart.test.js'],
    ['/srv/shopping/tests/cart.test.js', ['/srv/shop'], '/srv/shopping/tests/cart.test.js'],
    ['/home/runner/work/shop/shop/tests/cart.test.js', [], 'tests/cart.test.js'],
    ['/__w/shop/shop/tests/cart.test.js', [], 'tests/cart.test.js'],
    ['D:\\a\\shop\\shop\\tests\\cart.test.js', [], 'tests/cart.test.js'],
    ['/builds/acme/shop/tests/cart.test.js', [], 'tests/cart.test.js'],
    ['/var/lib/jenkins/workspace/shop@2/tests/cart.test.js', [], 'tests/cart.test.js'],
    ['/home/jenkins/agent/workspace/shop/tests/cart.test.js', [], 'tests/cart.test.js'],
    [
      '/var/lib/buildkite-agent/builds/agent-1/acme/shop/tests/cart.test.js',
      [],
      'tests/cart.test.js',
    ],
    ['/home/circleci/project/tests/cart.test.js', [], 'tests/cart.test.js'],
    ['file:///home/runner/work/shop/shop/tests/my%20cart.test.js', [], 'tests/my cart.test.js'],
    ['./tests/cart.test.js', [], 'tests/cart.test.js'],
    ['tests/cart.test.js', ['/srv/shop'], 'tests/cart.test.js'],
    ['/elsewhere/cart.test.js', ['/srv/shop'], '/elsewhere/cart.test.js'],
  ])('makes %s relative with roots %j: %s', (path, roots, expected) => {
    expect(repoRelativePath(path, roots)).toBe(expected);
  });

  it('prefers a known root to a CI pattern', () => {
    expect(
      repoRelativePath('/builds/acme/group/shop/tests/a.test.js', ['/builds/acme/group/shop']),
    ).toBe('tests/a.test.js');
  });
});

describe('trackedFileOf', () => {
  const files = [
    'e2e/checkout.spec.ts',
    'e2e/cart.spec.ts',
    'web/e2e/cart.spec.ts',
    'tests/a.test.ts',
  ];
  const tracked = {
    has: (path: string) => files.includes(path),
    endingWith: (path: string) => files.filter((f) => f.endsWith(`/${path}`)),
  };
  it.each([
    ['checkout.spec.ts', 'e2e/checkout.spec.ts'],
    ['cart.spec.ts', undefined],
    ['tests/a.test.ts', undefined],
    ['missing.spec.ts', undefined],
    ['cart adds', undefined],
    ['math.Add', undefined],
  ])('maps %s to %s', (path, expected) => {
    expect(trackedFileOf(path, tracked)).toBe(expected);
  });
});
