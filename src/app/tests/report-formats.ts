import {
  reportFormats,
  type ReportFormat,
} from '../../readers/test-results/test-result-readers.ts';

/** A report format a caller may ask for: a reader's id, or `auto` (detected from the content). */
export type ReportFormatChoice = ReportFormat | 'auto';

/** The ids of the test-result readers (their registry), for `--format` and `format=`. */
export const reportFormatIds: readonly ReportFormat[] = reportFormats;

/** What `--format` offers: `auto`, then every reader. */
export const reportFormatChoices: readonly ReportFormatChoice[] = ['auto', ...reportFormats];
