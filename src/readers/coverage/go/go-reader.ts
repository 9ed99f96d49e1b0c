import { emptyCoverageReport, recordLine } from '../../../core/coverage/coverage-report.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import type { CoverageReader } from '../coverage-reader.ts';

/**
 * Go coverage profiles (`go test -coverprofile`, "cmd/cover" text format): `mode: set|count|atomic`,
 * then one block a line, `<file>:<startLine>.<startCol>,<endLine>.<endCol> <statements> <count>`.
 * Every line a block spans gets its count (the largest of the blocks on a line). Paths are import
 * paths (`example.com/mod/pkg/a.go`); the coverage condition strips the module path of go.mod.
 */
export const goReader = {
  id: 'go',
  description: 'Go coverprofile (go test -coverprofile: mode line, then blocks)',
  detectHint: 'a Go coverprofile (first line "mode: set", "mode: count" or "mode: atomic")',
  detect: (head) => /^mode: (?:set|count|atomic)\s*$/m.test(head.split('\n')[0] ?? ''),
  async read(lines) {
    const report = emptyCoverageReport();
    let n = 0;
    for await (const batch of lines) for (const line of batch) {
      n++;
      if (n === 1) {
        // A BOM a caller left (an editor on Windows) is not part of the mode line.
        const mode = line.replace(/^\uFEFF/, '');
        if (!/^mode: (?:set|count|atomic)\s*$/.test(mode))
          return fail({ message: `expected "mode: set|count|atomic" on the first line, got "${mode.slice(0, 40)}"`, line: 1, column: 1 });
        continue;
      }
      if (line.trim() === '') continue;
      // The path may hold colons (Windows drives), so match from the end.
      const match = /^(.+):(\d+)\.(\d+),(\d+)\.(\d+) (\d+) (\d+)$/.exec(line.trim());
      if (match === null)
        return fail({ message: `expected <file>:<line>.<col>,<line>.<col> <statements> <count>, got "${line.slice(0, 80)}"`, line: n, column: 1 });
      const [, file, start, , end, , , count] = match as unknown as [string, string, string, string, string, string, string, string];
      const from = Number(start);
      const to = Number(end);
      if (from < 1 || to < from || to - from > 100_000)
        return fail({ message: `a block from line ${from} to ${to} is not a block`, line: n, column: 1 });
      for (let l = from; l <= to; l++) recordLine(report, file, l, Number(count));
    }
    if (n === 0) return fail({ message: 'empty file: not a Go coverprofile', line: 1, column: 1 });
    return ok(report);
  },
} satisfies CoverageReader;
