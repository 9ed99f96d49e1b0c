import {
  emptyCoverageReport,
  fileLines,
  recordHits,
  type LineHits,
}  from '../../../core/coverage/coverage-report.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import type { CoverageReader } from '../coverage-reader.ts';

/**
 * LCOV tracefiles (geninfo's "TRACEFILE FORMAT"; c8, nyc, Jest, Vitest, lcov, grcov): `SF:` opens
 * a file's section, `DA:<line>,<count>[,<checksum>]` is a line record, `end_of_record` closes it.
 * Sections of one file are merged. Functions, branches and the `LF`/`LH` counters are ignored.
 * Streams line by line: memory holds the line records, not the text.
 */
export const lcovReader = {
  id: 'lcov',
  description: 'LCOV tracefile (lcov.info: SF, DA, end_of_record)',
  detectHint: 'LCOV (lines such as "SF:src/a.ts" and "DA:1,1")',
  detect: (head) => /^(?:TN:.*\n)?SF:/m.test(head) && /^(?:TN|SF):/.test(head.replace(/^(?:#.*\n)+/, '')),
  async read(lines) {
    const report = emptyCoverageReport();
    let file: string | undefined;
    let current: LineHits | undefined;
    let opened = 0;
    let n = 0;
    for await (const batch of lines) for (const line of batch) {
      n++;
      if (line.startsWith('SF:')) {
        if (file !== undefined)
          return fail({ message: `SF: before the end_of_record of ${file} (opened at line ${opened})`, line: n, column: 1 });
        file = line.slice(3).trim();
        opened = n;
        if (file === '') return fail({ message: 'SF: without a path', line: n, column: 4 });
        current = fileLines(report, file);
      } else if (line.startsWith('DA:')) {
        if (file === undefined)
          return fail({ message: 'DA: outside a file section (no SF: before it)', line: n, column: 1 });
        // Parsed by hand: a 100 MB tracefile is ten million of these lines.
        const comma = line.indexOf(',', 3);
        const end = comma === -1 ? -1 : line.indexOf(',', comma + 1);
        const number = comma > 3 ? Number(line.slice(3, comma)) : NaN;
        const count = comma === -1 ? NaN : Number(end === -1 ? line.slice(comma + 1) : line.slice(comma + 1, end));
        if (!Number.isInteger(number) || !Number.isFinite(count) || count < 0)
          return fail({ message: `expected DA:<line>,<count> with a count ≥ 0, got "${line.slice(0, 80)}"`, line: n, column: 4 });
        if (number < 1) return fail({ message: 'a line number starts at 1', line: n, column: 4 });
        if (current !== undefined) recordHits(current, number, count);
      } else if (line.trim() === 'end_of_record') {
        if (file === undefined) return fail({ message: 'end_of_record without a file section', line: n, column: 1 });
        file = undefined;
      }
      // TN, FN, FNDA, FNF, FNH, FNL, FNA, BRDA, BRF, BRH, LF, LH, VER, MCDC, comments: not lines.
    }
    if (file !== undefined)
      return fail({ message: `the file ends inside the section of ${file} (opened at line ${opened}): truncated?`, line: n, column: 1 });
    if (report.files.size === 0) return fail({ message: 'no SF: section: not an LCOV tracefile, or empty', line: 1, column: 1 });
    return ok(report);
  },
} satisfies CoverageReader;
