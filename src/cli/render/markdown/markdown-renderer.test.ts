import { describe, expect, it } from 'vitest';
import { runRendererConformance } from '../renderer-conformance.ts';
import { markdownRenderer } from './markdown-renderer.ts';

runRendererConformance({
  renderer: markdownRenderer,
  kinds: {
    heading: {
      document: { blocks: [{ kind: 'heading', level: 4, text: '✅ flake budget' }] },
      output: '#### ✅ flake budget\n',
    },
    paragraph: {
      document: { blocks: [{ kind: 'paragraph', text: ['key ', { code: 'a::b' }] }] },
      output: 'key `a::b`\n',
    },
    list: {
      document: { blocks: [{ kind: 'list', items: [{ code: 'a' }, 'b'] }] },
      output: '- `a`\n- b\n',
    },
    table: {
      document: {
        blocks: [
          {
            kind: 'table',
            columns: [{ header: 'test' }, { header: 'runs' }, { header: 'rate', align: 'right' }],
            rows: [
              [{ code: 'checkout' }, 14, '28.57%'],
              ['search', null, undefined],
            ],
          },
        ],
      },
      output: [
        '| test | runs | rate |',
        '| --- | ---: | ---: |',
        '| `checkout` | 14 | 28.57% |',
        '| search |  |  |',
        '',
      ].join('\n'),
    },
    details: {
      document: {
        blocks: [
          {
            kind: 'details',
            summary: 'flaky: passed on retry',
            blocks: [{ kind: 'list', items: [{ code: 'a' }] }],
          },
        ],
      },
      output: '<details><summary>flaky: passed on retry</summary>\n\n- `a`\n\n</details>\n',
    },
    section: {
      document: {
        blocks: [
          { kind: 'section', blocks: [{ kind: 'heading', level: 3, text: 'one' }] },
          { kind: 'paragraph', text: 'two' },
        ],
      },
      output: '### one\n\ntwo\n',
    },
  },
  escaping: [
    {
      document: {
        blocks: [
          {
            kind: 'table',
            columns: [{ header: 'a|b' }, { header: 'message' }],
            rows: [[{ code: 'x|y' }, 'first\nsecond']],
          },
        ],
      },
      output: '| a\\|b | message |\n| --- | --- |\n| `x\\|y` | first second |\n',
    },
    {
      document: {
        blocks: [
          { kind: 'list', items: [{ code: 'a`b' }, 'two\nlines'] },
          { kind: 'details', summary: '<b> & co', blocks: [] },
        ],
      },
      output:
        '- ``a`b``\n- two lines\n\n<details><summary>&lt;b&gt; &amp; co</summary>\n\n</details>\n',
    },
  ],
});

describe('markdownRenderer', () => {
  it('writes a link in a table cell with its pipes escaped', () => {
    expect(
      markdownRenderer.render({
        blocks: [
          {
            kind: 'table',
            columns: [{ header: 'reason' }],
            rows: [[{ text: 'race | cache', link: 'https://x.example/1' }]],
          },
        ],
      }),
    ).toBe('| reason |\n| --- |\n| [race \\| cache](https://x.example/1) |\n');
  });

  it('shows HTML, backticks and Markdown syntax from test names and failure messages as written', () => {
    const message =
      'expected <img src=x onerror=alert(1)> & `rm -rf` to be **bold** [x](javascript:y) ~~no~~';
    const rendered = markdownRenderer.render({
      blocks: [
        { kind: 'paragraph', text: message },
        { kind: 'paragraph', text: '# not a heading\n- not a list\n3. nor this\n> nor a quote' },
        {
          kind: 'table',
          columns: [{ header: 'test' }],
          rows: [['test_query[red hat] <b> __init__']],
        },
        { kind: 'list', items: [[{ text: 'see <this>', link: 'https://x.example/a b' }]] },
      ],
    });
    expect(rendered).toBe(
      [
        'expected &lt;img src=x onerror=alert(1)&gt; &amp; \\`rm -rf\\` to be \\*\\*bold\\*\\* [x\\](javascript:y) \\~\\~no\\~\\~',
        '',
        '\\# not a heading\n\\- not a list\n\\3. nor this\n&gt; nor a quote',
        '',
        '| test |\n| --- |\n| test_query[red hat] &lt;b&gt; \\_\\_init\\_\\_ |',
        '',
        '- [see &lt;this&gt;](https://x.example/a%20b)',
        '',
      ].join('\n'),
    );
    expect(rendered).not.toMatch(/<(?!details|\/details|summary|\/summary)[a-z]/);
  });

  it('writes a caption before its table', () => {
    expect(
      markdownRenderer.render({
        blocks: [{ kind: 'table', caption: 'by owner', columns: [{ header: 'owner' }], rows: [] }],
      }),
    ).toBe('by owner:\n\n| owner |\n| --- |\n');
  });
});
