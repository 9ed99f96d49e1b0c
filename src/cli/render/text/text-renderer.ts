import {
  defaultAlign,
  plainText,
  shownBlocks,
  type Block,
  type Cell,
  type Column,
  type Document,
  type Renderer,
} from '../renderer.ts';

/**
 * Aligned columns for a terminal or a CI log (`plain` layout): a heading, a paragraph and each
 * list item are one line, a table is a header, a rule of dashes and one line per row (cells
 * padded, two spaces apart, no trailing spaces), a section is set apart by blank lines.
 */
export const textRenderer = {
  id: 'text',
  description: 'aligned plain text for a terminal or a CI log',
  layout: 'plain',
  render(document: Document): string {
    const text = renderBlocks(document.blocks);
    return text === '' ? '' : `${text}\n`;
  },
} satisfies Renderer;

function renderBlocks(blocks: readonly Block[]): string {
  let out = '';
  let previousIsSection = false;
  for (const block of shownBlocks(blocks, 'plain')) {
    const text = renderBlock(block);
    if (text === '') continue;
    const isSection = block.kind === 'section';
    if (out !== '') out += isSection || previousIsSection ? '\n\n' : '\n';
    out += text;
    previousIsSection = isSection;
  }
  return out;
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
      return plainText(block.text);
    case 'list':
      return block.items.map(plainText).join('\n');
    case 'table': {
      const table = renderTable(block.columns, block.rows);
      return block.caption === undefined ? table : `${block.caption}:\n${table}`;
    }
    case 'details': {
      const inner = renderBlocks(block.blocks);
      return inner === '' ? `${block.summary}:` : `${block.summary}:\n${inner}`;
    }
    case 'section':
      return renderBlocks(block.blocks);
  }
}

/** Left-aligned text, right-aligned numbers (or as the columns say), absent cells as `-`. */
function renderTable(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
  const cells = rows.map((row) =>
    columns.map((_, i) => {
      const cell = row[i];
      return cell === null || cell === undefined
        ? '-'
        : typeof cell === 'number'
          ? String(cell)
          : plainText(cell);
    }),
  );
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const right = columns.map((column, i) => (column.align ?? defaultAlign(rows, i)) === 'right');
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (right[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
  ].join('\n');
}
