import type { Finding } from '../../core/evidence/finding.ts';

/** How a current finding was matched to one of the baseline, or that it is new. */
export type FindingMatch = 'fingerprint' | 'line-content' | 'message' | 'new';

/**
 * Which findings of the current run are new against a baseline (SARIF's own `baselineState`
 * is set by few producers, so candor computes it). Each baseline finding matches at most one
 * current finding (counts matter: a sixth copy of a warning is new), in three passes:
 *
 * 1. the same rule and a shared fingerprint (`partialFingerprints` or `fingerprints`, by name
 *    and value, e.g. GitHub's `primaryLocationLineHash`);
 * 2. when the two do not both carry fingerprints: the same rule, file and line content (the
 *    region's snippet, whitespace collapsed), so a finding that moved lines is not new;
 * 3. likewise, the same rule, file and message, for tools that write no snippet.
 *
 * Returns, in the current order, how each current finding was matched. Pure; never throws.
 */
export function matchNewFindings(
  current: readonly Finding[],
  baseline: readonly Finding[],
): FindingMatch[] {
  const matches: FindingMatch[] = current.map(() => 'new');
  const used = new Uint8Array(baseline.length);
  const passes: { name: FindingMatch; keys: (f: Finding) => string[]; fallback: boolean }[] = [
    {
      name: 'fingerprint',
      keys: (f) => f.fingerprints.map((fp) => `${f.ruleId}\0${fp}`),
      fallback: false,
    },
    {
      name: 'line-content',
      keys: (f) => (f.snippet ? [`${f.ruleId}\0${f.uri ?? ''}\0${f.snippet}`] : []),
      fallback: true,
    },
    {
      name: 'message',
      keys: (f) => [`${f.ruleId}\0${f.uri ?? ''}\0${f.message}`],
      fallback: true,
    },
  ];
  for (const pass of passes) {
    const index = new Map<string, number[]>();
    baseline.forEach((finding, i) => {
      if (used[i] === 1) return;
      for (const key of pass.keys(finding)) {
        const list = index.get(key);
        if (list === undefined) index.set(key, [i]);
        else list.push(i);
      }
    });
    current.forEach((finding, c) => {
      if (matches[c] !== 'new') return;
      for (const key of pass.keys(finding)) {
        const candidates = index.get(key) ?? [];
        const found = candidates.find(
          (i) =>
            used[i] === 0 &&
            (!pass.fallback ||
              finding.fingerprints.length === 0 ||
              (baseline[i]?.fingerprints.length ?? 0) === 0),
        );
        if (found !== undefined) {
          used[found] = 1;
          matches[c] = pass.name;
          return;
        }
      }
    });
  }
  return matches;
}
