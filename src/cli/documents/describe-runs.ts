import type { RunList } from '../../contracts/runs.ts';
import type { Document } from '../render/renderer.ts';

/** `candor runs`: one row per run, newest first, or a hint when none is stored. */
export function describeRuns(list: RunList): Document {
  if (list.runs.length === 0)
    return {
      blocks: [{ kind: 'paragraph', text: 'no runs stored yet: try `candor ingest <reports>`' }],
    };
  return {
    blocks: [
      {
        kind: 'table',
        columns: [
          { header: 'started' },
          { header: 'run' },
          { header: 'repo' },
          { header: 'branch' },
          { header: 'commit' },
          { header: 'tests' },
          { header: 'passed' },
          { header: 'failed' },
          { header: 'skipped' },
          { header: 'flaky' },
        ],
        rows: list.runs.map((r) => [
          r.startedAt.slice(0, 19).replace('T', ' '),
          r.id,
          r.repo,
          r.branch,
          r.commit?.slice(0, 10),
          r.tests,
          r.passed,
          r.failed,
          r.skipped,
          r.flaky,
        ]),
      },
    ],
  };
}
