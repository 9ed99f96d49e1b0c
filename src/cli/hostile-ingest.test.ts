import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../app/tokens/api-tokens.ts';
import { buildServer } from '../server/build-server.ts';
import { openTestStore, testDialects, type TestStore } from '../testing/open-test-store.ts';
import { runCliBinary } from '../testing/run-cli-binary.ts';

/**
 * The hostile and broken reports of the reliability field report, each given to `candor ingest`
 * (the real binary, with the launcher's heap flags) and to POST /api/v1/test-reports, on both
 * dialects: what each gets, that a refused one stores nothing, that the server stays up.
 */
const ctrf = (tests: unknown) => JSON.stringify({ results: { tool: { name: 'x' }, tests } });
const xml = (body: string) => `<?xml version="1.0"?>\n<testsuite name="s">${body}</testsuite>`;

type Case = {
  file: string;
  content: string | Buffer;
  /** The first problem's message, and its line:column when the file has one. */
  refused?: { message: RegExp; at?: [number, number] };
  /** Keys stored when accepted. */
  keys?: string[];
};

const cases: Case[] = [
  {
    file: 'xxe.xml',
    content:
      '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<testsuite><testcase name="&xxe;"/></testsuite>',
    // The position is the end of the DOCTYPE that declares the entity.
    refused: { message: /entity declarations are not allowed/, at: [2, 57] },
  },
  {
    file: 'parameter-entity.xml',
    content:
      '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x"> %p;]>\n<testsuite/>',
    refused: { message: /entity declarations are not allowed/ },
  },
  {
    file: 'billion-laughs.xml',
    content: `<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "ha">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]>\n<testsuite><testcase name="&j;"/></testsuite>`,
    refused: { message: /entity declarations are not allowed/ },
  },
  {
    file: 'truncated.xml',
    content: '<testsuite name="s">\n<testcase name="a"><failure message="x">',
    refused: { message: /unclosed tag: failure/, at: [2, 41] },
  },
  {
    file: 'html.xml',
    content: '<html><head><title>502</title></head><body>502 Bad Gateway</body></html>',
    refused: {
      message: /expected a <testsuites> or <testsuite> root element, found <html>/,
      at: [1, 7],
    },
  },
  {
    file: 'second-root.xml',
    content: '<testsuite><testcase name="a"/></testsuite><testsuite/>',
    refused: { message: /only one root/ },
  },
  { file: 'zero-tests.xml', content: xml(''), refused: { message: /holds no test cases/ } },
  { file: 'empty.xml', content: '', refused: { message: /the file is empty/ } },
  {
    file: 'nul-byte.xml',
    content: Buffer.from('<testsuite><testcase name="a\u0000b"/></testsuite>'),
    // saxes reports the column just after the NUL (the 29th character).
    refused: { message: /disallowed character/, at: [1, 30] },
  },
  {
    file: 'invalid-utf8.xml',
    content: Buffer.concat([
      Buffer.from('<testsuite>\n<testcase name="caf'),
      Buffer.from([0xe9]),
      Buffer.from('"/></testsuite>'),
    ]),
    refused: { message: /invalid UTF-8 at byte 31: bytes E9 22/, at: [2, 20] },
  },
  {
    file: 'zip.xml',
    content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]),
    refused: { message: /unrecognised report/ },
  },
  {
    file: 'ctrf-wrong-types.json',
    content: ctrf([{ name: 123, status: 'passed', duration: 'fast' }]),
    refused: { message: /results\.tests\[0\]\.name/ },
  },
  {
    file: 'ctrf-infinite.json',
    content:
      '{"results":{"tool":{"name":"x"},"tests":[{"name":"t","status":"passed","duration":1e400}]}}',
    refused: { message: /results\.tests\[0\]\.duration/ },
  },
  {
    file: 'ctrf-negative.json',
    content: ctrf([{ name: 't', status: 'passed', duration: -1 }]),
    refused: { message: /results\.tests\[0\]\.duration/ },
  },
  {
    file: 'ctrf-nan.json',
    content:
      '{"results":{"tool":{"name":"x"},\n"tests":[{"name":"t","status":"passed","duration":NaN}]}}',
    refused: { message: /invalid JSON: unexpected "N"/, at: [2, 51] },
  },
  {
    file: 'ctrf-truncated.json',
    content: ctrf([{ name: 't', status: 'passed', duration: 1 }]).slice(0, 60),
    refused: { message: /invalid JSON: the document ends too early/, at: [1, 61] },
  },
  { file: 'ctrf-array.json', content: '[1,2,3]', refused: { message: /unrecognised report/ } },
  {
    file: 'latin1.xml',
    content: Buffer.concat([
      Buffer.from(
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<testsuite><testcase classname="a" name="caf',
      ),
      Buffer.from([0xe9]),
      Buffer.from('"/></testsuite>'),
    ]),
    keys: ['a::café'],
  },
  {
    file: 'utf16.xml',
    content: Buffer.from(
      `\ufeff<testsuite><testcase classname="u" name="sixteen"/></testsuite>`,
      'utf16le',
    ),
    keys: ['u::sixteen'],
  },
  {
    file: 'ctrf-nul.json',
    content: ctrf([
      { name: 'nul\u0000name', status: 'failed', duration: 1, message: 'a \u0000 b' },
    ]),
    keys: ['nul\u2400name'],
  },
  {
    file: 'deep-suites.xml',
    content: `${'<testsuite name="n">'.repeat(20_000)}<testcase classname="deep" name="t"/>${'</testsuite>'.repeat(20_000)}`,
    keys: ['deep::t'],
  },
];

const refused = cases.filter((c) => c.refused);
const accepted = cases.filter((c) => c.keys);

describe.each(testDialects)('hostile reports on %s', (dialect) => {
  let store: TestStore;
  let dir: string;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    dir = mkdtempSync(join(tmpdir(), 'candor-hostile-'));
    const reports = join(dir, 'reports');
    mkdirSync(reports);
    for (const c of cases) writeFileSync(join(reports, c.file), c.content);
    // A link out of the directory would pull in the whole tree: never followed.
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'secret.xml'), xml('<testcase classname="x" name="y"/>'));
    symlinkSync(join(dir, 'outside'), join(reports, 'up'));
  });
  afterAll(async () => {
    await store.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const storedKeys = async () =>
    (await store.db.selectFrom('tests').select('key').execute()).map((r) => r.key).sort();

  it('candor ingest refuses each bad report with its place, stores the good ones only', async () => {
    const result = await runCliBinary(
      ['ingest', 'reports', '--repo', 'r', '--json', '--db', store.url],
      { cwd: dir },
    );
    expect(result.code).toBe(1);
    const files = new Map(
      (
        JSON.parse(result.stdout) as {
          files: {
            path: string;
            errors: { message: string; line: number | null; column: number | null }[];
          }[];
        }
      ).files.map((f) => [f.path.replace(/^reports\//, ''), f]),
    );
    expect([...files.keys()].sort()).toEqual(cases.map((c) => c.file).sort());
    for (const c of refused) {
      const first = files.get(c.file)?.errors[0];
      expect(first?.message, c.file).toMatch(c.refused!.message);
      if (c.refused!.at) expect([first?.line, first?.column], c.file).toEqual(c.refused!.at);
    }
    for (const c of accepted) expect(files.get(c.file)?.errors, c.file).toEqual([]);
    expect(await storedKeys()).toEqual(accepted.flatMap((c) => c.keys!).sort());
    const reportPaths = (await store.db.selectFrom('test_reports').select('path').execute()).map(
      (r) => r.path.replace(/^reports\//, ''),
    );
    expect(reportPaths.sort()).toEqual(accepted.map((c) => c.file).sort());
  });

  describe('over HTTP', () => {
    let app: FastifyInstance;
    let token: string;
    let address: string;
    beforeAll(async () => {
      app = await buildServer({
        store,
        bodyLimitBytes: 8 * 1024 * 1024,
        logger: false,
        now: () => new Date(),
      });
      address = await app.listen({ host: '127.0.0.1', port: 0 });
      token = (
        await createApiToken(store, {
          name: 'ci',
          scopes: ['ingest'],
          now: new Date().toISOString(),
        })
      ).secret;
    });
    afterAll(async () => {
      await app.close();
    });

    it.each(['0001-01-01T00:00:00Z', '3026-01-01T00:00:00Z'])(
      'refuses a run started at %s with 400 naming the range, storing nothing',
      async (startedAt) => {
        const before = await storedKeys();
        const response = await fetch(
          `${address}/api/v1/test-reports?repo=r&startedAt=${startedAt}`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
            body: xml('<testcase classname="late" name="t"/>'),
          },
        );
        expect(response.status).toBe(400);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('invalid-input');
        expect(body.error.message).toContain('query.startedAt: ');
        expect(body.error.message).toContain('outside the accepted range 1970-01-01');
        expect(await storedKeys()).toEqual(before);
      },
    );

    it.each(cases.map((c) => [c.file, c] as const))(
      'POST %s gets what the CLI got, and the server stays up',
      async (_file, c) => {
        const before = await storedKeys();
        const response = await fetch(
          `${address}/api/v1/test-reports?repo=r&run=http-${c.file}&path=${c.file}`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/octet-stream',
            },
            body: typeof c.content === 'string' ? c.content : new Uint8Array(c.content),
          },
        );
        const body = (await response.json()) as { error?: { code: string; message: string } };
        if (c.refused) {
          expect(response.status).toBe(422);
          expect(body.error?.code).toBe('invalid-report');
          expect(body.error?.message).toMatch(c.refused.message);
          expect(await storedKeys()).toEqual(before);
        } else {
          expect(response.status).toBe(201);
          expect(await storedKeys()).toEqual(expect.arrayContaining(c.keys!));
        }
        expect((await fetch(`${address}/healthz`)).status).toBe(200);
      },
    );
  });
});
