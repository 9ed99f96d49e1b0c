/**
 * Cases of a family's conformance suite that one implementation does not run, and why
 * (docs/adr/0011-plugin-families.md). The reason is required, and the implementation's readme
 * lists it: a skipped case is not registered at all, so it never shows up as "skipped".
 */
export type ConformanceSkip<Case extends string> = {
  /** Why the case cannot apply to this implementation, e.g. "JSON declares no encoding". */
  reason: string;
  tests: readonly Case[];
};

/**
 * The cases to leave out. Throws (a mistake in the calling test, reported when the file is
 * collected) when a reason is blank or a case is not one of `cases`.
 */
export function skippedCases<Case extends string>(
  suite: string,
  cases: readonly Case[],
  skip: readonly ConformanceSkip<Case>[] = [],
): ReadonlySet<Case> {
  const skipped = new Set<Case>();
  for (const { reason, tests } of skip) {
    // `reason` is required by the type; a caller without types may still leave it out.
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`${suite}: skipping ${tests.join(', ')} needs a reason`);
    }
    for (const test of tests) {
      if (!cases.includes(test)) throw new Error(`${suite}: no case "${test}" to skip`);
      skipped.add(test);
    }
  }
  return skipped;
}
