import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.ts';
import { openTestStore, testDialects, type TestStore } from '../../testing/open-test-store.ts';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

describe('candor event and events import', () => {
  let dir: string;
  const cli = (args: string[], input?: string) =>
    runCliInProcess(args, { cwd: dir, ...(input !== undefined ? { input } : {}) });
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
    expect(JSON.parse(first.stdout)).toEqual({
      accepted: 1,
      ignored: 0,
      stored: 1,
      duplicates: 0,
      conflicts: [],
      errors: [],
      warnings: [],
    });
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

  it.each([
    [
      ['--occurred-at', '3026-01-01T00:00:00Z'],
      /^candor: --occurred-at: occurredAt: 3026-01-01T00:00:00Z is outside the accepted range 1970-01-01T00:00:00\.000Z to \S+ \(at most 24 h after candor received it\)\n/,
    ],
    [
      ['--attribute', `log=${'x'.repeat(70_000)}`],
      /^candor: --attribute: attributes: larger than 64 KiB \(more than 65536 bytes of JSON\)\n/,
    ],
  ])('refuses %#, naming the flag (exit 2), and stores nothing', async (flags, message) => {
    const result = await cli([
      'event',
      'deploy_started',
      '--service',
      'api',
      '--id',
      'refused',
      ...flags,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    const store = await openStore({ kind: 'sqlite', path: join(dir, '.candor', 'candor.db') });
    try {
      const row = await store.db
        .selectFrom('delivery_events')
        .select('id')
        .where('id', '=', 'refused')
        .executeTakeFirst();
      expect(row).toBeUndefined();
    } finally {
      await store.close();
    }
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

const line = (overrides: Record<string, unknown>) =>
  JSON.stringify({
    type: 'deploy_started',
    occurredAt: '2026-11-20T10:00:00Z',
    service: 'api',
    environment: 'production',
    deployment: 'd1',
    ...overrides,
  });

describe.each(testDialects)('candor events import on %s', (dialect) => {
  let dir: string;
  let store: TestStore;
  const cli = (args: string[], input?: string | AsyncIterable<Uint8Array>) =>
    runCliInProcess([...args, '--db', store.url], {
      cwd: dir,
      ...(input !== undefined ? { input } : {}),
    });
  const ids = async (prefix: string) =>
    (
      await store.db
        .selectFrom('delivery_events')
        .select('id')
        .where('id', 'like', `${prefix}%`)
        .orderBy('id')
        .execute()
    ).map((r) => r.id);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-import-'));
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a file', false],
    ['a file', true],
    ['standard input', false],
    ['standard input', true],
  ])('stores every good line from %s (atomic: %s)', async (from, atomic) => {
    const prefix = `good-${from === 'a file' ? 'f' : 's'}-${atomic}-`;
    const text = `${[1, 2, 3].map((n) => line({ id: `${prefix}${n}` })).join('\r\n')}\n\n`;
    const atomicFlag = atomic ? ['--atomic'] : [];
    let result;
    if (from === 'a file') {
      writeFileSync(join(dir, `${prefix}.jsonl`), text);
      result = await cli(['events', 'import', `${prefix}.jsonl`, ...atomicFlag]);
    } else {
      result = await cli(['events', 'import', '-', ...atomicFlag], text);
    }
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('3 event(s) stored, 0 already stored, 0 problem(s)\n');
    expect(result.code).toBe(0);
    expect(await ids(prefix)).toEqual([1, 2, 3].map((n) => `${prefix}${n}`));
  });

  it.each([
    ['a file', false],
    ['a file', true],
    ['standard input', false],
    ['standard input', true],
  ])('names bad lines from %s (atomic: %s), storing only what it should', async (from, atomic) => {
    const prefix = `bad-${from === 'a file' ? 'f' : 's'}-${atomic}-`;
    const text = [
      line({ id: `${prefix}1` }),
      '{"type": "deploy_started",',
      line({ id: `${prefix}3`, occurredAt: '3026-01-01T00:00:00Z' }),
      line({ id: `${prefix}4` }),
    ].join('\n');
    const atomicFlag = atomic ? ['--atomic'] : [];
    let result;
    if (from === 'a file') {
      writeFileSync(join(dir, `${prefix}.jsonl`), text);
      result = await cli(['events', 'import', `${prefix}.jsonl`, ...atomicFlag]);
    } else {
      result = await cli(['events', 'import', '-', ...atomicFlag], text);
    }
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^✗ line 2:\d+: invalid JSON\n✗ line 3: occurredAt: 3026-01-01T00:00:00Z is outside the accepted range 1970-01-01T00:00:00\.000Z to /,
    );
    expect(result.stdout).toBe(
      `${atomic ? 0 : 2} event(s) stored, 0 already stored, 2 problem(s)\n`,
    );
    expect(await ids(prefix)).toEqual(atomic ? [] : [`${prefix}1`, `${prefix}4`]);
  });

  it('reports a conflicting repeat of an id as a warning, keeps the first, exits 0', async () => {
    writeFileSync(
      join(dir, 'conflict.jsonl'),
      `${line({ id: 'conflict-1', source: 'gha' })}\n${line({ id: 'conflict-1', source: 'gha', service: 'web' })}\n`,
    );
    const result = await cli(['events', 'import', 'conflict.jsonl']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'warning: line 2: source "gha" id "conflict-1" is already stored with a different service; the stored event is kept\n',
    );
    expect(result.stdout).toBe(
      '1 event(s) stored, 1 already stored (1 with different content), 0 problem(s)\n',
    );
    const json = await cli(['events', 'import', 'conflict.jsonl', '--json', '--atomic']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      stored: 0,
      duplicates: 2,
      conflicts: [{ index: 1, line: 2, source: 'gha', id: 'conflict-1', fields: ['service'] }],
    });
    const single = await cli([
      'event',
      'deploy_started',
      '--service',
      'api',
      '--environment',
      'production',
      '--occurred-at',
      '2026-11-20T11:00:00Z',
      '--deployment',
      'd1',
      '--id',
      'conflict-1',
      '--source',
      'gha',
    ]);
    expect(single.code).toBe(0);
    expect(single.stderr).toBe(
      'warning: source "gha" id "conflict-1" is already stored with a different occurredAt; the stored event is kept\n',
    );
  });

  it('imports CDEvents of types candor does not map as ignored (exit 0), storing the others', async () => {
    const cdevent = (id: string, type: string) =>
      JSON.stringify({
        context: { id, source: 'tekton', type, timestamp: '2026-11-20T10:00:00Z' },
        subject: { id: 'cde-api', content: { environment: { id: 'production' } } },
        customData: { commit: 'abc' },
      });
    writeFileSync(
      join(dir, 'cdevents.jsonl'),
      [
        cdevent('cde-1', 'dev.cdevents.pipelinerun.finished.0.2.0'),
        cdevent('cde-2', 'dev.cdevents.service.rolledback.0.3.0'),
      ].join('\n'),
    );
    const result = await cli(['events', 'import', 'cdevents.jsonl']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      '2 event(s) stored, 0 already stored, 1 ignored (not recorded by candor), 0 problem(s)\n',
    );
    expect(await ids('cde-')).toEqual(['cde-2', 'cde-2:triggered']);
  });

  it('records an event of a retried CI step once without --id, and another run or result again', async () => {
    const github = {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_RUN_ID: '9100',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_WORKFLOW: 'deploy',
      GITHUB_JOB: 'production',
    };
    const send = (env: Record<string, string>, result = 'success') =>
      runCliInProcess(
        [
          'event',
          'deploy_finished',
          '--service',
          'retry-api',
          '--environment',
          'production',
          '--commit',
          'abc',
          '--result',
          result,
          '--json',
          '--db',
          store.url,
        ],
        { cwd: dir, env },
      );
    const count = async () =>
      (
        await store.db
          .selectFrom('delivery_events')
          .select('id')
          .where('service', '=', 'retry-api')
          .execute()
      ).length;
    const first = await send(github);
    expect(JSON.parse(first.stdout)).toMatchObject({ stored: 1 });
    // The step retried (a re-run of the job: a new attempt, a later time): the same event.
    const retried = await send({ ...github, GITHUB_RUN_ATTEMPT: '2' });
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await count()).toBe(1);
    // Another run, or another result of the same step, is another event.
    expect(JSON.parse((await send({ ...github, GITHUB_RUN_ID: '9101' })).stdout)).toMatchObject({
      stored: 1,
    });
    expect(JSON.parse((await send(github, 'failure')).stdout)).toMatchObject({ stored: 1 });
    expect(await count()).toBe(3);
    const stored = await store.db
      .selectFrom('delivery_events')
      .select(['id', 'source'])
      .where('service', '=', 'retry-api')
      .execute();
    expect(
      stored.every((row) => /^ci:[0-9a-f]{32}$/.test(row.id) && row.source === 'default'),
    ).toBe(true);
    // Outside CI, without --id, each call is its own event (its time is part of its hash).
    await send({});
    await send({});
    expect(await count()).toBe(5);
  });

  it('refuses attributes nested 100,000 deep as a bad line (exit 1), not an internal error', async () => {
    const deep = `{"type":"deploy_started","id":"deep-1","occurredAt":"2026-11-20T10:00:00Z","service":"api","attributes":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    writeFileSync(join(dir, 'deep.jsonl'), `${deep}\n${line({ id: 'deep-2' })}\n`);
    const result = await cli(['events', 'import', 'deep.jsonl']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^✗ line 1: attributes: nested deeper than 8 levels at attributes(\.a){8}\n$/,
    );
    expect(await ids('deep-')).toEqual(['deep-2']);
  });

  it('refuses a directory as the file with exit 4 naming it', async () => {
    mkdirSync(join(dir, 'a-directory'), { recursive: true });
    const result = await cli(['events', 'import', 'a-directory']);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      'candor: cannot read a-directory: it is a directory; expected a .jsonl file or - for standard input\n',
    );
  });
});

describe('candor events import line limit', () => {
  it('skips a 300 MB line with a 256 MB heap, naming it, and imports the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-long-line-'));
    try {
      async function* input() {
        yield new TextEncoder().encode(`${line({ id: 'before' })}\n`);
        const chunk = new Uint8Array(1024 * 1024).fill(0x41);
        for (let i = 0; i < 300; i++) yield chunk;
        yield new TextEncoder().encode(`\n${line({ id: 'after' })}\n`);
      }
      const result = await runCliInProcess(['events', 'import', '-', '--json', '--db', 'l.db'], {
        cwd: dir,
        env: { NODE_OPTIONS: '--max-old-space-size=256' },
        input: input(),
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toEqual({
        accepted: 2,
        ignored: 0,
        stored: 2,
        duplicates: 0,
        conflicts: [],
        errors: [
          {
            index: 1,
            line: 2,
            path: '',
            message: 'line 2: 314572800 bytes, longer than the limit of 4 MiB; skipped',
          },
        ],
        warnings: [],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
