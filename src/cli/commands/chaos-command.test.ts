import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';
import { runCli } from '../main.ts';
import { openStore, resolveStoreLocation } from '../../store/open-store.ts';
import { findDeliveryEvents } from '../../store/repositories/delivery/delivery-event.repository.ts';

const fixtures = join(import.meta.dirname, '../../readers/chaos/__fixtures__');

const entry = (id: string, extra: string[] = []) =>
  [
    `id: ${id}`,
    'title: Checkout survives loss of one payments pod',
    'owner: team-payments',
    'service: payments',
    'severity: sev2',
    'blastRadius:',
    '  environment: staging',
    '  selector: { namespace: payments, labels: { app: payments } }',
    '  mode: fixed',
    '  value: 1',
    '  maxDuration: 5m',
    'slo: { name: checkout-availability, objective: 99.9%, requireErrorBudgetRemaining: 25% }',
    'hypothesis:',
    '  probes: [{ name: checkout-200, http: { url: "https://checkout/health" }, tolerance: 200 }]',
    'inject: { type: chaos-mesh, manifest: manifests/pod-kill.yaml }',
    'rollback: [payments]',
    'cadence: 30d',
    ...extra,
    '',
  ].join('\n');

describe('candor chaos', () => {
  let dir: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  /** In process (the binary's boundary, without a process per call): exit code and output. */
  const cli = async (args: string[], now = '2026-11-12T10:30:00Z') => {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...args], {
      cwd: dir,
      env: {},
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      now: () => new Date(now),
    });
    return { code, stdout, stderr };
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-chaos-'));
    write(
      'candor.yml',
      'services:\n  payments:\n    rollback: { kind: dry-run, message: "helm rollback payments" }\n',
    );
    write('CODEOWNERS', '* @acme/team-payments\n');
    write('manifests/pod-kill.yaml', 'apiVersion: chaos-mesh.org/v1alpha1\nkind: PodChaos\n');
    write('.candor/chaos/payments-pod-loss.yml', entry('payments-pod-loss'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('checks a valid catalog (exit 0), through the real binary', async () => {
    const result = await runCliInProcess(['chaos', 'check'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('1 experiment(s), 0 game day(s) in .candor/chaos: ok\n');
    expect(result.code).toBe(0);
  });

  it('names file:line:column of schema and reference problems (exit 1)', async () => {
    write('.candor/chaos/bad-mode.yml', entry('bad-mode').replace('mode: fixed', 'mode: some'));
    write(
      '.candor/chaos/refs.yml',
      entry('refs')
        .replace('owner: team-payments', 'owner: team-search')
        .replace('manifests/pod-kill.yaml', 'manifests/missing.yaml')
        .replace('rollback: [payments]', 'rollback: [payments, search]'),
    );
    write(
      '.candor/chaos/prod.yml',
      entry('prod')
        .replace('environment: staging', 'environment: production')
        .replace('value: 1', 'value: 3'),
    );
    const { code, stdout } = await cli(['chaos', 'check']);
    expect(code).toBe(1);
    expect(stdout.split('\n')).toEqual([
      expect.stringMatching(/^\.candor\/chaos\/bad-mode\.yml:9:9: blastRadius\.mode: /),
      '.candor/chaos/prod.yml:1:1: a production experiment needs at least one stop condition',
      '.candor/chaos/prod.yml:7:3: 3 targets is above the production ceiling of 1',
      '.candor/chaos/refs.yml:3:8: owner team-search is not named in CODEOWNERS',
      '.candor/chaos/refs.yml:15:39: the chaos-mesh file manifests/missing.yaml does not exist',
      '.candor/chaos/refs.yml:16:22: rollback search is not a service with a rollback action in candor.yml services:',
      '6 problem(s) in .candor/chaos',
      '',
    ]);
    const json = JSON.parse((await cli(['chaos', 'check', '--json'])).stdout) as {
      ok: boolean;
      problems: unknown[];
    };
    expect(json.ok).toBe(false);
    expect(json.problems).toHaveLength(6);
  });

  it('checks game-day records too, and list and report leave a bad one out with a warning', async () => {
    write(
      '.candor/chaos/game-days/2026-11-01-x.yml',
      'experiment: payments-pod-loss\ndate: yesterday\n',
    );
    const check = await cli(['chaos', 'check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('.candor/chaos/game-days/2026-11-01-x.yml:2:7: date:');
    const list = await cli(['chaos', 'list']);
    expect(list.code).toBe(0);
    expect(list.stderr).toContain('warning: .candor/chaos/game-days/2026-11-01-x.yml:');
    expect(list.stdout).toContain(
      'payments-pod-loss  fault  payments  staging  every 30d  last never  next now  DUE',
    );
  });

  it('honours chaos.catalog and refuses a bad chaos: section (exit 2)', async () => {
    write('candor.yml', 'chaos: { catalog: resilience }\n');
    expect((await cli(['chaos', 'check'])).stdout).toBe(
      '0 experiment(s), 0 game day(s) in resilience: ok\n',
    );
    write('candor.yml', 'chaos: { catalogue: x }\n');
    const bad = await cli(['chaos', 'check']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('candor.yml:1:10');
  });

  it('records a game day from a Chaos Toolkit journal, lists it, reports it, and refuses bad input', async () => {
    cpSync(join(fixtures, 'chaostoolkit-journal.json'), join(dir, 'journal.json'));
    const db = join(dir, 'candor.db');
    expect((await cli(['chaos', 'list', '--due'])).code).toBe(1);
    const recorded = await cli([
      'chaos',
      'record',
      'payments-pod-loss',
      '--result',
      'completed',
      '--journal',
      'journal.json',
      '--rollback-seconds',
      '42',
      '--rollback-verified',
      '--finding',
      'alert fired after 4 min',
      '--db',
      db,
    ]);
    expect(recorded.stderr).toBe(
      'warning: journal.json says the steady state deviated: recorded as deviated\n',
    );
    expect(recorded.code).toBe(0);
    expect(readdirSync(join(dir, '.candor/chaos/game-days'))).toEqual([
      '2026-11-12-payments-pod-loss.yml',
    ]);
    const text = readFileSync(
      join(dir, '.candor/chaos/game-days/2026-11-12-payments-pod-loss.yml'),
      'utf8',
    );
    expect(text).toContain('status: deviated');
    expect(text).toContain('journalStatus: completed');
    expect(text).toContain('durationSeconds: 42');
    expect(text).toContain('- summary: alert fired after 4 min');

    const store = await openStore(resolveStoreLocation({ db, env: {}, cwd: dir }));
    const events = await findDeliveryEvents(store.db, {
      from: '2026-01-01T00:00:00Z',
      to: '2027-01-01T00:00:00Z',
      types: ['game_day'],
    });
    await store.close();
    expect(events).toEqual([
      expect.objectContaining({
        type: 'game_day',
        service: 'payments',
        environment: 'staging',
        result: 'failure',
        attributes: expect.objectContaining({
          experiment: 'payments-pod-loss',
          status: 'deviated',
          rollbackVerified: true,
          rollbackSeconds: 42,
        }),
      }),
    ]);

    const list = JSON.parse((await cli(['chaos', 'list', '--json'])).stdout) as {
      experiments: unknown[];
    };
    expect(list.experiments).toEqual([
      expect.objectContaining({
        id: 'payments-pod-loss',
        lastGameDay: '2026-11-12',
        lastResult: 'deviated',
        nextDue: '2026-12-12',
        isDue: false,
      }),
    ]);
    expect((await cli(['chaos', 'list', '--due'])).stdout).toBe('no game day is due\n');

    const report = await cli(['chaos', 'report', '--quarter', '2026Q4']);
    expect(report.stdout).toBe(
      '2026Q4: 1 game day(s), 1 experiment(s) run, 1 deviation(s), 0 aborted, 1 finding(s), 1 rollback(s) rehearsed (median 42s, longest 42s)\n' +
        '  2026-11-12 payments-pod-loss: rollback 42s, verified\n',
    );
    expect((await cli(['chaos', 'report', '--quarter', '2026Q5'])).code).toBe(2);
    expect((await cli(['chaos', 'check'])).stdout).toBe(
      '1 experiment(s), 1 game day(s) in .candor/chaos: ok\n',
    );

    write(
      'candor.yml',
      'services:\n  payments:\n    rollback: { kind: dry-run, message: "helm rollback payments" }\n' +
        'gates:\n  quarter:\n    - chaos: { services: [payments] }\n    - drill: { service: payments, maxAgeDays: 30 }\n' +
        '  all:\n    - chaos: { services: [payments, search] }\n',
    );
    const quarterGate = await cli(
      ['gate', 'quarter', '--db', db, '--json'],
      '2026-11-20T10:00:00Z',
    );
    expect(quarterGate.code).toBe(0);
    expect(quarterGate.stdout).toContain(
      'every service (payments) had a game day in the last 90 days',
    );
    expect(quarterGate.stdout).toContain(
      'the last rollback drill of payments (staging) succeeded 7 day(s) ago',
    );
    const allGate = await cli(['gate', 'all', '--db', db], '2026-11-20T10:00:00Z');
    expect(allGate.code).toBe(1);
    expect(allGate.stdout).toContain('no game day in the last 90 days for search (never)');
    expect((await cli(['gate', 'quarter', '--db', db], '2027-03-01T10:00:00Z')).code).toBe(1);

    write('broken.json', '{"status": "completed"}');
    const broken = await cli([
      'chaos',
      'record',
      'payments-pod-loss',
      '--result',
      'completed',
      '--journal',
      'broken.json',
      '--db',
      db,
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('broken.json: experiment:');
    expect(readdirSync(join(dir, '.candor/chaos/game-days'))).toHaveLength(1);
    expect(
      (await cli(['chaos', 'record', 'nope', '--result', 'completed', '--db', db])).stderr,
    ).toContain('no experiment nope in the chaos catalog (there are: payments-pod-loss)');
    expect((await cli(['chaos', 'record', 'payments-pod-loss', '--db', db])).code).toBe(2);
  });

  it('records a LitmusChaos verdict', async () => {
    cpSync(join(fixtures, 'litmus-chaosresult.yaml'), join(dir, 'result.yaml'));
    const recorded = await cli([
      'chaos',
      'record',
      'payments-pod-loss',
      '--result',
      'completed',
      '--litmus',
      'result.yaml',
      '--db',
      join(dir, 'c.db'),
      '--json',
    ]);
    expect(recorded.code).toBe(0);
    const out = JSON.parse(recorded.stdout) as { record: { result: Record<string, unknown> } };
    expect(out.record.result).toEqual({
      status: 'completed',
      deviated: false,
      litmus: 'result.yaml',
      litmusVerdict: 'Pass',
      probeSuccessPercentage: 100,
    });
  });
});
