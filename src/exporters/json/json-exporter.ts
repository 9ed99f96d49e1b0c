import type { QuarantineExporter } from '../quarantine-exporter.ts';
import { skippedKeys } from '../skipped-keys.ts';

/** JSON for any other tool: `{"skip": [...], "run": [...]}`, keys sorted. */
export const jsonExporter = {
  id: 'json',
  description: 'the keys by mode as JSON, {"skip": [...], "run": [...]}, for any other tool',
  export: (entries) =>
    JSON.stringify({
      skip: skippedKeys(entries),
      run: entries
        .filter((e) => e.mode === 'run')
        .map((e) => e.key)
        .sort(),
    }),
} satisfies QuarantineExporter;
