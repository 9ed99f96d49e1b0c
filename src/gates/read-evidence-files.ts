import { createReadStream } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Problem } from '../core/lib/problem.ts';
import type { EvidenceKind, EvidenceModels } from '../readers/evidence/evidence-reader.ts';
import { readEvidence } from '../readers/evidence/evidence-readers.ts';
import type { Evidence, EvidenceProblem, GateContext } from './gate-condition.ts';

/** An evidence file read: its repository-relative name and what its reader made of it. */
export type ReadEvidenceFile<K extends EvidenceKind> = { file: string; model: EvidenceModels[K] };

/**
 * Finds the files `patterns` name and reads each with the evidence readers of `kind` (detected
 * by content), streaming its bytes from disk (files of any size: a 50 MB SARIF, UTF-16, a BOM).
 * No file is `missing` with `expected` (completing "no evidence: …"); a file that cannot be
 * read is `invalid`, each problem naming its file. `exclude` leaves files out (the baseline
 * that a glob of the current files also matches). Throws only for I/O failures.
 */
export async function readEvidenceFiles<K extends EvidenceKind>(
  kind: K,
  patterns: string | readonly string[],
  context: GateContext,
  expected: string,
  exclude: readonly string[] = [],
): Promise<Evidence<ReadEvidenceFile<K>[]>> {
  const files = (await context.findFiles(patterns)).filter((file) => !exclude.includes(file));
  if (files.length === 0) return { kind: 'missing', expected, files: [] };
  const read: ReadEvidenceFile<K>[] = [];
  const problems: EvidenceProblem[] = [];
  for (const file of files) {
    const path = isAbsolute(file) ? file : join(context.root, file);
    const outcome = await readEvidence(kind, () => createReadStream(path));
    if (outcome.ok) read.push({ file, model: outcome.value });
    else problems.push(...outcome.errors.map((problem: Problem) => ({ ...problem, file })));
  }
  if (problems.length > 0) return { kind: 'invalid', problems, files };
  return { kind: 'found', value: read, files };
}

/** `a`, `a and b`, `a, b and 3 more`: a short list for a message. Never throws. */
export function listShort(items: readonly string[], max = 3): string {
  if (items.length <= 1) return items.join('');
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1) ?? ''}`;
}

/** `1 finding`, `3 findings`. Never throws. */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? word : many}`;
}
