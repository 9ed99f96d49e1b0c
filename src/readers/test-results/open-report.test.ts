import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/lib/seeded-random.ts';
import { readBytes } from '../../testing/read-bytes.ts';
import { describeDetectableFormats } from './test-result-readers.ts';

/** A minimal zip archive: one deflated entry, as `zip r.zip report.xml` writes. */
function zipOf(name: string, content: string): Buffer {
  const data = deflateRawSync(Buffer.from(content));
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name), data]);
}

function randomBytes(length: number, seed: number): Buffer {
  const random = seededRandom(seed);
  return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
}

describe('openReport', () => {
  it.each([
    [
      'a zip archive',
      zipOf('report.xml', '<testsuite><testcase name="a"/></testsuite>'.repeat(50)),
    ],
    ['random bytes', randomBytes(1024 * 1024, 7)],
    ['text that is no report', Buffer.from('all tests passed, trust me')],
  ])('refuses %s as an unrecognised report', async (_name, bytes) => {
    const result = await readBytes(bytes);
    expect(result).toMatchObject({
      ok: false,
      format: undefined,
      errors: [
        {
          message: expect.stringMatching(/^unrecognised report: expected JUnit XML/),
          line: 1,
          column: 1,
        },
      ],
    });
  });

  it('names what each registered format starts with when it recognises none', async () => {
    const result = await readBytes(Buffer.from('all tests passed, trust me'));
    expect(!result.ok && result.errors[0]?.message).toBe(
      `unrecognised report: expected ${describeDetectableFormats()}`,
    );
    // The wording of the formats there are; a new reader adds its own after them.
    expect(describeDetectableFormats()).toMatch(
      /^JUnit XML \(starts with "<"\) or CTRF JSON \(starts with "\{"\)( or |$)/,
    );
  });

  it('returns a problem, never throws, when a zip is read as the format it was told', async () => {
    for (const format of ['junit', 'ctrf'] as const) {
      const result = await readBytes(zipOf('r.xml', 'x'.repeat(500)), { format });
      expect(result).toMatchObject({ ok: false, format });
    }
  });

  it('detects the format of a UTF-16 report from its decoded text', async () => {
    const result = await readBytes(
      Buffer.from('<testsuite><testcase name="a"/></testsuite>', 'utf16le'),
    );
    expect(result).toMatchObject({ ok: true, format: 'junit' });
  });
});
