/**
 * The renderer family (docs/adr/0013): a command describes what it prints once, as a small
 * document, and a renderer turns that document into text. `text/` writes aligned columns for a
 * terminal or a CI log, `markdown/` writes GitHub-flavoured Markdown for step summaries and pull
 * request comments; the registry is `renderers.ts`. `--json` is not a renderer: it is each
 * command's JSON contract (src/contracts/).
 */

/** A piece of inline text: plain, code (a test key, a path), or a link. */
export type Span = string | { code: string } | { text: string; link: string };

/** Inline text: one span or a sequence of them, written one after the other. */
export type Inline = Span | readonly Span[];

/**
 * A table cell. Numbers are right-aligned unless the column says otherwise; `null` and
 * `undefined` are an absent value (`-` in plain layout, an empty cell in rich layout).
 */
export type Cell = Inline | number | null | undefined;

export type Column = {
  header: string;
  /**
   * Where the cells sit. Default: `right` when the table has rows and every cell of the column is
   * a number or `null`, else `left` (a column with an `undefined` cell is text).
   */
  align?: 'left' | 'right';
};

/**
 * How a renderer lays a document out. `plain`: read line by line in a terminal or a CI log, one
 * greppable line per finding. `rich`: read as a page (a step summary, a comment, a report), with
 * headings, tables and collapsible details.
 */
export type Layout = 'plain' | 'rich';

/**
 * Shown by every renderer unless `only` names one layout: where plain and rich output
 * deliberately show a finding differently (a `✗ failed: key` line versus a table row), the
 * document holds both, each marked.
 */
type Shown = { only?: Layout };

export type Block =
  | (Shown & {
      kind: 'heading';
      text: Inline;
      /** 3 (a report) or 4 (a part of one); the plain layout writes a heading as a line. */
      level: 3 | 4;
    })
  | (Shown & { kind: 'paragraph'; text: Inline })
  /** One line per item in plain layout, a bullet list in rich layout. */
  | (Shown & { kind: 'list'; items: readonly Inline[] })
  | (Shown & {
      kind: 'table';
      columns: readonly Column[];
      rows: readonly (readonly Cell[])[];
      /** A label written before the table (`by suite:`). */
      caption?: string;
    })
  /** Collapsed under `summary` in rich layout; in plain layout the summary is a line before the blocks. */
  | (Shown & { kind: 'details'; summary: string; blocks: readonly Block[] })
  /** A group of blocks followed by a blank line in plain layout (a test's history, a step). */
  | (Shown & { kind: 'section'; blocks: readonly Block[] });

export type BlockKind = Block['kind'];

/** What a command prints, whatever the format. */
export type Document = { blocks: readonly Block[] };

/**
 * A renderer: a document in, text out.
 *
 * - `id` equals the renderer's key in `renderers.ts`; `description` is one line for humans.
 * - `layout` is the renderer's capability: which blocks marked `only` it shows.
 * - `render` returns the whole output, ending with a newline ('' for a document with no
 *   block to show). It escapes whatever its format needs, accepts tables without rows, and never
 *   throws.
 */
export type Renderer = {
  readonly id: string;
  readonly description: string;
  readonly layout: Layout;
  render(document: Document): string;
};

/** The plain text of inline text, without markup (code as is, a link as `text (link)`). */
export function plainText(inline: Inline): string {
  return spansOf(inline)
    .map((span) =>
      typeof span === 'string' ? span : 'code' in span ? span.code : `${span.text} (${span.link})`,
    )
    .join('');
}

/** Inline text as a sequence of spans. */
export function spansOf(inline: Inline): readonly Span[] {
  return isSpan(inline) ? [inline] : inline;
}

function isSpan(inline: Inline): inline is Span {
  return typeof inline === 'string' || !Array.isArray(inline);
}

/** The blocks a renderer of `layout` shows, in order. */
export function shownBlocks(blocks: readonly Block[], layout: Layout): Block[] {
  return blocks.filter((block) => block.only === undefined || block.only === layout);
}

/** A column's alignment when it names none: right when there are rows and every cell is a number or null. */
export function defaultAlign(rows: readonly (readonly Cell[])[], column: number): 'left' | 'right' {
  return rows.length > 0 &&
    rows.every((row) => typeof row[column] === 'number' || row[column] === null)
    ? 'right'
    : 'left';
}
