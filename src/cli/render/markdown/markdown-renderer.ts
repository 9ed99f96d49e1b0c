import {
  defaultAlign,
  shownBlocks,
  spansOf,
  type Block,
  type Cell,
  type Document,
  type Inline,
  type Renderer,
} from '../renderer.ts';

/**
 * GitHub-flavoured Markdown (`rich` layout) for step summaries (`$GITHUB_STEP_SUMMARY`) and pull
 * request comments: blocks apart by a blank line, tables with a delimiter row (`---`, `---:`),
 * code as backtick spans, details as `<details>`. Plain text is escaped (`escapeText`: HTML and
 * Markdown syntax show as written). A table cell escapes `|` and turns line breaks into spaces; a
 * heading or list item is kept on one line.
 */
export const markdownRenderer = {
  id: 'markdown',
  description: 'GitHub-flavoured Markdown for step summaries and pull request comments',
  layout: 'rich',
  render(document: Document): string {
    const text = renderBlocks(document.blocks);
    return text === '' ? '' : `${text}\n`;
  },
} satisfies Renderer;

function renderBlocks(blocks: readonly Block[]): string {
  return shownBlocks(blocks, 'rich')
    .map(renderBlock)
    .filter((text) => text !== '')
    .join('\n\n');
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `${'#'.repeat(block.level)} ${oneLine(inline(block.text))}`;
    case 'paragraph':
      return inline(block.text);
    case 'list':
      return block.items.map((item) => `- ${oneLine(inline(item))}`).join('\n');
    case 'table': {
      const table = renderTable(block);
      return block.caption === undefined ? table : `${block.caption}:\n\n${table}`;
    }
    case 'details': {
      const inner = renderBlocks(block.blocks);
      return [`<details><summary>${escapeHtml(block.summary)}</summary>`, inner, '</details>']
        .filter((part) => part !== '')
        .join('\n\n');
    }
    case 'section':
      return renderBlocks(block.blocks);
  }
}

function renderTable(table: Extract<Block, { kind: 'table' }>): string {
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    row(table.columns.map((column) => escapeCell(column.header))),
    row(
      table.columns.map((column, i) =>
        (column.align ?? defaultAlign(table.rows, i)) === 'right' ? '---:' : '---',
      ),
    ),
    ...table.rows.map((cells) => row(table.columns.map((_, i) => renderCell(cells[i])))),
  ].join('\n');
}

function renderCell(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return String(cell);
  return escapeCell(inline(cell));
}

/** Text made safe for one table cell: `|` escaped, line breaks as spaces. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

function inline(text: Inline): string {
  return spansOf(text)
    .map((span) =>
      typeof span === 'string'
        ? escapeText(span)
        : 'code' in span
          ? codeSpan(span.code)
          : `[${escapeText(span.text)}](${span.link.replace(/[\s()<>]/g, encodeURIComponent)})`,
    )
    .join('');
}

/**
 * Plain text as text, whatever it holds (a test name, a failure message): HTML as entities, so
 * `<img onerror>` from a failure shows as written and never renders in a pull request comment;
 * Markdown's inline syntax (backticks, emphasis, links and images, strikethrough) and a leading
 * block marker (`#`, `>`, `-`, `+`, `1.`) escaped with a backslash (CommonMark 2.4).
 */
export function escapeText(text: string): string {
  return (
    text
      .replace(/[\\`*~]/g, (character) => `\\${character}`)
      // `_` emphasises only at a word's edge (`__init__`, not `test_query`); a `]` makes a link
      // or an image only before `(`, `[` or `:`: escaped there, names stay readable.
      .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
      .replace(/\](?=[([:])/g, '\\]')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/^(\s*)(#{1,6}|[+-]|\d+[.)])(?=\s|$)/gm, '$1\\$2')
  );
}

/** A code span whose fence is longer than any run of backticks inside it (CommonMark 6.1). */
function codeSpan(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${code}${pad}${fence}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
