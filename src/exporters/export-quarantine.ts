import type { QuarantineEntry } from '../core/quarantine/quarantine.ts';

export const quarantineExportFormats = ['jest', 'vitest', 'pytest', 'playwright', 'json'] as const;
export type QuarantineExportFormat = (typeof quarantineExportFormats)[number];

/** The test name inside a key: after the last `::`, without the ` [variant]` suffix. */
export function testNameOfKey(key: string): string {
  const name = key.includes('::') ? key.slice(key.lastIndexOf('::') + 2) : key;
  return name.replace(/ \[[^\]]*\]$/, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A pytest node id from a key: `path.py::name` stays; a dotted classname becomes a path up to its
 * test module (the first part named `test_*` or `*_test`), the rest class names.
 */
export function pytestNodeId(key: string): string {
  const withoutVariant = key.replace(/ \[[^\]]*\]$/, '');
  const cut = withoutVariant.lastIndexOf('::');
  if (cut < 0) return withoutVariant;
  const scope = withoutVariant.slice(0, cut);
  const name = withoutVariant.slice(cut + 2);
  if (scope.endsWith('.py') || scope.includes('/')) return `${scope}::${name}`;
  const parts = scope.split('.');
  const module = parts.findIndex((p) => p.startsWith('test_') || p.endsWith('_test'));
  if (module < 0) return `${parts.join('/')}.py::${name}`;
  return [`${parts.slice(0, module + 1).join('/')}.py`, ...parts.slice(module + 1), name].join(
    '::',
  );
}

/**
 * What a runner needs to skip the `skip`-mode entries:
 * jest/vitest: a `--testNamePattern` regex matching every other test;
 * playwright: a `--grep-invert` regex matching the skipped ones;
 * pytest: one `--deselect=<node id>` per line; json: `{"skip": [...], "run": [...]}` keys.
 */
export function exportQuarantine(
  entries: readonly QuarantineEntry[],
  format: QuarantineExportFormat,
): string {
  const skip = entries
    .filter((e) => e.mode === 'skip')
    .map((e) => e.key)
    .sort();
  const names = [...new Set(skip.map(testNameOfKey))].map(escapeRegExp);
  switch (format) {
    case 'json':
      return JSON.stringify({
        skip,
        run: entries
          .filter((e) => e.mode === 'run')
          .map((e) => e.key)
          .sort(),
      });
    case 'jest':
    case 'vitest':
      return names.length === 0 ? '.*' : `^(?!(?:${names.join('|')})$).*$`;
    case 'playwright':
      // Playwright matches against "file title-path"; a name that matches nothing: (?!)
      return names.length === 0 ? '(?!)' : `(?:${names.join('|')})$`;
    case 'pytest':
      return skip.map((key) => `--deselect=${pytestNodeId(key)}`).join('\n');
  }
}
