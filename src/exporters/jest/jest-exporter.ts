import type { QuarantineExporter } from '../quarantine-exporter.ts';
import { namePatternRunningOthers } from '../skipped-keys.ts';

/** Jest: `npx jest --testNamePattern="$(candor quarantine export --format jest)"`. */
export const jestExporter = {
  id: 'jest',
  description: 'a --testNamePattern regex matching every test but the skipped ones',
  export: namePatternRunningOthers,
} satisfies QuarantineExporter;
