import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runEvidenceReaderConformance } from '../evidence-reader-conformance.ts';
import { readEvidence } from '../evidence-readers.ts';
import { sonarqubeReader } from './sonarqube-reader.ts';

/** A project_status answer with `count` conditions, every third one failing. */
const document = (count: number) =>
  JSON.stringify(
    {
      projectStatus: {
        status: count > 0 ? 'ERROR' : 'OK',
        ignoredConditions: false,
        conditions: Array.from({ length: count }, (_, i) => ({
          status: i % 3 === 0 ? 'ERROR' : 'OK',
          metricKey: `metric_${i}`,
          comparator: 'GT',
          errorThreshold: '0',
          actualValue: String(i),
        })),
        period: { mode: 'PREVIOUS_VERSION', date: '2026-11-20T09:12:44+0000' },
      },
    },
    null,
    2,
  );

runEvidenceReaderConformance({
  reader: sonarqubeReader,
  samples: { document, count: (model) => model.conditions.length },
  skip: [
    {
      reason: 'a project_status answer carries no version',
      tests: ['refuses a version it does not support'],
    },
  ],
});

const read = async (text: string | Buffer) =>
  readEvidence('qualityGate', async function* () {
    yield typeof text === 'string' ? Buffer.from(text) : text;
  });
const fixture = (name: string) => readFileSync(new URL(`__fixtures__/${name}`, import.meta.url));

describe('sonarqubeReader', () => {
  it('reads the status and every condition of a SonarQube 10 answer', async () => {
    const result = await read(fixture('project-status-error.json'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.status).toBe('ERROR');
    expect(result.value.conditions).toHaveLength(4);
    expect(result.value.conditions[0]).toEqual({
      status: 'ERROR',
      metricKey: 'new_coverage',
      comparator: 'LT',
      errorThreshold: '80',
      warningThreshold: undefined,
      actualValue: '62.5',
    });
  });

  it('reads a 7.x answer with WARN and a warning threshold', async () => {
    const result = await read(fixture('project-status-warn-7x.json'));
    expect(result.ok && result.value.status).toBe('WARN');
    expect(result.ok && result.value.conditions[0]?.warningThreshold).toBe('80');
  });

  it('reads a document without projectStatus as a report without status', async () => {
    expect(await read('{"errors": [{"msg": "Project not found"}]}')).toEqual({
      ok: true,
      value: { status: undefined, conditions: [] },
    });
  });

  it.each([
    [
      'an unknown status',
      '{"projectStatus": {"status": "RED"}}',
      'projectStatus.status: expected one of OK, WARN, ERROR, NONE, received "RED"',
    ],
    [
      'conditions not a list',
      '{"projectStatus": {"status": "OK", "conditions": {}}}',
      'projectStatus.conditions: expected array, received object',
    ],
    [
      'a condition without metricKey',
      '{"projectStatus": {"status": "OK", "conditions": [{"status": "OK"}]}}',
      expect.stringMatching(/^projectStatus\.conditions\[0\]\.metricKey: /) as string,
    ],
  ])('refuses %s, naming the JSON path', async (_name, text, message) => {
    const result = await read(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toEqual(message);
  });
});
