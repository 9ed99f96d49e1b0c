import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChaosToolkitJournal } from './read-chaos-toolkit-journal.ts';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8');

describe('readChaosToolkitJournal', () => {
  it('reads status, deviation, steady states and activities of a journal', () => {
    expect(readChaosToolkitJournal(fixture('chaostoolkit-journal.json'))).toEqual({
      ok: true,
      value: {
        title: 'Checkout survives loss of one payments pod',
        status: 'completed',
        deviated: true,
        start: '2026-11-12T10:00:00.000000',
        end: '2026-11-12T10:00:32.500000',
        durationSeconds: 32.5,
        steadyBefore: true,
        steadyAfter: false,
        activities: 1,
        failedActivities: 0,
        rollbacks: 1,
      },
    });
  });

  it.each([
    ['not JSON', '{', 'not JSON'],
    [
      'a status outside the vocabulary',
      '{"experiment":{},"status":"done","deviated":false}',
      'status',
    ],
    ['no deviated', '{"experiment":{},"status":"completed"}', 'deviated'],
    ['no experiment', '{"status":"completed","deviated":false}', 'experiment'],
  ])('refuses %s, naming the JSON path', (_name, text, expected) => {
    const read = readChaosToolkitJournal(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.errors[0]?.message).toContain(expected);
  });

  it('takes a BOM', () => {
    expect(readChaosToolkitJournal(`\uFEFF${fixture('chaostoolkit-journal.json')}`).ok).toBe(true);
  });
});
