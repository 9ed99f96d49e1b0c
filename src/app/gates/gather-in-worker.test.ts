import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CandorError } from '../../core/lib/candor-error.ts';
import { findingsCondition } from '../../gates/findings/findings-condition.ts';
import { evidenceContext, scratchRepository } from '../../testing/evidence-gate.ts';
import {
  gatherInWorker,
  prestartGateWorker,
  releasePrestartedGateWorker,
} from './gather-in-worker.ts';

const tool = { driver: { name: 'Semgrep OSS', rules: [{ id: 'sqli' }] } };
const result = (fingerprint: string, uri: string) => ({
  ruleId: 'sqli',
  level: 'error',
  message: { text: 'SQL built from input' },
  partialFingerprints: { primaryLocationLineHash: fingerprint },
  locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: 4 } } }],
});
const sarif = (results: unknown[]) =>
  JSON.stringify({ version: '2.1.0', runs: [{ tool, results }] });
const now = new Date('2026-12-02T12:00:00Z');

describe('gatherInWorker', () => {
  it('gives the evidence the condition gathers in this thread', async () => {
    const root = await scratchRepository({
      'reports/baseline.sarif': sarif([result('a:1', 'src/a.ts')]),
      'reports/current.sarif': sarif([
        result('a:1', 'src/a.ts'),
        result('b:1', 'file:///elsewhere/b.ts'),
        result('c:1', './src/c.ts'),
      ]),
    });
    const options = findingsCondition.options.parse({
      files: 'reports/*.sarif',
      baseline: 'reports/baseline.sarif',
    });
    const here = await findingsCondition.gather(options, evidenceContext(root, now));
    const apart = await gatherInWorker({
      kind: 'findings',
      options,
      root,
      now: now.toISOString(),
    });
    expect(here).toMatchObject({ kind: 'found', value: { assessment: { newCount: 2 } } });
    expect(apart).toEqual(here);
  });

  describe('with Node’s compile cache', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const name of ['TMPDIR', 'NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    });
    // A worker thread inherits the environment: its cache goes to node-compile-cache under TMPDIR.
    const gatherWith = async (isCompileCacheOn: boolean) => {
      const temp = mkdtempSync(join(tmpdir(), 'candor-compile-cache-'));
      process.env['TMPDIR'] = temp;
      delete process.env['NODE_COMPILE_CACHE'];
      delete process.env['NODE_DISABLE_COMPILE_CACHE'];
      const root = await scratchRepository({ 'a.sarif': sarif([result('a:1', 'src/a.ts')]) });
      const options = findingsCondition.options.parse({ files: 'a.sarif' });
      const request = { kind: 'findings', options, root, now: now.toISOString() };
      const evidence = await gatherInWorker(request, undefined, { isCompileCacheOn });
      const cache = join(temp, 'node-compile-cache');
      return {
        evidence,
        cached: existsSync(cache) ? readdirSync(cache, { recursive: true }).length : 0,
      };
    };

    it('keeps the compiled code of the modules it loads when told to, and gathers the same', async () => {
      const on = await gatherWith(true);
      expect(on.cached).toBeGreaterThan(0);
      const off = await gatherWith(false);
      expect(off.cached).toBe(0);
      expect(on.evidence).toEqual(off.evidence);
      expect(on.evidence).toMatchObject({ kind: 'found', value: { assessment: { newCount: 1 } } });
    });
  });

  describe('with a worker started ahead (prestartGateWorker)', () => {
    afterEach(() => releasePrestartedGateWorker());
    const gatherOne = async () => {
      const root = await scratchRepository({
        'base.sarif': sarif([result('a:1', 'src/a.ts')]),
        'now.sarif': sarif([result('a:1', 'src/a.ts'), result('b:1', 'src/b.ts')]),
      });
      const options = findingsCondition.options.parse({
        files: 'now.sarif',
        baseline: 'base.sarif',
      });
      const request = { kind: 'findings', options, root, now: now.toISOString() };
      return {
        here: await findingsCondition.gather(options, evidenceContext(root, now)),
        apart: await gatherInWorker(request, undefined, { isCompileCacheOn: false }),
      };
    };

    it('posts the request to it, which answers with the same evidence', async () => {
      const ahead = prestartGateWorker({ parallelism: 2, isCompileCacheOn: false });
      expect(ahead).toBeDefined();
      const answered = once(ahead as NonNullable<typeof ahead>, 'message');
      const { here, apart } = await gatherOne();
      expect(here).toMatchObject({ kind: 'found', value: { assessment: { newCount: 1 } } });
      expect(apart).toEqual(here);
      expect(await answered).toEqual([{ kind: 'evidence', evidence: here }]);
    });

    it('starts none on one core, and one at a time', () => {
      expect(prestartGateWorker({ parallelism: 1 })).toBeUndefined();
      expect(prestartGateWorker({ parallelism: 2 })).toBeDefined();
      expect(prestartGateWorker({ parallelism: 2 })).toBeUndefined();
    });

    it('ends it when released unused', async () => {
      const ahead = prestartGateWorker({ parallelism: 2 });
      const exited = once(ahead as NonNullable<typeof ahead>, 'exit');
      releasePrestartedGateWorker();
      await exited;
      expect(prestartGateWorker({ parallelism: 2 })).toBeDefined();
    });

    it('starts a worker of its own when the one started ahead ended before it was used', async () => {
      const ahead = prestartGateWorker({ parallelism: 2 });
      await (ahead as NonNullable<typeof ahead>).terminate();
      const { here, apart } = await gatherOne();
      expect(apart).toEqual(here);
    });
  });

  it('rejects with the CandorError the gather threw, code and message kept', async () => {
    const root = await scratchRepository({});
    const options = findingsCondition.options.parse({ files: '../outside.sarif' });
    const rejected = gatherInWorker({ kind: 'findings', options, root, now: now.toISOString() });
    await expect(rejected).rejects.toBeInstanceOf(CandorError);
    await expect(rejected).rejects.toMatchObject({
      code: 'usage',
      message: `../outside.sarif: evidence files must be inside ${root}`,
    });
  });

  it('stops the worker when the signal aborts, and rejects', async () => {
    const root = await scratchRepository({ 'a.sarif': sarif([result('a:1', 'src/a.ts')]) });
    const options = findingsCondition.options.parse({ files: 'a.sarif' });
    const stop = new AbortController();
    const pending = gatherInWorker(
      { kind: 'findings', options, root, now: now.toISOString() },
      stop.signal,
    );
    stop.abort();
    await expect(pending).rejects.toThrow('gathering findings in a worker thread: stopped');
  });
});
