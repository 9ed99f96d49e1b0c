import { describeUnmatched } from '../../app/tests/expand-report-paths.ts';
import type { IngestedFile } from '../../app/tests/ingest-report.ts';
import type { IngestSummary } from '../../app/tests/ingest-reports.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import type { Document } from '../render/renderer.ts';

/** One line per file of `candor ingest`: its counts, or each place and reason it was rejected. */
export function describeIngestedFile(file: IngestedFile): Document {
  if (file.errors.length > 0) {
    return {
      blocks: [
        {
          kind: 'list',
          items: file.errors.map(
            (e) =>
              `✗ ${formatProblem({ message: e.message, line: e.line ?? undefined, column: e.column ?? undefined }, file.path)}`,
          ),
        },
      ],
    };
  }
  const note = file.duplicate ? ' (already stored in this run)' : '';
  return {
    blocks: [
      {
        kind: 'paragraph',
        text: `✓ ${file.path}: ${file.format}, ${file.tests} tests (${file.passed} passed, ${file.failed} failed, ${file.skipped} skipped, ${file.flaky} flaky)${note}`,
      },
    ],
  };
}

/** The last line of `candor ingest`: the run and its totals, or that nothing was stored. */
export function describeIngestSummary(summary: IngestSummary): Document {
  const t = summary.totals;
  const stored = summary.files.some((file) => file.errors.length === 0);
  return {
    blocks: [
      {
        kind: 'paragraph',
        text: stored
          ? `run ${summary.run}: ${t.files} file(s), ${t.tests} tests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped, ${t.flaky} flaky`
          : `nothing stored: ${t.files} file(s), none readable`,
      },
    ],
  };
}

/** What `candor ingest` says on standard error about arguments that named no report. */
export function describeUnmatchedArguments(
  unmatched: readonly string[],
  noFile: boolean,
): Document {
  return {
    blocks: [
      {
        kind: 'list',
        items: unmatched.map((pattern) => `✗ ${pattern}: ${describeUnmatched(pattern)}`),
      },
      ...(noFile ? [{ kind: 'paragraph' as const, text: '✗ no report file given' }] : []),
    ],
  };
}
