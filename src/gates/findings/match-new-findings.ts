import type { Finding } from '../../core/evidence/finding.ts';
import { BaselineIndex, type FindingMatch } from './findings-tally.ts';

export type { FindingMatch } from './findings-tally.ts';

/**
 * Which findings of the current run are new against a baseline (SARIF's own `baselineState`
 * is set by few producers, so candor computes it). Each baseline finding matches at most one
 * current finding (counts matter: a sixth copy of a warning is new). Each current finding, in
 * order, takes the first unused baseline finding that has:
 *
 * 1. the same rule and a shared fingerprint (`partialFingerprints` or `fingerprints`, by name
 *    and value, e.g. GitHub's `primaryLocationLineHash`);
 * 2. else, when the two do not both carry fingerprints: the same rule, file and line content
 *    (the region's snippet, whitespace collapsed), so a finding that moved lines is not new;
 * 3. else, likewise, the same rule, file and message, for tools that write no snippet.
 *
 * The same matching as the `findings` gate's streamed tally (`BaselineIndex`), over arrays.
 * Returns, in the current order, how each current finding was matched. Pure; never throws.
 */
export function matchNewFindings(
  current: readonly Finding[],
  baseline: readonly Finding[],
): FindingMatch[] {
  const index = new BaselineIndex('');
  for (const finding of baseline) index.add('', finding);
  return current.map((finding) => index.match('', finding, index.uriOf(finding.uri)));
}
