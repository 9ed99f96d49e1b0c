import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createGateContext } from '../app/gates/create-gate-context.ts';
import type {
  AnyGateCondition,
  ConditionVerdict,
  Evidence,
  GateContext,
} from '../gates/gate-condition.ts';

/** A throwaway directory holding `files` (path → content). */
export async function scratchRepository(
  files: Record<string, string | Uint8Array>,
): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'candor-evidence-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/** The same, made at once (for conformance samples, built while a test file is collected). */
export function scratchRepositorySync(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'candor-evidence-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** The real gate context of `candor gate` in `root`, on a fixed day, without a store. */
export function evidenceContext(root: string, now = new Date('2026-12-02T12:00:00Z')): GateContext {
  return createGateContext({
    root,
    now,
    store: () => Promise.reject(new Error('these conditions read no ledger')),
  });
}

/**
 * Parses `options` with the condition's schema, gathers in `root` and, when evidence was found,
 * evaluates: the verdict, or the evidence that was missing or invalid.
 */
export async function runEvidenceCondition(
  condition: AnyGateCondition,
  options: unknown,
  root: string,
  now?: Date,
): Promise<ConditionVerdict | Exclude<Evidence<unknown>, { kind: 'found' }>> {
  const parsed = condition.options.parse(options);
  const context = evidenceContext(root, now);
  const evidence = await condition.gather(parsed, context);
  if (evidence.kind !== 'found') return evidence;
  return condition.evaluate(evidence.value, parsed, context.now);
}
