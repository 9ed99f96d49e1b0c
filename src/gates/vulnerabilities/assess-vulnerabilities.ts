import type { KevCatalog } from '../../core/evidence/kev-catalog.ts';
import type { Severity, Vulnerability } from '../../core/evidence/vulnerability.ts';

/** An allow-list entry: a vulnerability accepted for a reason until a date (inclusive). */
export type AllowEntry = {
  id: string;
  reason: string;
  /** `YYYY-MM-DD`: the last day the entry applies. */
  expires: string;
  /** Only for this package (name as the scanner writes it); every package when absent. */
  package?: string | undefined;
};

export type VulnerabilityPolicy = {
  failOn: readonly Severity[];
  warnOn?: readonly Severity[] | undefined;
  /** Known-exploited vulnerabilities (KEV) fail whatever their severity. */
  kev: boolean;
  allow?: readonly AllowEntry[] | undefined;
};

/** A vulnerability that fails or warns, and why. */
export type FlaggedVulnerability = {
  vulnerability: Vulnerability;
  isKnownExploited: boolean;
  because: 'severity' | 'kev';
};

export type VulnerabilityAssessment = {
  /** Distinct vulnerabilities (by ID, package, version and target). */
  total: number;
  failing: FlaggedVulnerability[];
  warning: FlaggedVulnerability[];
  /** Vulnerabilities that would fail or warn, accepted by an entry that has not expired. */
  allowed: { vulnerability: Vulnerability; entry: AllowEntry }[];
  /** Entries that matched a vulnerability but have expired (so it counts again). */
  expired: AllowEntry[];
  /** With `kev`, IDs with no CVE among them or their aliases: they cannot be looked up. */
  unjoinable: string[];
};

/** The CVE IDs of a vulnerability (its own and its aliases'), upper case. */
function cveIds(vulnerability: Vulnerability): string[] {
  return [vulnerability.id, ...vulnerability.aliases]
    .map((id) => id.toUpperCase())
    .filter((id) => /^CVE-\d{4}-\d+$/.test(id));
}

/**
 * Judges scanner findings against a policy, on `today` (`YYYY-MM-DD`): a vulnerability fails
 * when its severity is in `failOn`, or with `kev` when the KEV catalog lists one of its CVE IDs
 * (its own or an alias; Grype's own known-exploited flag counts too), unless an allow-list entry
 * for its ID or an alias (and package, when the entry names one) has not expired; it warns when
 * its severity is in `warnOn`. Repeated findings of one vulnerability in one package, version and
 * target count once. Pure; never throws.
 */
export function assessVulnerabilities(
  vulnerabilities: readonly Vulnerability[],
  policy: VulnerabilityPolicy,
  catalog: KevCatalog | undefined,
  today: string,
): VulnerabilityAssessment {
  const known = new Set(catalog?.vulnerabilities.map((entry) => entry.cveID.toUpperCase()) ?? []);
  const seen = new Set<string>();
  const assessment: VulnerabilityAssessment = {
    total: 0,
    failing: [],
    warning: [],
    allowed: [],
    expired: [],
    unjoinable: [],
  };
  const unjoinable = new Set<string>();
  const expired = new Set<AllowEntry>();
  for (const vulnerability of vulnerabilities) {
    const key = [
      vulnerability.id,
      vulnerability.packageName,
      vulnerability.installedVersion ?? '',
      vulnerability.target ?? '',
    ].join('\0');
    if (seen.has(key)) continue;
    seen.add(key);
    assessment.total++;
    const cves = cveIds(vulnerability);
    if (policy.kev && cves.length === 0 && vulnerability.isKnownExploited !== true) {
      unjoinable.add(vulnerability.id);
    }
    const isKnownExploited =
      policy.kev && (vulnerability.isKnownExploited === true || cves.some((id) => known.has(id)));
    const fails = policy.failOn.includes(vulnerability.severity) || isKnownExploited;
    const warns = !fails && (policy.warnOn ?? []).includes(vulnerability.severity);
    if (!fails && !warns) continue;
    const ids = new Set([vulnerability.id, ...vulnerability.aliases].map((id) => id.toUpperCase()));
    const entries = (policy.allow ?? []).filter(
      (entry) =>
        ids.has(entry.id.toUpperCase()) &&
        (entry.package === undefined || entry.package === vulnerability.packageName),
    );
    const live = entries.find((entry) => entry.expires >= today);
    if (live !== undefined) {
      assessment.allowed.push({ vulnerability, entry: live });
      continue;
    }
    for (const entry of entries) expired.add(entry);
    const flagged: FlaggedVulnerability = {
      vulnerability,
      isKnownExploited,
      because:
        policy.failOn.includes(vulnerability.severity) || !isKnownExploited ? 'severity' : 'kev',
    };
    (fails ? assessment.failing : assessment.warning).push(flagged);
  }
  assessment.unjoinable = [...unjoinable];
  assessment.expired = [...expired];
  return assessment;
}
