import { emptyCoverageReport, fileLines, recordLine } from '../../../core/coverage/coverage-report.ts';
import { messageOf } from '../../../core/lib/message-of.ts';
import { fail, ok } from '../../../core/lib/result.ts';
import type { CoverageReader } from '../coverage-reader.ts';

/** Files of coverage-final.json larger than this are refused (they are per-file maps, not logs). */
const maxCharacters = 512 * 1024 * 1024;

type FileCoverage = {
  path?: unknown;
  statementMap?: Record<string, { start?: { line?: unknown } } | undefined>;
  s?: Record<string, unknown>;
};

/**
 * Istanbul's `coverage-final.json` (nyc, Jest, Vitest and c8 `--reporter=json`): an object of
 * file path → FileCoverage. Line coverage is derived as istanbul-lib-coverage does: each
 * statement's hits count on the line it starts on (the largest on a line). `coverage-summary.json`
 * is refused (counters only). The document is parsed whole (JSON), up to 512 MiB of text.
 */
export const istanbulReader = {
  id: 'istanbul',
  description: 'Istanbul JSON (coverage-final.json: statementMap and s per file)',
  detectHint: 'Istanbul JSON (coverage-final.json: {"<path>": {"path", "statementMap", "s", …}})',
  detect: (head) => /^\s*\{/.test(head) && /"(?:statementMap|path|fnMap|branchMap)"\s*:/.test(head),
  async read(lines) {
    const parts: string[] = [];
    let size = 0;
    for await (const batch of lines) for (const line of batch) {
      size += line.length + 1;
      if (size > maxCharacters) return fail({ message: 'larger than 512 MiB: not a coverage map', line: 1, column: 1 });
      // A BOM a caller left is not JSON.
      parts.push(parts.length === 0 ? line.replace(/^\uFEFF/, '') : line);
    }
    let document: unknown;
    try {
      document = JSON.parse(parts.join('\n'));
    } catch (error) {
      return fail({ message: `not JSON (truncated?): ${messageOf(error)}`, line: 1, column: 1 });
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document))
      return fail({ message: 'expected an object of file path → file coverage', line: 1, column: 1, path: '$' });
    const report = emptyCoverageReport();
    for (const [key, value] of Object.entries(document as Record<string, unknown>)) {
      const coverage = value as FileCoverage | null;
      if (key === 'total')
        return fail({ message: 'this is coverage-summary.json (counters only); give coverage-final.json', line: 1, column: 1, path: 'total' });
      if (typeof coverage !== 'object' || coverage === null || typeof coverage.statementMap !== 'object' || typeof coverage.s !== 'object')
        return fail({ message: 'a file coverage needs statementMap and s', line: 1, column: 1, path: JSON.stringify(key) });
      const file = typeof coverage.path === 'string' ? coverage.path : key;
      fileLines(report, file);
      for (const [id, hits] of Object.entries(coverage.s ?? {})) {
        const line = coverage.statementMap[id]?.start?.line;
        if (typeof line !== 'number' || !Number.isInteger(line) || line < 1 || typeof hits !== 'number' || hits < 0)
          return fail({ message: `statement ${id} needs a start line ≥ 1 and hits ≥ 0`, line: 1, column: 1, path: `${JSON.stringify(key)}.s.${id}` });
        recordLine(report, file, line, hits);
      }
    }
    if (report.files.size === 0) return fail({ message: 'no file in the coverage map', line: 1, column: 1 });
    return ok(report);
  },
} satisfies CoverageReader;
