import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliBinary } from '../run-cli-binary.ts';

describe('candor event and events import', () => {
  let dir: string;
  const cli = (args: string[], input?: string) =>
    runCliBinary(args, { cwd: dir, ...(input !== undefined ? { input } : {}) });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-events-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records one event from flags, idempotently', async () => {
    const args = [
      'event',
      'deploy_started',
      '--service',
      'api',
      '--environment',
      'production',
      '--commit',
      'abc',
      '--id',
      'deploy-1',
      '--source',
      'gha',
      '--attribute',
      'team=payments',
      '--json',
    ];
    const first = await cli(args);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ accepted: 1, stored: 1, duplicates: 0, errors: [] });
    expect(JSON.parse((await cli(args)).stdout)).toMatchObject({ stored: 0, duplicates: 1 });
  });

  it.each([
    [['event', 'deployed', '--service', 'api']],
    [['event', 'deploy_started']],
    [['event', 'deploy_started', '--service', 'api', '--occurred-at', 'yesterday']],
    [['event', 'deploy_started', '--service', 'api', '--attribute', 'novalue']],
  ])('exits 2 on %j', async (args) => {
    expect((await cli(args)).code).toBe(2);
  });

  it('reports DORA metrics over the recorded events', async () => {
    const base = Math.floor(Date.now() / 1_000) * 1_000;
    const at = (minutesAgo: number) => new Date(base - minutesAgo * 60_000).toISOString();
    const lines = [
      { type: 'commit_created', occurredAt: at(120), service: 'web', commit: 'w1' },
      {
        type: 'deploy_started',
        occurredAt: at(60),
        service: 'web',
        environment: 'production',
        commit: 'w1',
      },
      {
        type: 'deploy_finished',
        occurredAt: at(30),
        service: 'web',
        environment: 'production',
        commit: 'w1',
        result: 'success',
      },
    ].map((e) => JSON.stringify(e));
    expect((await cli(['events', 'import', '-'], `${lines.join('\n')}\n`)).code).toBe(0);
    const result = await cli(['dora', '--service', 'web', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      deployments: 1,
      changeFailureRate: 0,
      leadTimeSeconds: { median: 5_400, count: 1 },
      rollbackSuccessRate: null,
    });
    expect((await cli(['dora', '--service', 'web'])).stdout).toMatch(
      /lead time for changes\s+median 1\.5 h/,
    );
    expect((await cli(['dora', '--window', 'a while'])).code).toBe(2);
  });

  it('imports JSON lines from a file or standard input, naming bad lines (exit 1)', async () => {
    const good = JSON.stringify({
      type: 'commit_created',
      occurredAt: '2026-11-20T09:00:00Z',
      service: 'api',
      commit: 'c1',
    });
    writeFileSync(
      join(dir, 'events.jsonl'),
      `${good}\n{"type":"nope","occurredAt":"2026-11-20T09:00:00Z","service":"api"}\n`,
    );
    const result = await cli(['events', 'import', 'events.jsonl']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('✗ line 2: type: Invalid option');
    expect(result.stdout).toContain('1 event(s) stored');
    const atomic = await cli(
      ['events', 'import', '-', '--atomic', '--json'],
      `${JSON.stringify({ type: 'commit_created', occurredAt: '2026-11-20T09:05:00Z', service: 'api', commit: 'c2' })}\nbroken\n`,
    );
    expect(atomic.code).toBe(1);
    expect(JSON.parse(atomic.stdout)).toMatchObject({ stored: 0, errors: [{ line: 2 }] });
    expect((await cli(['events', 'import', 'missing.jsonl'])).code).toBe(4);
  });
});
