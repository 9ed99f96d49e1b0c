import { describe, expect, it } from 'vitest';
import { finalStatus } from '../core/final-status.ts';
import { readText } from './read-text.ts';
import { detectFormat, readers, type ReportFormat } from './readers.ts';

type Sample = {
  /** A valid document with `count` tests: odd ones pass, even ones fail, the third is skipped. */
  document(count: number): string;
};

/** One entry per reader: adding a reader without a sample here fails type-checking. */
const samples: Record<ReportFormat, Sample> = {
  junit: {
    document: (count) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n<testsuite name="s">\n${Array.from(
        { length: count },
        (_, i) =>
          i === 2
            ? `<testcase classname="c" name="t${i}"><skipped/></testcase>`
            : i % 2 === 1
              ? `<testcase classname="c" name="t${i}" time="0.5">\n<failure message="m${i}">trace\nline 2</failure>\n</testcase>`
              : `<testcase classname="c" name="t${i}" time="0.25"/>`,
      ).join('\n')}\n</testsuite>\n</testsuites>\n`,
  },
  ctrf: {
    document: (count) =>
      JSON.stringify(
        {
          reportFormat: 'CTRF',
          specVersion: '1.0.0',
          results: {
            tool: { name: 'conformance' },
            tests: Array.from({ length: count }, (_, i) => ({
              name: `t${i}`,
              filePath: 'c',
              status: i === 2 ? 'skipped' : i % 2 === 1 ? 'failed' : 'passed',
              duration: i % 2 === 1 ? 500 : 250,
              ...(i % 2 === 1 ? { message: `m${i}`, trace: 'trace\nline 2' } : {}),
            })),
          },
        },
        null,
        2,
      ),
  },
};

const formats = Object.keys(readers) as ReportFormat[];

describe.each(formats)('reader conformance: %s', (format) => {
  const reader = readers[format];
  const sample = samples[format];

  const statuses = async (text: string, chunkSize?: number) => {
    const result = await readText(reader, text, chunkSize);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.value.map((t) => [t.name, finalStatus(t.attempts)]);
  };

  it('reads a valid document', async () => {
    expect(await statuses(sample.document(4))).toEqual([
      ['t0', 'passed'],
      ['t1', 'failed'],
      ['t2', 'skipped'],
      ['t3', 'failed'],
    ]);
  });

  it('is detected from its content', () => {
    expect(detectFormat(sample.document(1))).toBe(format);
    expect(detectFormat(`\uFEFF${sample.document(1)}`)).toBe(format);
  });

  it.each([
    ['empty', ''],
    ['whitespace only', '  \n\t\n'],
    ['garbage', '\u0000\u0001garbage ]]> }{ not a report'],
  ])('returns a problem, never throws, for %s input', async (_name, text) => {
    const result = await readText(reader, text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toBeTruthy();
  });

  it('returns a problem with a position for a truncated document', async () => {
    const text = sample.document(6);
    const result = await readText(reader, text.slice(0, Math.floor(text.length / 2)));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.line).toBeGreaterThan(1);
  });

  it('ignores a byte order mark', async () => {
    expect(await statuses(`\uFEFF${sample.document(4)}`)).toEqual(
      await statuses(sample.document(4)),
    );
  });

  it('reads CRLF line endings the same, keeping messages', async () => {
    const crlf = sample.document(4).replace(/\n/g, '\r\n');
    expect(await statuses(crlf)).toEqual(await statuses(sample.document(4)));
    const result = await readText(reader, crlf);
    if (result.ok) expect(result.value[1]?.attempts[0]?.message).toBe('m1');
  });

  it('gives the same result whatever the chunk boundaries', async () => {
    expect(await statuses(sample.document(5), 3)).toEqual(await statuses(sample.document(5)));
  });

  it('reads a large document completely', async () => {
    const result = await readText(reader, sample.document(50_000));
    expect(result.ok && result.value.length).toBe(50_000);
  });
});
