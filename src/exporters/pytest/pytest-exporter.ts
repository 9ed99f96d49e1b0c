import type { QuarantineExporter } from '../quarantine-exporter.ts';
import { skippedKeys } from '../skipped-keys.ts';

/**
 * A pytest node id from a key: `path.py::name` stays; a dotted classname becomes a path up to its
 * test module (the first part named `test_*` or `*_test`), the rest class names. Never throws.
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

/** pytest: `pytest $(candor quarantine export --format pytest)`. */
export const pytestExporter = {
  id: 'pytest',
  description: 'one --deselect=<node id> argument per line for the skipped tests',
  export: (entries) =>
    skippedKeys(entries)
      .map((key) => `--deselect=${pytestNodeId(key)}`)
      .join('\n'),
  /** One node id per line: `mapfile -t T < <(candor split --by test --format pytest …); pytest "${T[@]}"`. */
  selectTests: (keys) => [...new Set(keys.map(pytestNodeId))].join('\n'),
} satisfies QuarantineExporter;
