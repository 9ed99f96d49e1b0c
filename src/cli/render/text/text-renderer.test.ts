import { describe, expect, it } from 'vitest';
import { runRendererConformance } from '../renderer-conformance.ts';
import { textRenderer } from './text-renderer.ts';

runRendererConformance({
  renderer: textRenderer,
  kinds: {
    heading: {
      document: { blocks: [{ kind: 'heading', level: 3, text: 'DORA, production' }] },
      output: 'DORA, production\n',
    },
    paragraph: {
      document: { blocks: [{ kind: 'paragraph', text: ['key ', { code: 'a::b' }] }] },
      output: 'key a::b\n',
    },
    list: {
      document: { blocks: [{ kind: 'list', items: ['hint a: one', 'hint b: two'] }] },
      output: 'hint a: one\nhint b: two\n',
    },
    table: {
      document: {
        blocks: [
          {
            kind: 'table',
            caption: 'by suite',
            columns: [{ header: 'suite' }, { header: 'runs' }, { header: 'rate' }],
            rows: [
              [{ code: 'checkout' }, 14, '28.57%'],
              ['search', null, undefined],
            ],
          },
        ],
      },
      output: [
        'by suite:',
        'suite     runs  rate',
        '--------  ----  ------',
        'checkout    14  28.57%',
        'search       -  -',
        '',
      ].join('\n'),
    },
    details: {
      document: {
        blocks: [{ kind: 'details', summary: 'flaky', blocks: [{ kind: 'list', items: ['a'] }] }],
      },
      output: 'flaky:\na\n',
    },
    section: {
      document: {
        blocks: [
          { kind: 'section', blocks: [{ kind: 'paragraph', text: 'one' }] },
          { kind: 'section', blocks: [{ kind: 'paragraph', text: 'two' }] },
          { kind: 'paragraph', text: 'three' },
        ],
      },
      output: 'one\n\ntwo\n\nthree\n',
    },
  },
  escaping: [
    {
      // Plain text needs no escaping: a pipe, a link and Markdown characters stay as they are.
      document: {
        blocks: [
          {
            kind: 'table',
            columns: [{ header: 'key' }, { header: 'issue' }],
            rows: [['a|*b*', { text: 'fix', link: 'https://x.example/1' }]],
          },
        ],
      },
      output: 'key    issue\n-----  -------------------------\na|*b*  fix (https://x.example/1)\n',
    },
  ],
});

describe('textRenderer', () => {
  it('aligns numbers right and text left unless a column says otherwise', () => {
    expect(
      textRenderer.render({
        blocks: [
          {
            kind: 'table',
            columns: [{ header: 'name' }, { header: 'n' }, { header: 'share', align: 'right' }],
            rows: [
              ['a', 1, '5%'],
              ['bb', 100, '50%'],
            ],
          },
        ],
      }),
    ).toBe('name    n  share\n----  ---  -----\na       1     5%\nbb    100    50%\n');
  });

  it('follows a section with a blank line, at the end too', () => {
    expect(
      textRenderer.render({
        blocks: [
          { kind: 'heading', level: 3, text: 'title' },
          {
            kind: 'section',
            blocks: [
              { kind: 'paragraph', text: 'a' },
              { kind: 'list', items: ['b'] },
            ],
          },
          { kind: 'section', blocks: [{ kind: 'paragraph', text: 'c' }] },
        ],
      }),
    ).toBe('title\na\nb\n\nc\n\n');
  });

  it('writes an empty table as its header and rule', () => {
    expect(
      textRenderer.render({
        blocks: [{ kind: 'table', columns: [{ header: 'id' }, { header: 'n' }], rows: [] }],
      }),
    ).toBe('id  n\n--  -\n');
  });
});
