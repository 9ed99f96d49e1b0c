import type { QuarantineExporter } from '../quarantine-exporter.ts';
import { namePatternRunningOthers, namePatternSelecting } from '../skipped-keys.ts';

/** Vitest: `npx vitest run --testNamePattern="$(candor quarantine export --format vitest)"`. */
export const vitestExporter = {
  id: 'vitest',
  description: 'a --testNamePattern regex matching every test but the skipped ones',
  export: namePatternRunningOthers,
  /** `npx vitest run -t "$(candor split --by test --format vitest …)"` */
  selectTests: namePatternSelecting,
} satisfies QuarantineExporter;
