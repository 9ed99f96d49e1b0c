import type { ReportsVerdict } from '../../app/quarantine/judge-reports.ts';
import { formatProblem } from '../../core/lib/problem.ts';
import type { Block, Document } from '../render/renderer.ts';

/**
 * `candor verdict`. Plain output is one line per finding (`✗` unreadable or blocking, `~`
 * forgiven, `!` flaky) and the verdict last; rich output is a verdict heading, the counts, and a
 * table per kind of finding, the flaky tests folded away.
 */
export function describeVerdict(result: ReportsVerdict): Document {
  const { judged: v, outcome, unreadable } = result;
  const icon = outcome === 'pass' ? '✅' : outcome === 'fail' ? '❌' : '⚠️';
  const summary =
    outcome === 'no-tests'
      ? result.matched === 0
        ? 'verdict: no tests — no report file matched'
        : 'verdict: no tests — the reports hold zero tests'
      : `verdict: ${outcome} — ${v.tests} tests, ${v.blocking.length} blocking failure(s), ${v.forgiven.length} forgiven, ${v.flaky.length} flaky`;
  const blocks: Block[] = [
    {
      kind: 'list',
      only: 'plain',
      items: [
        ...unreadable.map((f) => {
          const e = f.errors[0];
          return `✗ ${formatProblem(
            e === undefined
              ? { message: 'unreadable' }
              : {
                  message: e.message,
                  line: e.line,
                  column: e.line === undefined ? undefined : (e.column ?? 1),
                },
            f.path,
          )}`;
        }),
        ...v.blocking.map(
          (t) =>
            `✗ failed: ${t.key}${t.expiredQuarantine ? ` (quarantine expired ${t.expiredQuarantine})` : ''}${t.message ? `: ${t.message.split('\n')[0]}` : ''}`,
        ),
        ...v.forgiven.map((t) => `~ forgiven (quarantined, owner ${t.owner}): ${t.key}`),
        ...v.flaky.map((t) => `! flaky (passed on retry): ${t.key}`),
      ],
    },
    { kind: 'paragraph', only: 'plain', text: summary },
    { kind: 'heading', level: 3, only: 'rich', text: `${icon} candor verdict: ${outcome}` },
    {
      kind: 'paragraph',
      only: 'rich',
      text: `${v.tests} tests · ${v.blocking.length} blocking · ${v.forgiven.length} forgiven · ${v.flaky.length} flaky`,
    },
  ];
  if (unreadable.length > 0)
    blocks.push({
      kind: 'table',
      only: 'rich',
      columns: [{ header: 'unreadable report' }, { header: 'error' }],
      rows: unreadable.map((f) => [f.path, f.errors[0]?.message ?? '']),
    });
  if (v.blocking.length > 0)
    blocks.push({
      kind: 'table',
      only: 'rich',
      columns: [{ header: 'blocking failure' }, { header: 'message' }],
      rows: v.blocking.map((t) => [
        { code: t.key },
        t.message?.split('\n')[0] ??
          (t.expiredQuarantine ? `quarantine expired ${t.expiredQuarantine}` : ''),
      ]),
    });
  if (v.forgiven.length > 0)
    blocks.push({
      kind: 'table',
      only: 'rich',
      columns: [{ header: 'forgiven (quarantined)' }, { header: 'owner' }, { header: 'reason' }],
      rows: v.forgiven.map((t) => [
        { code: t.key },
        t.owner,
        t.issue ? { text: t.reason, link: t.issue } : t.reason,
      ]),
    });
  if (v.flaky.length > 0)
    blocks.push({
      kind: 'details',
      only: 'rich',
      summary: 'flaky: passed on retry',
      blocks: [{ kind: 'list', items: v.flaky.map((t) => ({ code: t.key })) }],
    });
  return { blocks };
}
