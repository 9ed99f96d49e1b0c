import type { TestHistory } from '../../contracts/test-history.ts';
import type { Document } from '../render/renderer.ts';

/**
 * `candor tests show`: per test its key, repository, file and suite, the count of its latest
 * executions by status, and one row per execution with its first failure message.
 */
export function describeTestHistory(history: TestHistory): Document {
  return {
    blocks: history.tests.map(({ executions, ...test }) => {
      const where = [test.file, test.suite].filter(Boolean).join(' · ');
      const counts = new Map<string, number>();
      for (const e of executions) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
      return {
        kind: 'section',
        blocks: [
          { kind: 'paragraph', text: `${test.key}  (${test.repo}${where ? `, ${where}` : ''})` },
          {
            kind: 'paragraph',
            text: `last ${executions.length}: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}`,
          },
          {
            kind: 'table',
            columns: [
              { header: 'started' },
              { header: 'branch' },
              { header: 'commit' },
              { header: 'status' },
              { header: 'attempts' },
              { header: 'ms' },
              { header: 'message' },
            ],
            rows: executions.map((e) => [
              e.startedAt.slice(0, 19).replace('T', ' '),
              e.branch,
              e.commit?.slice(0, 10),
              e.status,
              e.attempts.length,
              e.durationMs === null ? null : Math.round(e.durationMs),
              e.attempts
                .find((a) => a.status === 'failed')
                ?.message?.split('\n')[0]
                ?.slice(0, 60),
            ]),
          },
        ],
      };
    }),
  };
}
