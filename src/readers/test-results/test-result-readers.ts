import { ctrfReader } from './ctrf/ctrf-reader.ts';
import { goTestJsonReader } from './go-test-json/go-test-json-reader.ts';
import { junitReader } from './junit/junit-reader.ts';
import { nunitReader } from './nunit/nunit-reader.ts';
import { trxReader } from './trx/trx-reader.ts';
import { xunitReader } from './xunit/xunit-reader.ts';
import { detectionOrder } from '../detection-order.ts';
import type { TestResultReader } from './test-result-reader.ts';

/**
 * Every test-result reader, by id: the order of `--format` and of detection (catch-alls last,
 * `detectionOrder`). Adding a format is one folder beside this file and one line here
 * (docs/adr/0011-plugin-families.md); callers import this registry, never a reader.
 */
export const testResultReaders = {
  junit: junitReader,
  ctrf: ctrfReader,
  'go-test-json': goTestJsonReader,
  nunit: nunitReader,
  trx: trxReader,
  xunit: xunitReader,
} satisfies Record<string, TestResultReader>;

/** A reader's id: what `--format` accepts and what a stored report's `format` says. */
export type ReportFormat = keyof typeof testResultReaders;
export const reportFormats = Object.keys(testResultReaders) as ReportFormat[];

const detection = detectionOrder(testResultReaders);

/**
 * The first reader, in detection order (registry order, catch-alls last), whose `detect` accepts
 * the start of a document (a BOM is ignored), or undefined. Never throws.
 */
export function detectFormat(head: string): ReportFormat | undefined {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  return detection.find((format) => testResultReaders[format].detect(text));
}

/** True when `value` is the id of a registered reader. Never throws. */
export function isReportFormat(value: string): value is ReportFormat {
  return Object.hasOwn(testResultReaders, value);
}

/**
 * What the registered formats start with, for the message about content no reader detects:
 * `JUnit XML (starts with "<") or CTRF JSON (starts with "{")`. Never throws.
 */
export function describeDetectableFormats(): string {
  return reportFormats.map((format) => testResultReaders[format].detectHint).join(' or ');
}
