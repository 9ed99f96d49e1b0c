import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CanaryConfig } from '../../config/canary-config.ts';
import { CanaryManifest } from '../../core/canary/canary-manifest.ts';
import { ok } from '../../core/lib/result.ts';
import type { SourceClient } from '../../sources/metric-source.ts';
import { recordAnswers } from '../../sources/record-answers.ts';
import { analyzeCanary } from './analyze-canary.ts';
import { replayCanaryRecording, writeCanaryManifest } from './canary-recording.ts';

const start = new Date('2026-11-20T12:00:00Z');
const end = new Date('2026-11-20T12:30:00Z');
const labels = { baseline: { v: 'old' }, canary: { v: 'new' } };

/** The canary fails 2.6% of 1,000 requests a minute, the baseline 2.5%. */
const config = (max: number) =>
  CanaryConfig.parse({
    source: { kind: 'prometheus', url: 'http://127.0.0.1:9' },
    interval: '1m',
    minimumDuration: '10m',
    metrics: [
      {
        name: 'errors',
        kind: 'count',
        numerator: 'e{v="{{v}}"}',
        denominator: 'r{v="{{v}}"}',
        direction: 'increase',
        max,
      },
    ],
  });

/** Prometheus's own range-query body, as `--record` saves it. */
const prometheus: SourceClient = {
  location: 'http://prometheus.test',
  query: async (request) => {
    if (request.kind !== 'range') throw new Error('range queries only');
    const per = request.query.startsWith('r') ? 1000 : request.query.includes('new') ? 26 : 25;
    const values: [number, string][] = [];
    for (let t = request.start; t <= request.end; t += request.step) values.push([t, String(per)]);
    const body = JSON.stringify({
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: {}, values }] },
    });
    return ok({
      series: [{ labels: {}, points: values.map(([time]) => ({ time, value: per })) }],
      body,
    });
  },
};

describe('canary recordings judged again', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-canary-recording-'));
    const analysis = await analyzeCanary({
      config: config(0.05),
      labels,
      start,
      end,
      client: recordAnswers(prometheus, dir),
    });
    expect(analysis.report.verdict).toBe('promote');
    writeCanaryManifest(dir, analysis, labels);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes analysis.json: labels, window, mode, verdict and each metric', () => {
    const manifest = CanaryManifest.parse(
      JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8')),
    );
    expect(manifest).toEqual({
      version: 1,
      labels,
      window: { start: start.toISOString(), end: end.toISOString() },
      mode: 'default',
      verdict: 'promote',
      metrics: [{ name: 'errors', result: 'pass' }],
    });
  });

  it('gives the recorded verdict with the same thresholds, offline', async () => {
    expect(await replayCanaryRecording({ dir, config: config(0.05), cwd: dir })).toEqual({
      ok: true,
      recorded: 'promote',
      replayed: 'promote',
      changed: [],
    });
  });

  it('names the metric whose result a stricter threshold changes', async () => {
    expect(await replayCanaryRecording({ dir, config: config(0.02), cwd: dir })).toEqual({
      ok: true,
      recorded: 'promote',
      replayed: 'rollback',
      changed: [{ metric: 'errors', from: 'pass', to: 'fail' }],
    });
  });

  it('says why a directory without a valid analysis.json cannot be replayed', async () => {
    const other = mkdtempSync(join(tmpdir(), 'candor-canary-recording-'));
    try {
      const missing = await replayCanaryRecording({ dir: other, config: config(0.05), cwd: other });
      expect(missing).toMatchObject({ ok: false, reason: expect.stringContaining('ENOENT') });
      writeFileSync(join(other, 'analysis.json'), '{"version": 2}');
      const wrong = await replayCanaryRecording({ dir: other, config: config(0.05), cwd: other });
      expect(wrong).toMatchObject({ ok: false, reason: expect.stringContaining('version') });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
