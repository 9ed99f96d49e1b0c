import {
  emptyCoverageReport,
  fileLines,
  recordHits,
  type CoverageReport,
  type LineHits,
} from '../../../core/coverage/coverage-report.ts';
import type { Problem } from '../../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../../core/lib/result.ts';
import type { CoverageReader } from '../coverage-reader.ts';

/**
 * The state of one tracefile being read, fed a line at a time (`line`), or, for the DA records
 * the byte scanner has already parsed, their numbers (`hits`).
 */
function lcovState() {
  const report = emptyCoverageReport();
  let file: string | undefined;
  let current: LineHits | undefined;
  let opened = 0;
  return {
    /** True inside an SF: section, where a DA record's numbers are all it takes. */
    get isOpen(): boolean {
      return current !== undefined;
    },
    /** A DA record's numbers (line ≥ 1, count ≥ 0) in the open section. */
    hits(line: number, count: number): void {
      if (current === undefined) return;
      const hits = current.hits;
      // The common case inline (a slot there, a count below the cap); recordHits does the rest.
      if (line < hits.length && count < 0x7fffffff) {
        if (count > (hits[line] as number)) hits[line] = count;
      } else recordHits(current, line, count);
    },
    /** One line of the file, the `n`th; a problem stops the read. */
    line(line: string, n: number): Problem | undefined {
      if (line.startsWith('SF:')) {
        if (file !== undefined)
          return { message: `SF: before the end_of_record of ${file} (opened at line ${opened})`, line: n, column: 1 };
        file = line.slice(3).trim();
        opened = n;
        if (file === '') return { message: 'SF: without a path', line: n, column: 4 };
        current = fileLines(report, file);
      } else if (line.startsWith('DA:')) {
        if (file === undefined)
          return { message: 'DA: outside a file section (no SF: before it)', line: n, column: 1 };
        const comma = line.indexOf(',', 3);
        const end = comma === -1 ? -1 : line.indexOf(',', comma + 1);
        const number = comma > 3 ? Number(line.slice(3, comma)) : NaN;
        const count = comma === -1 ? NaN : Number(end === -1 ? line.slice(comma + 1) : line.slice(comma + 1, end));
        if (!Number.isInteger(number) || !Number.isFinite(count) || count < 0)
          return { message: `expected DA:<line>,<count> with a count ≥ 0, got "${line.slice(0, 80)}"`, line: n, column: 4 };
        if (number < 1) return { message: 'a line number starts at 1', line: n, column: 4 };
        if (current !== undefined) recordHits(current, number, count);
      } else if (line.trim() === 'end_of_record') {
        if (file === undefined) return { message: 'end_of_record without a file section', line: n, column: 1 };
        file = undefined;
        current = undefined;
      }
      // TN, FN, FNDA, FNF, FNH, FNL, FNA, BRDA, BRF, BRH, LF, LH, VER, MCDC, comments: not lines.
      return undefined;
    },
    end(n: number): Result<CoverageReport, Problem> {
      if (file !== undefined)
        return fail({ message: `the file ends inside the section of ${file} (opened at line ${opened}): truncated?`, line: n, column: 1 });
      if (report.files.size === 0) return fail({ message: 'no SF: section: not an LCOV tracefile, or empty', line: 1, column: 1 });
      return ok(report);
    },
  };
}

const [D, A, S, COLON, COMMA, CR, LF, ZERO, NINE, e] = [0x44, 0x41, 0x53, 0x3a, 0x2c, 0x0d, 0x0a, 0x30, 0x39, 0x65];

/**
 * LCOV tracefiles (geninfo's "TRACEFILE FORMAT"; c8, nyc, Jest, Vitest, lcov, grcov): `SF:` opens
 * a file's section, `DA:<line>,<count>[,<checksum>]` is a line record, `end_of_record` closes it.
 * Sections of one file are merged. Functions, branches and the `LF`/`LH` counters are ignored.
 * Streams line by line: memory holds the line records, not the text. `readBytes` scans the bytes
 * (docs/adr/0035): a DA record of digits is parsed where it lies, other record types are skipped
 * by their first byte, and only the rest is decoded and read as `read` reads it.
 */
export const lcovReader = {
  id: 'lcov',
  description: 'LCOV tracefile (lcov.info: SF, DA, end_of_record)',
  detectHint: 'LCOV (lines such as "SF:src/a.ts" and "DA:1,1")',
  detect: (head) => /^(?:TN:.*\n)?SF:/m.test(head) && /^(?:TN|SF):/.test(head.replace(/^(?:#.*\n)+/, '')),
  async read(lines) {
    const state = lcovState();
    let n = 0;
    for await (const batch of lines)
      for (const line of batch) {
        n++;
        const problem = state.line(line, n);
        if (problem !== undefined) return fail(problem);
      }
    return state.end(n);
  },

  async readBytes(chunks) {
    const state = lcovState();
    const decoder = new TextDecoder();
    let n = 0;
    let isFirst = true;
    /** A line that is not a plain DA record: `bytes[start, end)` (its `\n` left out). */
    const line = (bytes: Uint8Array, start: number, end: number): Problem | undefined => {
      n++;
      let s = start;
      let t = end;
      if (isFirst) {
        isFirst = false;
        if (bytes[s] === 0xef && bytes[s + 1] === 0xbb && bytes[s + 2] === 0xbf) s += 3;
      }
      if (t > s && bytes[t - 1] === CR) t--;
      if (t === s) return undefined;
      const first = bytes[s] as number;
      // TN, FN, BRDA, LF, …: their first byte says they are no record read here.
      if (first > 0x20 && first < 0x7f && first !== S && first !== D && first !== e) return undefined;
      return state.line(decoder.decode(bytes.subarray(s, t)), n);
    };
    /**
     * A plain DA record at `i` (`DA:<digits>,<digits>[,…]` then a newline), recorded in place:
     * the index after its newline, or −1 when it is not one (read by `line`) or its newline is
     * not in this chunk.
     */
    const plainRecord = (bytes: Uint8Array, i: number): number => {
      const length = bytes.length;
      if (bytes[i + 1] !== A || bytes[i + 2] !== COLON || !state.isOpen) return -1;
      let j = i + 3;
      let number = 0;
      for (; j < length && j - i < 12; j++) {
        const c = bytes[j] as number;
        if (c < ZERO || c > NINE) break;
        number = number * 10 + c - ZERO;
      }
      if (j === i + 3 || bytes[j] !== COMMA || number < 1) return -1;
      const from = ++j;
      let count = 0;
      for (; j < length && j - from < 15; j++) {
        const c = bytes[j] as number;
        if (c < ZERO || c > NINE) break;
        count = count * 10 + c - ZERO;
      }
      if (j === from) return -1;
      let c = bytes[j];
      if (c === COMMA) {
        while (j < length && bytes[j] !== LF) j++;
        c = bytes[j];
      } else if (c === CR) c = bytes[++j];
      if (c !== LF) return -1;
      n++;
      state.hits(number, count);
      return j + 1;
    };
    let carry: Uint8Array | undefined;
    for await (const bytes of chunks) {
      // One kind of array (a Buffer is a subclass): element reads stay monomorphic, and fast.
      const chunk = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
      const length = chunk.length;
      let i = 0;
      if (carry !== undefined) {
        while (i < length && chunk[i] !== LF) i++;
        const joined = new Uint8Array(carry.length + i);
        joined.set(carry);
        joined.set(chunk.subarray(0, i), carry.length);
        if (i === length) {
          carry = joined;
          continue;
        }
        carry = undefined;
        const problem = line(joined, 0, joined.length);
        if (problem !== undefined) return fail(problem);
        i++;
      }
      while (i < length) {
        if (chunk[i] === D) {
          const next = plainRecord(chunk, i);
          if (next !== -1) {
            i = next;
            continue;
          }
        }
        let j = i;
        while (j < length && chunk[j] !== LF) j++;
        if (j === length) {
          carry = chunk.slice(i);
          break;
        }
        const problem = line(chunk, i, j);
        if (problem !== undefined) return fail(problem);
        i = j + 1;
      }
    }
    if (carry !== undefined) {
      const problem = line(carry, 0, carry.length);
      if (problem !== undefined) return fail(problem);
    }
    return state.end(n);
  },
} satisfies CoverageReader;
