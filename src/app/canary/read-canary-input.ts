import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CanaryInput, parseCanaryInput } from '../../core/canary/canary-input.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import type { Problem } from '../../core/lib/problem.ts';
import { fail, type Result } from '../../core/lib/result.ts';
import { parseYaml } from '../../readers/yaml/parse-yaml.ts';

/**
 * The input of `candor canary judge --input FILE` (`-` reads `stdin`): JSON as the issue spells
 * it (src/core/canary/canary-input.ts). Valid input takes the fast path (`JSON.parse`); on a
 * problem the file is read again by the positioned reader (JSON is YAML), so every problem names
 * its line:column and JSON path. Throws CandorError `usage` when the file does not exist, `io`
 * when it cannot be read.
 */
export function readCanaryInput(options: {
  cwd: string;
  path: string;
  stdin?: string;
}): Result<CanaryInput, Problem> {
  const text = options.path === '-' ? (options.stdin ?? '') : readText(options.cwd, options.path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return positioned(text);
  }
  const parsed = parseCanaryInput(json);
  return parsed.ok ? parsed : positioned(text, parsed.errors);
}

function readText(cwd: string, path: string): string {
  try {
    return readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CandorError('usage', `--input: ${path} does not exist`);
    throw new CandorError('io', `cannot read ${path}: ${messageOf(error)}`, { cause: error });
  }
}

/** The problems with positions (YAML's reader places both syntax and schema problems). */
function positioned(text: string, fallback?: Problem[]): Result<CanaryInput, Problem> {
  if (text.trim() === '') return fail({ message: 'the input is empty: expected a JSON object' });
  const placed = parseYaml(text, CanaryInput);
  if (!placed.ok) return placed;
  // YAML accepted what JSON.parse refused (YAML is a superset): still not JSON.
  return fail(...(fallback ?? [{ message: 'the input is not JSON', line: 1, column: 1 }]));
}
