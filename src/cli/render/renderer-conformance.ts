import { describe, expect, it } from 'vitest';
import type { BlockKind, Document, Renderer } from './renderer.ts';

/** A document and exactly what a renderer writes for it. */
export type RendererSample = { document: Document; output: string };

/** The cases of the suite, by name: what a skip names. */
export const rendererConformanceCases = [
  'writes nothing for an empty document',
  'writes every kind of block',
  'ends its output with a newline',
  'shows blocks marked for its layout and hides the others',
  'never throws on a table without rows, columns or cells',
  'escapes what its format needs',
  'never throws on hostile text',
] as const;
export type RendererConformanceCase = (typeof rendererConformanceCases)[number];

export type RendererConformanceOptions = {
  renderer: Renderer;
  /** One sample per kind of block, so a new kind fails every renderer until it has one. */
  kinds: Record<BlockKind, RendererSample>;
  /** Text the format would misread unless escaped: at least one sample. */
  escaping: readonly [RendererSample, ...RendererSample[]];
  /** Cases this renderer does not pass, each with its reason (also listed in its readme.md). */
  skip?: readonly { reason: string; tests: readonly RendererConformanceCase[] }[];
};

const hostile = [
  'a|b',
  'line one\nline two',
  'crlf\r\nend',
  '<script>&amp;</script>',
  '`tick` ``double``',
  'nul \u0000 here',
  'wide 测试 ✓ 🙂',
  'x'.repeat(10_000),
];

/**
 * The shared suite every renderer's own test calls with its samples (the pattern of Hono's
 * `runTest`): registers one `describe` with the cases above. A skipped case is not registered at
 * all; a skip without a reason throws when the suite is registered.
 */
export function runRendererConformance(options: RendererConformanceOptions): void {
  const { renderer } = options;
  const skipped = new Set<string>();
  for (const skip of options.skip ?? []) {
    if (skip.reason.trim() === '')
      throw new Error(`${renderer.id}: a conformance skip needs a reason`);
    for (const test of skip.tests) skipped.add(test);
  }
  const test = (name: RendererConformanceCase, body: () => void): void => {
    if (!skipped.has(name)) it(name, body);
  };
  const other = renderer.layout === 'plain' ? 'rich' : 'plain';

  describe(`renderer conformance: ${renderer.id}`, () => {
    test('writes nothing for an empty document', () => {
      expect(renderer.render({ blocks: [] })).toBe('');
      expect(renderer.render({ blocks: [{ kind: 'paragraph', text: 'x', only: other }] })).toBe('');
    });

    test('writes every kind of block', () => {
      for (const [kind, sample] of Object.entries(options.kinds)) {
        expect(
          sample.document.blocks.some((block) => block.kind === kind),
          `the sample for ${kind} holds a ${kind}`,
        ).toBe(true);
        expect(renderer.render(sample.document), kind).toBe(sample.output);
      }
    });

    test('ends its output with a newline', () => {
      for (const sample of [...Object.values(options.kinds), ...options.escaping]) {
        const output = renderer.render(sample.document);
        expect(output.endsWith('\n')).toBe(true);
        expect(output.endsWith('\n\n')).toBe(false);
      }
    });

    test('shows blocks marked for its layout and hides the others', () => {
      const output = renderer.render({
        blocks: [
          { kind: 'paragraph', text: 'shared' },
          { kind: 'paragraph', text: 'mine', only: renderer.layout },
          { kind: 'paragraph', text: 'theirs', only: other },
          { kind: 'section', blocks: [{ kind: 'list', items: ['inner theirs'], only: other }] },
        ],
      });
      expect(output).toContain('shared');
      expect(output).toContain('mine');
      expect(output).not.toContain('theirs');
    });

    test('never throws on a table without rows, columns or cells', () => {
      const tables: Document[] = [
        { blocks: [{ kind: 'table', columns: [], rows: [] }] },
        { blocks: [{ kind: 'table', columns: [{ header: 'only header' }], rows: [] }] },
        {
          blocks: [
            {
              kind: 'table',
              columns: [{ header: 'a' }, { header: 'b', align: 'right' }],
              rows: [[], [null, undefined], ['one cell']],
            },
          ],
        },
      ];
      for (const document of tables) {
        const output = renderer.render(document);
        expect(typeof output).toBe('string');
      }
      expect(
        renderer.render({
          blocks: [{ kind: 'table', columns: [{ header: 'only header' }], rows: [] }],
        }),
      ).toContain('only header');
    });

    test('escapes what its format needs', () => {
      for (const sample of options.escaping)
        expect(renderer.render(sample.document)).toBe(sample.output);
    });

    test('never throws on hostile text', () => {
      for (const text of hostile) {
        const output = renderer.render({
          blocks: [
            { kind: 'heading', level: 3, text },
            { kind: 'paragraph', text: [text, { code: text }, { text, link: text }] },
            { kind: 'list', items: [text] },
            { kind: 'table', columns: [{ header: text }], rows: [[text], [{ code: text }]] },
            { kind: 'details', summary: text, blocks: [{ kind: 'paragraph', text }] },
          ],
        });
        expect(output.length).toBeGreaterThan(0);
      }
    });
  });
}
