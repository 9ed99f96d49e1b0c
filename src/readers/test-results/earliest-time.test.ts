import { describe, expect, it } from 'vitest';
import { EarliestTime, parseReportTime } from './earliest-time.ts';
import { readOpenedReport, openReport } from './open-report.ts';

describe('parseReportTime', () => {
  it.each([
    ['2026-11-18T10:00:00Z', '2026-11-18T10:00:00.000Z'],
    // No zone: read as UTC (jest-junit, pytest on a UTC runner).
    ['2026-11-18T10:00:00', '2026-11-18T10:00:00.000Z'],
    ['2026-11-18T10:00:00.123456', '2026-11-18T10:00:00.123Z'],
    // .NET: seven fraction digits and an offset.
    ['2026-12-01T09:20:09.8781230+02:00', '2026-12-01T07:20:09.878Z'],
    // NUnit 3: a space between date and time.
    ['2026-11-18 10:00:05Z', '2026-11-18T10:00:05.000Z'],
    // Go: nine fraction digits, negative offset.
    ['2026-11-18T10:00:00.123456789-05:00', '2026-11-18T15:00:00.123Z'],
    ['2026-11-18T10:00:00+0530', '2026-11-18T04:30:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseReportTime(text)).toBe(iso);
  });

  it.each([
    '',
    'yesterday',
    '2026-13-01T00:00:00',
    '2026-02-30T10:00:00',
    '2026-11-18T25:00:00',
    '1969-12-31T23:59:59Z',
    '1700000000000',
  ])('refuses %j', (text) => {
    expect(parseReportTime(text)).toBeUndefined();
  });
});

describe('EarliestTime', () => {
  it('keeps the earliest of the times offered, ignoring what does not parse', () => {
    const earliest = new EarliestTime();
    expect(earliest.value).toBeUndefined();
    earliest.offer('2026-11-18T10:00:00+01:00');
    earliest.offer(undefined);
    earliest.offer('not a time');
    earliest.offer('2026-11-18T09:30:00Z');
    earliest.offerEpochMs(Date.parse('2026-11-18T09:40:00Z'));
    expect(earliest.value).toBe('2026-11-18T09:00:00.000Z');
    earliest.offerEpochMs(-1);
    expect(earliest.value).toBe('2026-11-18T09:00:00.000Z');
  });
});

/** Reads a document with the reader its content selects and gives the summary's start. */
async function startOf(document: string): Promise<string | undefined> {
  const opened = await openReport(async function* () {
    yield Buffer.from(document);
  }, 'auto');
  if (!opened.ok) throw new Error(JSON.stringify(opened.errors));
  const read = await readOpenedReport(opened.value, () => {});
  if (!read.ok) throw new Error(JSON.stringify(read.errors));
  return read.value.startedAt;
}

describe('the start time each reader reports', () => {
  it.each([
    [
      'JUnit: the earliest suite timestamp (no zone: UTC)',
      '<testsuites><testsuite name="b" timestamp="2026-11-18T10:05:00"><testcase name="x"/></testsuite><testsuite name="a" timestamp="2026-11-18T10:00:00"><testcase name="y"/></testsuite></testsuites>',
      '2026-11-18T10:00:00.000Z',
    ],
    [
      'JUnit: the root timestamp',
      '<testsuites timestamp="2026-11-18T08:00:00.000Z"><testsuite name="a"><testcase name="y"/></testsuite></testsuites>',
      '2026-11-18T08:00:00.000Z',
    ],
    [
      'JUnit without a timestamp',
      '<testsuite name="a"><testcase name="y"/></testsuite>',
      undefined,
    ],
    [
      'CTRF: results.summary.start (ms since the epoch)',
      JSON.stringify({
        results: {
          tool: { name: 'jest' },
          summary: { tests: 1, start: Date.parse('2026-11-18T07:00:00Z'), stop: 0 },
          tests: [{ name: 't', status: 'passed', duration: 1 }],
        },
      }),
      '2026-11-18T07:00:00.000Z',
    ],
    [
      'CTRF without a summary',
      JSON.stringify({
        results: { tool: { name: 'x' }, tests: [{ name: 't', status: 'passed', duration: 1 }] },
      }),
      undefined,
    ],
    [
      'TRX: Times@start',
      '<?xml version="1.0" encoding="utf-8"?><TestRun id="1" name="r" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Times creation="2026-12-01T09:20:11.0457330+00:00" start="2026-12-01T09:20:09.8781230+00:00" finish="2026-12-01T09:20:11.0562781+00:00" /><Results><UnitTestResult testId="a" testName="T.A" outcome="Passed" /></Results></TestRun>',
      '2026-12-01T09:20:09.878Z',
    ],
    [
      'NUnit 3: test-run start-time',
      '<test-run id="0" start-time="2026-11-18 06:00:00Z"><test-suite type="Assembly" name="a.dll" start-time="2026-11-18 06:00:01Z"><test-case name="T" fullname="N.C.T" classname="N.C" result="Passed"/></test-suite></test-run>',
      '2026-11-18T06:00:00.000Z',
    ],
    [
      'xUnit.net v2: run-date and run-time',
      '<assemblies><assembly name="/a/Tests.dll" run-date="2026-11-18" run-time="05:00:00"><collection><test name="C.T" type="C" method="T" result="Pass" time="0.1"/></collection></assembly></assemblies>',
      '2026-11-18T05:00:00.000Z',
    ],
    [
      'go test -json: the earliest event time',
      [
        '{"Time":"2026-11-18T04:00:01.5+00:00","Action":"run","Package":"p","Test":"TestA"}',
        '{"Time":"2026-11-18T04:00:00.25+00:00","Action":"start","Package":"p"}',
        '{"Time":"2026-11-18T04:00:02+00:00","Action":"pass","Package":"p","Test":"TestA","Elapsed":0}',
      ].join('\n'),
      '2026-11-18T04:00:00.250Z',
    ],
  ])('%s', async (_name, document, expected) => {
    expect(await startOf(document)).toBe(expected);
  });
});
