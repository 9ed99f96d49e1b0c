// Bench part (k), the measured child: reads one evidence file either as candor does (the
// evidence reader, streamed from disk) or as the baseline does (the whole file, JSON.parse).
// Prints what it counted; its peak RSS comes from peak-rss-hook.ts.
import { createReadStream, readFileSync } from 'node:fs';
import type { EvidenceKind } from '../src/readers/evidence/evidence-reader.ts';
import { readEvidence } from '../src/readers/evidence/evidence-readers.ts';

const [mode, kind, file] = process.argv.slice(2) as ['candor' | 'baseline', EvidenceKind, string];
if (mode === 'baseline') {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  process.stdout.write(`${Object.keys(json).length}\n`);
} else {
  const read = await readEvidence(kind, () => createReadStream(file));
  if (!read.ok) throw new Error(JSON.stringify(read.errors));
  process.stdout.write(
    `${JSON.stringify(read.value, (key, value: unknown) => (Array.isArray(value) && value.length > 100 ? value.length : value)).length}\n`,
  );
}
