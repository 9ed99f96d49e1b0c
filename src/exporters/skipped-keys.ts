import type { QuarantineEntry } from '../core/quarantine/quarantine.ts';

/** The keys of the `skip`-mode entries, sorted (UTF-16 code units). Never throws. */
export function skippedKeys(entries: readonly QuarantineEntry[]): string[] {
  return entries
    .filter((e) => e.mode === 'skip')
    .map((e) => e.key)
    .sort();
}

/**
 * The test name inside a key: after the last `::`, without the ` [variant]` suffix and the ` #2`
 * of a further case with the same name (docs/adr/0015). Never throws.
 */
export function testNameOfKey(key: string): string {
  const name = key.includes('::') ? key.slice(key.lastIndexOf('::') + 2) : key;
  return name.replace(/ \[[^\]]*\]$/, '').replace(/ #\d+$/, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The distinct test names of the `skip`-mode entries, each escaped for a regular expression, in
 * key order: the alternatives of the patterns runners filter names with. Never throws.
 */
export function skippedNamePatterns(entries: readonly QuarantineEntry[]): string[] {
  return [...new Set(skippedKeys(entries).map(testNameOfKey))].map(escapeRegExp);
}

/**
 * A `--testNamePattern` regex (Jest, Vitest) matching every test name but the skipped ones; `.*`
 * when none is skipped. Never throws.
 */
export function namePatternRunningOthers(entries: readonly QuarantineEntry[]): string {
  const names = skippedNamePatterns(entries);
  return names.length === 0 ? '.*' : `^(?!(?:${names.join('|')})$).*$`;
}

/**
 * A `-t` / `--testNamePattern` regex (Jest, Vitest) matching exactly the tests named in `keys`
 * and no other: `^(?:a|b)$`. Each ` > ` of a name (Vitest's JUnit joins describe levels so) also
 * matches the space the runner joins them with. `(?!)` for no key. Never throws.
 */
export function namePatternSelecting(keys: readonly string[]): string {
  const names = [...new Set(keys.map(testNameOfKey))]
    .sort()
    .map((name) => escapeRegExp(name).replace(/ > /g, ' (?:> )?'));
  return names.length === 0 ? '(?!)' : `^(?:${names.join('|')})$`;
}
