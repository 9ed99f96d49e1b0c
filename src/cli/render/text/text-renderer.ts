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
 * padded, two spaces apart, no trailing spaces), a section ends with a blank line.
 */
export const textRenderer = {
  id: 'text',
  description: 'aligned plain text for a terminal or a CI log',
  layout: 'plain',
  render(document: Document): string {
    return renderBlocks(document.blocks);
  },
} satisfies Renderer;

/** Each block's lines, each ending with a newline; a section is followed by an empty line. */
function renderBlocks(blocks: readonly Block[]): string {
  let out = '';
  for (const block of shownBlocks(blocks, 'plain')) {
    const text = renderBlock(block);
    if (text !== '') out += block.kind === 'section' ? `${text}\n\n` : `${text}\n`;
  }
  return out;
}

/** A block's lines, without the last newline. */
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
      const inner = renderBlocks(block.blocks).replace(/\n+$/, '');
      return inner === '' ? `${block.summary}:` : `${block.summary}:\n${inner}`;
    }
    case 'section':
      return renderBlocks(block.blocks).replace(/\n+$/, '');
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
