import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../core/lib/result.ts';
import {
  conformanceRequests,
  runMetricSourceConformance,
  type SourceScenario,
} from '../metric-source-conformance.ts';
import type { SourceClient, SourceRequest } from '../metric-source.ts';
import { recordAnswers } from '../record-answers.ts';
import { recordedQueryFile, recordedRequestFile } from '../recorded-query.ts';
import { fileSource } from './file-source.ts';

const matrix = JSON.stringify({
  status: 'success',
  data: {
    resultType: 'matrix',
    result: [
      {
        metric: { version: 'stable' },
        values: [
          [1000, '1'],
          [1060, 'NaN'],
          [1120, '2.5'],
        ],
      },
    ],
  },
});
const vector = JSON.stringify({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: { version: 'stable' }, value: [1120, '3'] }] },
});
const bodies: Partial<Record<SourceScenario, { range: string; instant: string }>> = {
  series: { range: matrix, instant: vector },
  empty: {
    range: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }),
    instant: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }),
  },
  garbage: {
    range: '{"status":"success","data":{"resultType":"matrix","result":[{"values":1}]}}',
    instant: '',
  },
  refused: {
    range: JSON.stringify({
      status: 'error',
      errorType: 'bad_data',
      error: '1:4: parse error: unexpected "{"',
    }),
    instant: '',
  },
};

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const scratchDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-replay-'));
  scratch.push(dir);
  return dir;
};

runMetricSourceConformance({
  source: fileSource,
  open: async (scenario) => {
    const cwd = scratchDir();
    const recorded = bodies[scenario];
    if (recorded !== undefined) {
      mkdirSync(join(cwd, 'recordings'));
      writeFileSync(
        join(cwd, 'recordings', recordedQueryFile(conformanceRequests.range)),
        recorded.range,
      );
      writeFileSync(
        join(cwd, 'recordings', recordedQueryFile(conformanceRequests.instant)),
        recorded.instant,
      );
    }
    return {
      client: fileSource.open({ kind: 'file', dir: 'recordings' }, { env: {}, cwd }),
      requests: () => 0,
      close: async () => {},
    };
  },
  skip: [
    {
      reason: 'a replay answers from files: there is no server to fail, retry or hang',
      tests: [
        'retries a server error',
        'gives up on a lasting server error',
        'times out',
        'stops a slow answer when aborted',
      ],
    },
  ],
});

describe('fileSource', () => {
  it('replays what --record saved, body for body, and says which query a file answers', async () => {
    const dir = scratchDir();
    const asked: SourceRequest[] = [];
    const live: SourceClient = {
      location: 'http://prometheus.example:9090',
      query: async (request) => {
        asked.push(request);
        return ok({ series: [], body: request.kind === 'range' ? matrix : vector });
      },
    };
    const recorder = recordAnswers(live, join(dir, 'rec'));
    await recorder.query(conformanceRequests.range);
    await recorder.query(conformanceRequests.instant);
    expect(
      readFileSync(join(dir, 'rec', recordedQueryFile(conformanceRequests.range)), 'utf8'),
    ).toBe(matrix);
    expect(
      JSON.parse(
        readFileSync(join(dir, 'rec', recordedRequestFile(conformanceRequests.range)), 'utf8'),
      ),
    ).toEqual({ source: 'http://prometheus.example:9090', request: conformanceRequests.range });

    const replay = fileSource.open({ kind: 'file', dir: 'rec' }, { env: {}, cwd: dir });
    const range = await replay.query(conformanceRequests.range);
    expect(range.ok && range.value.body).toBe(matrix);
    expect(range.ok && range.value.series[0]?.points.length).toBe(3);
    expect(asked).toHaveLength(2);
  });

  it('says a query over another window was not recorded', async () => {
    const dir = scratchDir();
    mkdirSync(join(dir, 'rec'));
    writeFileSync(join(dir, 'rec', recordedQueryFile(conformanceRequests.range)), matrix);
    const replay = fileSource.open({ kind: 'file', dir: 'rec' }, { env: {}, cwd: dir });
    const other = await replay.query({ ...conformanceRequests.range, end: 1180 });
    expect(other).toMatchObject({ ok: false, errors: [{ kind: 'not-recorded' }] });
    expect(other.ok ? '' : other.errors[0]?.message).toContain(conformanceRequests.range.query);
  });
});
