import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRun } from './resolve-run.ts';

const merge = 'a'.repeat(40);
const head = 'b'.repeat(40);

describe('resolveRun on a GitHub pull request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-resolve-run-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const event = join(dir, 'event.json');
  // The shape of GitHub's pull_request event payload (the fields read here).
  writeFileSync(
    event,
    JSON.stringify({
      action: 'synchronize',
      number: 7,
      pull_request: { head: { sha: head, ref: 'feature' }, base: { sha: 'c'.repeat(40) } },
    }),
  );
  const env = (more: Record<string, string>) => ({
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: merge,
    GITHUB_HEAD_REF: 'feature',
    GITHUB_EVENT_PATH: event,
    ...more,
  });
  const resolve = (vars: Record<string, string>, flags = {}) =>
    resolveRun({ flags, env: env(vars), now: '2026-12-02T00:00:00.000Z' });

  it('records the head commit, not the merge commit GITHUB_SHA names', async () => {
    expect((await resolve({ GITHUB_EVENT_NAME: 'pull_request' })).commitSha).toBe(head);
    expect((await resolve({ GITHUB_EVENT_NAME: 'pull_request_target' })).commitSha).toBe(head);
  });

  it('keeps GITHUB_SHA on a push, when the payload cannot be read, and under --commit', async () => {
    expect((await resolve({ GITHUB_EVENT_NAME: 'push' })).commitSha).toBe(merge);
    expect(
      (
        await resolve({
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: join(dir, 'missing.json'),
        })
      ).commitSha,
    ).toBe(merge);
    writeFileSync(join(dir, 'garbage.json'), '{not json');
    expect(
      (
        await resolve({
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: join(dir, 'garbage.json'),
        })
      ).commitSha,
    ).toBe(merge);
    expect(
      (await resolve({ GITHUB_EVENT_NAME: 'pull_request' }, { commitSha: 'd'.repeat(40) }))
        .commitSha,
    ).toBe('d'.repeat(40));
  });
});
