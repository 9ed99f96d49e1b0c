import type { QuarantineExporter } from '../quarantine-exporter.ts';
import { namePatternRunningOthers, namePatternSelecting } from '../skipped-keys.ts';

/** Jest: `npx jest --testNamePattern="$(candor quarantine export --format jest)"`. */
export const jestExporter = {
  id: 'jest',
  description: 'a --testNamePattern regex matching every test but the skipped ones',
  export: namePatternRunningOthers,
  /** `npx jest -t "$(candor split --by test --format jest …)"` */
  selectTests: namePatternSelecting,
} satisfies QuarantineExporter;
