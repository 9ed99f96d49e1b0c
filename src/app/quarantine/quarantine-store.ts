import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import { QuarantineFile, type QuarantineEntry } from '../../core/quarantine/quarantine.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';
import { parseYaml } from '../../readers/yaml/parse-yaml.ts';

export const defaultQuarantinePath = '.candor/quarantine.yml';

export type QuarantineProblem = {
  message: string;
  line: number | null;
  column: number | null;
  path: string;
};

export type LoadedQuarantine = {
  path: string;
  file: QuarantineFile;
  /** The parsed YAML, kept so edits preserve the reviewers' comments and layout. */
  document: Document | undefined;
};

const header = `# candor quarantine: tests that still run but do not block (mode: run) or are skipped (mode: skip).
# Review changes like code. Keys are exact (candor runs, candor tests show); entries expire after at most 30 days.
`;

/**
 * Reads and validates the quarantine file; a missing file is an empty quarantine. Problems name
 * the line and column and the path inside the file. Throws CandorError `io` when it cannot be read.
 */
export function loadQuarantine(path: string): Result<LoadedQuarantine, QuarantineProblem> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return ok({ path, file: { version: 1, tests: [] }, document: undefined });
    }
    throw new CandorError('io', `cannot read ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const parsed = parseYaml(text, QuarantineFile);
  if (!parsed.ok)
    return fail(
      ...parsed.errors.map((p): QuarantineProblem => ({
        // The path is a field of its own here (printed as `path: message`).
        message: p.path ? p.message.slice(p.path.length + 2) : p.message,
        line: p.line ?? null,
        column: p.column ?? null,
        path: p.path ?? '',
      })),
    );
  return ok({ path, file: parsed.value.value, document: parsed.value.document });
}

/** Adds an entry, keeping comments; throws CandorError `conflict` when the key is already there. */
export function addQuarantineEntry(loaded: LoadedQuarantine, entry: QuarantineEntry): void {
  addQuarantineEntries(loaded, [entry]);
}

/**
 * Adds entries in order and writes the file once, keeping comments; throws CandorError
 * `conflict` (writing nothing) when a key is already there or given twice.
 */
export function addQuarantineEntries(
  loaded: LoadedQuarantine,
  entries: readonly QuarantineEntry[],
): void {
  const keys = new Set(loaded.file.tests.map((e) => e.key));
  for (const entry of entries) {
    if (keys.has(entry.key)) {
      throw new CandorError(
        'conflict',
        `"${entry.key}" is already quarantined in ${loaded.path}; remove it first to change it`,
      );
    }
    keys.add(entry.key);
  }
  if (entries.length === 0) return;
  const document = loaded.document ?? parseDocument(`${header}version: 1\ntests: []\n`);
  for (const entry of entries) {
    const tests = document.get('tests', true);
    const plain = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
    if (isSeq(tests)) {
      tests.flow = false;
      tests.add(document.createNode(plain));
    } else {
      document.set('tests', document.createNode([plain]));
    }
  }
  writeAtomically(loaded.path, document.toString());
}

/** Removes the entry of a key; throws CandorError `not-found` when there is none. */
export function removeQuarantineEntry(loaded: LoadedQuarantine, key: string): void {
  const index = loaded.file.tests.findIndex((e) => e.key === key);
  const tests = loaded.document?.get('tests', true);
  if (index < 0 || !loaded.document || !isSeq(tests)) {
    throw new CandorError('not-found', `"${key}" is not in ${loaded.path}`);
  }
  const item = tests.items[index];
  if (!isMap(item))
    throw new CandorError('invalid-input', `${loaded.path}: tests[${index}] is not an entry`);
  tests.delete(index);
  writeAtomically(loaded.path, loaded.document.toString());
}

function writeAtomically(path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    throw new CandorError('io', `cannot write ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}
