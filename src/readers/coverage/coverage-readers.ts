import type { CoverageReader } from './coverage-reader.ts';
import { coberturaReader } from './cobertura/cobertura-reader.ts';
import { goReader } from './go/go-reader.ts';
import { istanbulReader } from './istanbul/istanbul-reader.ts';
import { jacocoReader } from './jacoco/jacoco-reader.ts';
import { lcovReader } from './lcov/lcov-reader.ts';

/**
 * The coverage formats, in detection order (the coverage condition's `format:` choices, `auto`
 * detects from the first KiB). Adding a format is one folder and one line here.
 */
export const coverageReaders = {
  lcov: lcovReader,
  istanbul: istanbulReader,
  cobertura: coberturaReader,
  jacoco: jacocoReader,
  go: goReader,
} satisfies Record<string, CoverageReader>;

export type CoverageFormat = keyof typeof coverageReaders;
export const coverageFormats = Object.keys(coverageReaders) as [CoverageFormat, ...CoverageFormat[]];

/** The format whose reader claims this head (JaCoCo before Cobertura), or undefined. */
export function detectCoverageFormat(head: string): CoverageFormat | undefined {
  const order: CoverageFormat[] = ['jacoco', 'cobertura', 'istanbul', 'go', 'lcov'];
  const text = head.replace(/^\uFEFF/, '');
  return order.find((format) => coverageReaders[format].detect(text));
}

/** "LCOV (…), Istanbul JSON (…), …": what candor reads, for the message when none matched. */
export const coverageDetectHints = coverageFormats.map((f) => coverageReaders[f].detectHint).join(', ');
