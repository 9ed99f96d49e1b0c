import type { FindingSink, FindingsLog, StreamedFindingsRun } from '../../core/evidence/finding.ts';
import type { MutationReport } from '../../core/evidence/mutation-report.ts';
import type { PolicyReport } from '../../core/evidence/policy-report.ts';
import type { QualityGateReport } from '../../core/evidence/quality-gate.ts';
import type { Sbom } from '../../core/evidence/sbom.ts';
import type { VulnerabilityReport } from '../../core/evidence/vulnerability.ts';
import type { Problem } from '../../core/lib/problem.ts';
import type { Result } from '../../core/lib/result.ts';

/** What each kind of evidence reads into: the model a gate condition evaluates. */
export type EvidenceModels = {
  findings: FindingsLog;
  vulnerabilities: VulnerabilityReport;
  sbom: Sbom;
  policy: PolicyReport;
  mutation: MutationReport;
  qualityGate: QualityGateReport;
};
export type EvidenceKind = keyof EvidenceModels;

/**
 * The contract every evidence reader implements (one folder per format beside this file,
 * registered in `evidence-readers.ts`, checked by `evidence-reader-conformance.ts`): the files
 * gate conditions read (SARIF, Trivy and Grype JSON, CycloneDX and SPDX JSON, conftest and OPA
 * JSON). `read` takes the document's decoded text in chunks (`decodeReport`: BOM, UTF-16,
 * strict UTF-8), streams what can be large, and returns the model or the problems that stopped
 * it (line:column for syntax, a JSON path for shape, the version when it is not supported).
 * It never throws for bad input.
 */
export type EvidenceReader<K extends EvidenceKind = EvidenceKind> = {
  /** The format's name, equal to its key in `evidenceReaders`. */
  readonly id: string;
  /** One line: what the reader reads. */
  readonly description: string;
  /** The kind of evidence it reads; readers of one kind are told apart by `detect`. */
  readonly kind: K;
  /** What a document of this format looks like, for the message when no reader detects one. */
  readonly detectHint: string;
  /** True when the start of a document (about 1 KiB, BOM removed) is this format. Never throws. */
  detect(head: string): boolean;
  read(text: AsyncIterable<string>): Promise<Result<EvidenceModels[K], Problem>>;
  /**
   * Optional, for findings readers: hands each finding to `sink` as it is read instead of
   * holding them (a 50 MB SARIF is 220,000 findings), and returns the runs without them. The
   * same problems as `read`. Without it, `streamEvidenceFindings` replays what `read` returns.
   */
  stream?: K extends 'findings'
    ? (
        text: AsyncIterable<string>,
        sink: FindingSink,
      ) => Promise<Result<StreamedFindingsRun[], Problem>>
    : never;
};
