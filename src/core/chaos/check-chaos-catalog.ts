import type { ChaosExperiment } from './chaos-experiment.ts';

/** The largest blast radius a production experiment may have (`chaos.ceiling` in candor.yml). */
export type BlastRadiusCeiling = {
  /** `fixed`: at most this many targets (`one` is 1). */
  maxTargets: number;
  /** `fixed-percent`, `random-max-percent`: at most this percentage. */
  maxPercent: number;
  /** The longest injection, in milliseconds. */
  maxDurationMs: number;
  /** `mode: all` is refused unless allowed. */
  allowAll: boolean;
};

/** A problem of a catalog file at a path inside it (its line and column are found by the caller). */
export type CatalogProblem = { file: string; path: (string | number)[]; message: string };

/** What `checkChaosCatalog` knows about the repository beyond the entries (gathered by the app). */
export type CatalogFacts = {
  /** Owners CODEOWNERS names, or undefined when there is no CODEOWNERS file. */
  owners: ReadonlySet<string> | undefined;
  /** Referenced files (manifests, runbooks) that do not exist, repository-relative. */
  missingFiles: ReadonlySet<string>;
  /** Services of `candor.yml` `services:` with a rollback action. */
  rollbackActions: ReadonlySet<string>;
  /** Environments that get the production checks (default `production`). */
  productionEnvironments: ReadonlySet<string>;
  ceiling: BlastRadiusCeiling;
};

/**
 * The owner handles of a CODEOWNERS file (GitHub/GitLab syntax: a pattern, then owners; `#`
 * comments; GitLab `[Section]` headers). Never throws.
 */
export function readCodeownersOwners(text: string): Set<string> {
  const owners = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '' || line.startsWith('[') || line.startsWith('^[')) continue;
    for (const token of line.split(/\s+/).slice(1)) if (token.includes('@')) owners.add(token);
  }
  return owners;
}

/** True when CODEOWNERS names the owner: `@org/team`, `org/team`, `team` or an e-mail address. */
export function isKnownOwner(owner: string, owners: ReadonlySet<string>): boolean {
  const bare = owner.replace(/^@/, '');
  for (const known of owners) {
    const handle = known.replace(/^@/, '');
    if (handle === bare || handle.split('/').at(-1) === bare) return true;
  }
  return false;
}

/** The paths an entry references (its manifest and runbook), repository-relative as written. */
export function referencedFiles(experiment: ChaosExperiment): string[] {
  return [experiment.inject?.manifest, experiment.runbook].filter(
    (p): p is string => p !== undefined && !/^[a-z]+:\/\//i.test(p),
  );
}

/**
 * Checks the catalog beyond its schema: ids unique, owners in CODEOWNERS (when there is one),
 * referenced files present, rollback ids naming a service with a rollback action, and production
 * entries with stop conditions and a blast radius within the ceiling. Pure; never throws.
 */
export function checkChaosCatalog(
  entries: readonly { file: string; experiment: ChaosExperiment }[],
  facts: CatalogFacts,
): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const firstFile = new Map<string, string>();
  for (const { file, experiment: e } of entries) {
    const add = (path: (string | number)[], message: string) =>
      problems.push({ file, path, message });
    const seen = firstFile.get(e.id);
    if (seen !== undefined) add(['id'], `id ${e.id} is already used by ${seen}`);
    else firstFile.set(e.id, file);
    if (facts.owners !== undefined && !isKnownOwner(e.owner, facts.owners))
      add(['owner'], `owner ${e.owner} is not named in CODEOWNERS`);
    if (e.inject !== undefined && facts.missingFiles.has(e.inject.manifest))
      add(['inject', 'manifest'], `the ${e.inject.type} file ${e.inject.manifest} does not exist`);
    if (e.runbook !== undefined && facts.missingFiles.has(e.runbook))
      add(['runbook'], `the runbook ${e.runbook} does not exist`);
    e.rollback.forEach((id, i) => {
      if (!facts.rollbackActions.has(id))
        add(
          ['rollback', i],
          `rollback ${id} is not a service with a rollback action in candor.yml services:`,
        );
    });
    if (!facts.productionEnvironments.has(e.blastRadius.environment)) continue;
    if (e.kind === 'fault' && e.stopConditions.length === 0)
      add(
        ['stopConditions'],
        `a ${e.blastRadius.environment} experiment needs at least one stop condition`,
      );
    for (const message of exceedsCeiling(e, facts.ceiling)) add(['blastRadius'], message);
  }
  return problems;
}

/** Why the blast radius is above the ceiling (empty when it is not). */
function exceedsCeiling(e: ChaosExperiment, ceiling: BlastRadiusCeiling): string[] {
  const radius = e.blastRadius;
  const out: string[] = [];
  const value = Number(radius.value ?? 1);
  if (radius.mode === 'all' && !ceiling.allowAll)
    out.push('mode all hits every target: above the production ceiling (chaos.ceiling.allowAll)');
  if ((radius.mode === 'fixed' || radius.mode === 'one') && value > ceiling.maxTargets)
    out.push(`${value} targets is above the production ceiling of ${ceiling.maxTargets}`);
  if (radius.mode.endsWith('percent') && value > ceiling.maxPercent)
    out.push(`${value}% of targets is above the production ceiling of ${ceiling.maxPercent}%`);
  if (radius.maxDuration > ceiling.maxDurationMs)
    out.push(
      `maxDuration ${radius.maxDuration / 1000}s is above the production ceiling of ${ceiling.maxDurationMs / 1000}s`,
    );
  return out;
}
