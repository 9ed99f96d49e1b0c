import type { FindingSink, SarifLevel, StreamedFindingsRun } from '../../core/evidence/finding.ts';
import type { Problem } from '../../core/lib/problem.ts';
import { fail, ok, type Result } from '../../core/lib/result.ts';
import { decodeReport, type OpenBytes } from '../test-results/decode-report.ts';
import type { EvidenceKind, EvidenceModels, EvidenceReader } from './evidence-reader.ts';
import { conftestReader } from './conftest/conftest-reader.ts';
import { cyclonedxReader } from './cyclonedx/cyclonedx-reader.ts';
import { grypeReader } from './grype/grype-reader.ts';
import { opaReader } from './opa/opa-reader.ts';
import { sonarqubeReader } from './sonarqube/sonarqube-reader.ts';
import { sarifReader } from './sarif/sarif-reader.ts';
import { spdxReader } from './spdx/spdx-reader.ts';
import { strykerReader } from './stryker/stryker-reader.ts';
import { trivyReader } from './trivy/trivy-reader.ts';

/**
 * The evidence readers, one per format; readers of one kind are asked in this order, and the
 * first whose `detect` says yes reads the document.
 */
export const evidenceReaders = {
  sarif: sarifReader,
  trivy: trivyReader,
  grype: grypeReader,
  cyclonedx: cyclonedxReader,
  spdx: spdxReader,
  conftest: conftestReader,
  opa: opaReader,
  stryker: strykerReader,
  sonarqube: sonarqubeReader,
} satisfies Record<string, EvidenceReader>;

export type EvidenceFormat = keyof typeof evidenceReaders;
export const evidenceFormats = Object.keys(evidenceReaders) as EvidenceFormat[];

/** The readers of one kind of evidence, in registry order. Never throws. */
export function evidenceReadersOf<K extends EvidenceKind>(kind: K): EvidenceReader<K>[] {
  return (Object.values(evidenceReaders) as EvidenceReader[]).filter(
    (reader): reader is EvidenceReader<K> => reader.kind === kind,
  );
}

/** A decoded evidence file and the reader its content (or `format`) chose. */
async function openEvidence<K extends EvidenceKind>(
  kind: K,
  open: OpenBytes,
  format?: EvidenceFormat,
): Promise<Result<{ reader: EvidenceReader<K>; text: AsyncIterable<string> }, Problem>> {
  const decoded = await decodeReport(open);
  if (!decoded.ok) return decoded;
  if (decoded.value.isEmpty) {
    return fail({ message: 'the file is empty (expected JSON)', line: 1, column: 1 });
  }
  const readers = evidenceReadersOf(kind);
  const head = decoded.value.head.replace(/^\uFEFF/, '');
  const reader =
    format === undefined
      ? readers.find((candidate) => candidate.detect(head))
      : readers.find((candidate) => candidate.id === format);
  if (reader === undefined) {
    return fail({
      message: `not ${readers.map((r) => r.detectHint).join(' or ')}`,
      line: 1,
      column: 1,
    });
  }
  return ok({ reader, text: decoded.value.text });
}

/**
 * Reads one evidence file of a kind: decodes its bytes (BOM, UTF-16, strict UTF-8), picks the
 * reader by its content (`format` forces one), and reads it. Problems are values (a file no
 * reader of the kind recognises names what was expected); throws only what `open` throws.
 */
export async function readEvidence<K extends EvidenceKind>(
  kind: K,
  open: OpenBytes,
  format?: EvidenceFormat,
): Promise<Result<EvidenceModels[K], Problem>> {
  const opened = await openEvidence(kind, open, format);
  if (!opened.ok) return opened;
  return opened.value.reader.read(opened.value.text);
}

/**
 * Streams the findings of one file to `sink` (decoded and detected as `readEvidence` does):
 * through the reader's `stream` when it has one, which holds no finding, else by replaying
 * what `read` returns. Returns the runs without their findings, or the problems. Throws only
 * what `open` throws.
 */
export async function streamEvidenceFindings(
  open: OpenBytes,
  sink: FindingSink,
): Promise<Result<StreamedFindingsRun[], Problem>> {
  const opened = await openEvidence('findings', open);
  if (!opened.ok) return opened;
  const { reader, text } = opened.value;
  if (reader.stream !== undefined) return reader.stream(text, sink);
  const read = await reader.read(text);
  if (!read.ok) return read;
  return ok(
    read.value.runs.map((run, index): StreamedFindingsRun => {
      for (const { level, ...finding } of run.findings)
        sink({ ...finding, levelKey: `=${level}` }, index, run.tool);
      return {
        tool: run.tool,
        didRun: run.didRun,
        suppressed: run.suppressed,
        levelOf: (key) => key.slice(1) as SarifLevel,
      };
    }),
  );
}
