import {
  emptyCoverageReport,
  fileLines,
  recordHits,
  reserveLines,
  type CoverageReport,
  type LineHits,
} from '../../../core/coverage/coverage-report.ts';
import type { Problem } from '../../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../../core/lib/result.ts';
import type { CoverageReader } from '../coverage-reader.ts';

/**
 * The state of one tracefile being read, fed a line at a time (`line`); the byte scanner records
 * the DA records it parses into the open section itself (`open`, `noteLast`). A file `isKept`
 * refuses is listed with no line records; its records are checked all the same.
 */
function lcovState(isKept?: (file: string) => boolean) {
  const report = emptyCoverageReport();
  let file: string | undefined;
  let current: LineHits | undefined;
  let isRecording = false;
  let opened = 0;
  // The last line recorded in the section, and in the one before: files of a report tend to be
  // alike, so a new file's records get the room the previous one needed (reserveLines).
  let sectionLast = 0;
  let previousLast = 0;
  return {
    /** The records of the open SF: section (where a DA record's numbers are all it takes). */
    open(): LineHits | undefined {
      return current;
    },
    /** Whether the open section's records are kept (else only checked). */
    isRecording(): boolean {
      return isRecording;
    },
    /** The byte scanner recorded DA records in place, up to line `last` of the open section. */
    noteLast(last: number): void {
      if (last > sectionLast) sectionLast = last;
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
        isRecording = isKept === undefined || isKept(file);
        if (isRecording && previousLast > 0) reserveLines(current, previousLast);
        sectionLast = 0;
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
        if (current !== undefined && isRecording) recordHits(current, number, count);
        if (number > sectionLast) sectionLast = number;
      } else if (line.trim() === 'end_of_record') {
        if (file === undefined) return { message: 'end_of_record without a file section', line: n, column: 1 };
        file = undefined;
        current = undefined;
        isRecording = false;
        // A bound, so one odd file (a generated one of a million lines) does not size the rest.
        previousLast = Math.min(sectionLast, 100_000);
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
 * `readBytes`'s scanner (docs/adr/0035, 0045): a plain DA record (`DA:<digits>,<digits>[,…]`
 * then a newline) is parsed and recorded where it lies, a line another record type starts is
 * skipped by its first byte, and only the rest is decoded and read as `read` reads it. The loop
 * is a plain method over one chunk, with the open section's records in a local: V8 compiles it
 * whole, which an async loop over chunks it would not.
 */
class ByteScanner {
  readonly state: ReturnType<typeof lcovState>;
  /** Lines read so far. */
  n = 0;
  /** The problem that stopped `scan`, if any. */
  problem: Problem | undefined;
  #isFirst = true;
  readonly #decoder = new TextDecoder();

  constructor(isKept: ((file: string) => boolean) | undefined) {
    this.state = lcovState(isKept);
  }

  /** A line that is not a plain DA record: `bytes[start, end)` (its `\n` left out). */
  line(bytes: Uint8Array, start: number, end: number): Problem | undefined {
    this.n++;
    let s = start;
    let t = end;
    if (this.#isFirst) {
      this.#isFirst = false;
      if (bytes[s] === 0xef && bytes[s + 1] === 0xbb && bytes[s + 2] === 0xbf) s += 3;
    }
    if (t > s && bytes[t - 1] === CR) t--;
    if (t === s) return undefined;
    const first = bytes[s] as number;
    // TN, FN, BRDA, LF, …: their first byte says they are no record read here.
    if (first > 0x20 && first < 0x7f && first !== S && first !== D && first !== e) return undefined;
    return this.state.line(this.#decoder.decode(bytes.subarray(s, t)), this.n);
  }

  /**
   * Reads the complete lines of `chunk` from `i`: the index where its last, cut line starts
   * (the chunk's length when none is), or −1 with `problem` set.
   */
  scan(chunk: Uint8Array, start: number): number {
    const length = chunk.length;
    const { state } = this;
    let i = start;
    // The records of the open section, the DA records counted and the last line recorded here.
    let open = state.open();
    let isRecording = state.isRecording();
    let records = 0;
    let last = 0;
    while (i < length) {
      if (chunk[i] === D && open !== undefined && chunk[i + 1] === A && chunk[i + 2] === COLON) {
        let j = i + 3;
        let number = 0;
        for (; j < length && j - i < 12; j++) {
          const c = chunk[j] as number;
          if (c < ZERO || c > NINE) break;
          number = number * 10 + c - ZERO;
        }
        if (j !== i + 3 && chunk[j] === COMMA && number >= 1) {
          const from = ++j;
          let count = 0;
          for (; j < length && j - from < 15; j++) {
            const c = chunk[j] as number;
            if (c < ZERO || c > NINE) break;
            count = count * 10 + c - ZERO;
          }
          const hasCount = j !== from;
          let c = chunk[j];
          if (c === COMMA) {
            while (j < length && chunk[j] !== LF) j++;
            c = chunk[j];
          } else if (c === CR) c = chunk[++j];
          if (hasCount && c === LF) {
            records++;
            if (number > last) last = number;
            if (isRecording) {
              const hits = open.hits;
              if (number < hits.length && count < 0x7fffffff) {
                if (count > (hits[number] as number)) hits[number] = count;
              } else recordHits(open, number, count);
            }
            i = j + 1;
            continue;
          }
        }
      }
      // Any other line (another record, odd numbers, a record cut by the chunk's end).
      this.n += records;
      records = 0;
      if (last > 0) state.noteLast(last);
      last = 0;
      const j = chunk.indexOf(LF, i);
      if (j === -1) return i;
      this.problem = this.line(chunk, i, j);
      if (this.problem !== undefined) return -1;
      open = state.open();
      isRecording = state.isRecording();
      i = j + 1;
    }
    this.n += records;
    if (last > 0) state.noteLast(last);
    return length;
  }
}

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
  async read(lines, options?) {
    const state = lcovState(options?.isKept);
    let n = 0;
    for await (const batch of lines)
      for (const line of batch) {
        n++;
        const problem = state.line(line, n);
        if (problem !== undefined) return fail(problem);
      }
    return state.end(n);
  },

  async readBytes(chunks, options?) {
    const scanner = new ByteScanner(options?.isKept);
    // The pieces of a line cut by chunk ends, copied (a chunk is valid until the next one only),
    // joined once its newline comes: a line of any length costs its size, not its size squared.
    let carry: Uint8Array[] = [];
    const joinCarry = (tail: Uint8Array): Uint8Array => {
      const joined = new Uint8Array(carry.reduce((sum, piece) => sum + piece.length, tail.length));
      let at = 0;
      for (const piece of [...carry, tail]) {
        joined.set(piece, at);
        at += piece.length;
      }
      carry = [];
      return joined;
    };
    for await (const bytes of chunks) {
      // One kind of array (a Buffer is a subclass): element reads stay monomorphic, and fast.
      const chunk = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
      const length = chunk.length;
      let i = 0;
      if (carry.length > 0) {
        i = chunk.indexOf(LF);
        if (i === -1) {
          carry.push(chunk.slice());
          continue;
        }
        const joined = joinCarry(chunk.subarray(0, i));
        const problem = scanner.line(joined, 0, joined.length);
        if (problem !== undefined) return fail(problem);
        i++;
      }
      const rest = scanner.scan(chunk, i);
      if (scanner.problem !== undefined) return fail(scanner.problem);
      if (rest < length) carry.push(chunk.slice(rest));
    }
    if (carry.length > 0) {
      const joined = joinCarry(new Uint8Array(0));
      const problem = scanner.line(joined, 0, joined.length);
      if (problem !== undefined) return fail(problem);
    }
    return scanner.state.end(scanner.n);
  },
} satisfies CoverageReader;
