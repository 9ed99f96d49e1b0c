import { ctrfReader } from './ctrf/ctrf-reader.ts';
import { junitReader } from './junit/junit-reader.ts';
import type { Reader } from '../reader.ts';

/** Every report reader, by format name. Adding a format is one folder and one line here. */
export const readers = {
  junit: junitReader,
  ctrf: ctrfReader,
} satisfies Record<string, Reader>;

export type ReportFormat = keyof typeof readers;
export const reportFormats = Object.keys(readers) as ReportFormat[];

/** The reader whose `detect` accepts the start of a document, or undefined. */
export function detectFormat(head: string): ReportFormat | undefined {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  return reportFormats.find((format) => readers[format].detect(text));
}

export function isReportFormat(value: string): value is ReportFormat {
  return Object.hasOwn(readers, value);
}
