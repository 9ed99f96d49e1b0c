import type { ChangeKind, PathRule } from './path-rule.ts';

/** A file changed between the merge-base and the head; `oldPath` for a rename. */
export type ChangedFile = { path: string; change: ChangeKind; oldPath?: string };

/** What `candor affected` needs of a service of `services:`. */
export type AffectedServiceConfig = {
  paths?: readonly PathRule[] | undefined;
  /** The service's project name in Nx (default: the service's name). */
  nx?: string | undefined;
  /** The service's package name in Turborepo (default: the service's name). */
  turbo?: string | undefined;
};

/** Why a service is affected. */
export type AffectedReason =
  | {
      /** A changed file matched one of the service's `paths:` (`shared`: of `affected.shared`). */
      kind: 'file' | 'shared';
      /** The path that matched: the new path, or a renamed file's old path. */
      path: string;
      change: ChangeKind;
      glob: string;
      /** A rename matched on its new path: where it came from. */
      renamedFrom?: string;
      /** A rename matched on its old path: where it went. */
      renamedTo?: string;
    }
  | { kind: 'unknown-base'; message: string }
  | { kind: 'nx'; project: string }
  | { kind: 'turbo'; package: string };

export type AffectedService = { service: string; reasons: AffectedReason[] };

export type AffectedServices = {
  /** In the order of `services:`. */
  services: AffectedService[];
  unaffected: string[];
  /** Nx projects or Turborepo packages that name no service. */
  warnings: string[];
};

/** A compiled glob: true when the repository-relative path matches. */
export type GlobMatcher = (path: string) => boolean;

/** The changes since the merge-base, or why they cannot be known (then every service is affected). */
export type KnownChanges =
  { kind: 'known'; files: readonly ChangedFile[] } | { kind: 'unknown'; reason: string };

type CompiledRule = {
  glob: string;
  isExclusion: boolean;
  changes?: readonly ChangeKind[];
  matches: GlobMatcher;
};

function compileRules(
  rules: readonly PathRule[],
  compile: (glob: string) => GlobMatcher,
): CompiledRule[] {
  return rules.map((rule) => {
    const glob = typeof rule === 'string' ? rule : rule.glob;
    const isExclusion = glob.startsWith('!');
    const pattern = isExclusion ? glob.slice(1) : glob;
    const compiled: CompiledRule = { glob, isExclusion, matches: compile(pattern) };
    if (typeof rule !== 'string' && rule.changes !== undefined) compiled.changes = rule.changes;
    return compiled;
  });
}

/** The first including glob matching `path` with `change` when no exclusion matches it. */
function matchRules(
  rules: readonly CompiledRule[],
  path: string,
  change: ChangeKind,
): string | undefined {
  let matched: string | undefined;
  for (const rule of rules) {
    if (rule.changes !== undefined && !rule.changes.includes(change)) continue;
    if (!rule.matches(path)) continue;
    if (rule.isExclusion) return undefined;
    matched ??= rule.glob;
  }
  return matched;
}

/** The reasons a file gives against one rule list: its new path, and a rename's old path too. */
function fileReasons(
  kind: 'file' | 'shared',
  rules: readonly CompiledRule[],
  file: ChangedFile,
): AffectedReason[] {
  const reasons: AffectedReason[] = [];
  const glob = matchRules(rules, file.path, file.change);
  if (glob !== undefined)
    reasons.push({
      kind,
      path: file.path,
      change: file.change,
      glob,
      ...(file.oldPath === undefined ? {} : { renamedFrom: file.oldPath }),
    });
  else if (file.oldPath !== undefined) {
    const old = matchRules(rules, file.oldPath, file.change);
    if (old !== undefined)
      reasons.push({
        kind,
        path: file.oldPath,
        change: file.change,
        glob: old,
        renamedTo: file.path,
      });
  }
  return reasons;
}

/**
 * Which services a change affects (README "candor affected"): a service is affected by a changed
 * file matching its `paths:` (a rename by its new or its old path), by any file matching
 * `shared`, by its Nx project or Turborepo package in the lists given, and — when the changes
 * cannot be known (no base, no merge-base) — always, with that reason: never "nothing affected"
 * for want of a base. `compile` turns a glob into a matcher (the caller's glob library).
 * Services keep the order of `services`. Never throws.
 */
export function mapAffectedServices(input: {
  services: Readonly<Record<string, AffectedServiceConfig>>;
  shared: readonly PathRule[];
  changes: KnownChanges;
  compile: (glob: string) => GlobMatcher;
  nxProjects?: readonly string[] | undefined;
  turboPackages?: readonly string[] | undefined;
}): AffectedServices {
  const names = Object.keys(input.services);
  const reasons = new Map<string, AffectedReason[]>(names.map((name) => [name, []]));
  const add = (service: string, reason: AffectedReason) => reasons.get(service)?.push(reason);

  if (input.changes.kind === 'unknown') {
    for (const name of names) add(name, { kind: 'unknown-base', message: input.changes.reason });
  } else {
    const shared = compileRules(input.shared, input.compile);
    const own = new Map(
      names.map((name) => [name, compileRules(input.services[name]?.paths ?? [], input.compile)]),
    );
    for (const file of input.changes.files) {
      const sharedReasons = fileReasons('shared', shared, file);
      for (const name of names) {
        for (const reason of sharedReasons) add(name, reason);
        for (const reason of fileReasons('file', own.get(name) ?? [], file)) add(name, reason);
      }
    }
  }

  const warnings: string[] = [];
  const byTool = (
    tool: 'nx' | 'turbo',
    listed: readonly string[] | undefined,
    reasonOf: (name: string) => AffectedReason,
  ) => {
    if (listed === undefined) return;
    for (const listedName of new Set(listed)) {
      const matching = names.filter(
        (name) => (input.services[name]?.[tool] ?? name) === listedName,
      );
      if (matching.length === 0)
        warnings.push(
          `${tool === 'nx' ? 'Nx project' : 'Turborepo package'} ${listedName} names no service (set services.<name>.${tool}: ${listedName})`,
        );
      for (const name of matching) add(name, reasonOf(listedName));
    }
  };
  byTool('nx', input.nxProjects, (project) => ({ kind: 'nx', project }));
  byTool('turbo', input.turboPackages, (name) => ({ kind: 'turbo', package: name }));

  const services: AffectedService[] = [];
  const unaffected: string[] = [];
  for (const name of names) {
    const list = reasons.get(name) ?? [];
    if (list.length === 0) unaffected.push(name);
    else services.push({ service: name, reasons: list });
  }
  return { services, unaffected, warnings };
}
