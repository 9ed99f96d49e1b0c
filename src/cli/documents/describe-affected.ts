import type { AffectedReport } from '../../app/affected/find-affected-services.ts';
import type { AffectedReason } from '../../core/affected/map-affected-services.ts';

/** At most this many reasons are printed per service in text (the JSON has all of them). */
const maxReasonsShown = 10;

function describeReason(reason: AffectedReason): string {
  switch (reason.kind) {
    case 'file':
    case 'shared': {
      const how =
        reason.renamedFrom !== undefined
          ? `renamed from ${reason.renamedFrom}`
          : reason.renamedTo !== undefined
            ? `renamed to ${reason.renamedTo}`
            : reason.change;
      return `${JSON.stringify(reason.path)} ${how}, matches ${reason.kind === 'shared' ? 'shared path ' : ''}${reason.glob}`;
    }
    case 'unknown-base':
      return 'unknown base: every service is affected';
    case 'nx':
      return `Nx project ${reason.project} is affected`;
    case 'turbo':
      return `Turborepo package ${reason.package} is affected`;
  }
}

/**
 * The text of `candor affected`: the base and merge-base (or why the base is unknown), then
 * each affected service with what made it affected, then the unaffected ones. Never throws.
 */
export function describeAffected(report: AffectedReport): string {
  const short = (sha: string | null) => (sha === null ? '' : sha.slice(0, 12));
  const lines: string[] = [];
  if (report.baseKnown)
    lines.push(
      `base ${report.base ?? ''} (${report.baseSource}), merge-base ${short(report.mergeBase)}, head ${report.head} ${short(report.headCommit)}: ${String(report.changedFiles.length)} changed file(s)`,
    );
  else lines.push(`base unknown: ${report.reason ?? ''}: every service is affected`);
  if (report.baseKnown && report.mergeBase === report.headCommit)
    lines.push(
      `the head is already in ${report.base ?? 'the base'}: nothing changed since it (on the base branch, give --base with the previous commit, e.g. the last deployed one)`,
    );
  if (report.services.length === 0) lines.push('no service affected');
  for (const service of report.services) {
    lines.push(service.service);
    for (const reason of service.reasons.slice(0, maxReasonsShown))
      lines.push(`  ${describeReason(reason)}`);
    if (service.reasons.length > maxReasonsShown)
      lines.push(
        `  … and ${String(service.reasons.length - maxReasonsShown)} more (--json lists all)`,
      );
  }
  if (report.unaffected.length > 0) lines.push(`unaffected: ${report.unaffected.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `--github-matrix`: `{"include":[{"service":"api"},…]}` on one line, for
 * `strategy.matrix: ${{ fromJSON(…) }}`; `{"include":[]}` when nothing is affected (guard the
 * job with `if: fromJSON(…).include[0]`: GitHub refuses an empty matrix). Never throws.
 */
export function describeGithubMatrix(report: AffectedReport): string {
  return `${JSON.stringify({ include: report.services.map((s) => ({ service: s.service })) })}\n`;
}
