import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finalStatus } from '../../core/final-status.ts';
import { testKey } from '../../core/test-key.ts';
import { readText } from '../read-text.ts';
import { ctrfReader } from './ctrf-reader.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/edge/${name}`, import.meta.url), 'utf8');

describe('ctrfReader', () => {
  it('maps retryAttempts to attempts before the final status', async () => {
    const result = await readText(ctrfReader, fixture('retries.json'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [flaky, broken, plain, pending, markedFlaky] = result.value;
    expect(flaky?.attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'passed']);
    expect(flaky?.attempts[0]?.message).toBe('Timeout 5000ms exceeded');
    expect(testKey(flaky!)).toBe('e2e/checkout.spec.ts::pays');
    expect(flaky?.suitePath).toEqual(['checkout', 'cards']);
    expect(finalStatus(flaky!.attempts)).toBe('flaky');
    expect(finalStatus(broken!.attempts)).toBe('failed');
    expect(broken?.attempts.at(-1)?.trace).toContain('at pay');
    expect(finalStatus(plain!.attempts)).toBe('passed');
    expect(finalStatus(pending!.attempts)).toBe('skipped');
    expect(finalStatus(markedFlaky!.attempts)).toBe('flaky');
  });

  it('reads the older shape without reportFormat', async () => {
    const result = await readText(ctrfReader, fixture('legacy.json'));
    expect(result.ok && result.value.map((t) => [testKey(t), finalStatus(t.attempts)])).toEqual([
      ['src/sum.test.js::adds', 'passed'],
      ['suite a > b::no file', 'failed'],
    ]);
  });

  it('names the JSON path of an invalid field', async () => {
    const result = await readText(ctrfReader, fixture('invalid-status.json'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ path: 'results.tests[1].status' });
    expect(result.errors[0]?.message).toMatch(/^results\.tests\[1\]\.status: /);
  });

  it('gives line and column of a JSON syntax error', async () => {
    const result = await readText(
      ctrfReader,
      '{\n  "results": {\n    "tool": { "name": "x" },,\n  }\n}',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ line: 3 });
    expect(result.errors[0]?.message).toMatch(/^invalid JSON/);
  });

  it('rejects JSON that is not CTRF', async () => {
    const result = await readText(ctrfReader, '{"name": "package", "version": "1.0.0"}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.path).toBe('results');
  });
});
