import type { GateRun } from '../../app/gates/run-gate.ts';
import type { Block, Cell, Document } from '../render/renderer.ts';

const icons = { pass: '✓', warn: '!', fail: '✗' } as const;
const richIcons = { pass: '✅', warn: '⚠️', fail: '❌' } as const;

const shown = (value: number | string | null): Cell =>
  value === null ? null : typeof value === 'number' ? Math.round(value * 100) / 100 : value;

/**
 * `candor gate`. Plain output is one line per condition (result, name, value, threshold,
 * evidence, message) and the checklist's result last; rich output (step summaries, PR comments)
 * is a heading with the result and a table, the failing locations folded away.
 */
export function describeGate(run: GateRun): Document {
  const failing = run.conditions.filter((c) => c.result === 'fail').length;
  const warning = run.conditions.filter((c) => c.result === 'warn').length;
  const summary = `gate ${run.checklist}: ${run.result} — ${run.conditions.length} condition(s), ${failing} failed, ${warning} warned${
    run.commit === undefined ? '' : ` at ${run.commit.slice(0, 12)}`
  }`;
  const rows = (icon: Record<'pass' | 'warn' | 'fail', string>) =>
    run.conditions.map((c): Cell[] => [
      `${icon[c.result]} ${c.result}`,
      c.name,
      shown(c.value),
      shown(c.threshold),
      c.evidence.length === 0
        ? null
        : c.evidence.slice(0, 3).join(', ') + (c.evidence.length > 3 ? ', …' : ''),
      c.message,
    ]);
  const columns = [
    { header: 'result' },
    { header: 'condition' },
    { header: 'value', align: 'right' as const },
    { header: 'threshold', align: 'right' as const },
    { header: 'evidence' },
    { header: 'message' },
  ];
  const locations = run.conditions.flatMap((c) =>
    c.result === 'pass'
      ? []
      : c.locations
          .slice(0, 20)
          .map((l): Cell[] => [
            c.name,
            { code: l.line === undefined ? l.file : `${l.file}:${l.line}` },
            l.message,
          ]),
  );
  const blocks: Block[] = [
    { kind: 'table', only: 'plain', columns, rows: rows(icons) },
    { kind: 'paragraph', only: 'plain', text: summary },
    {
      kind: 'heading',
      level: 3,
      only: 'rich',
      text: `${richIcons[run.result]} candor gate ${run.checklist}: ${run.result}`,
    },
    {
      kind: 'paragraph',
      only: 'rich',
      text: `${run.conditions.length} conditions · ${failing} failed · ${warning} warned`,
    },
    { kind: 'table', only: 'rich', columns, rows: rows(richIcons) },
  ];
  if (locations.length > 0)
    blocks.push({
      kind: 'details',
      only: 'rich',
      summary: `where (${locations.length})`,
      blocks: [
        {
          kind: 'table',
          columns: [{ header: 'condition' }, { header: 'file' }, { header: 'message' }],
          rows: locations,
        },
      ],
    });
  return { blocks };
}
