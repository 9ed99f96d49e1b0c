/** The status of a mutant, as the mutation-testing-report schema names it. */
export const mutantStatuses = [
  'Killed',
  'Survived',
  'NoCoverage',
  'Timeout',
  'CompileError',
  'RuntimeError',
  'Ignored',
  'Pending',
] as const;
export type MutantStatus = (typeof mutantStatuses)[number];

/** One mutant: where it was made and what the tests did to it. */
export type Mutant = {
  id: string;
  mutator: string;
  status: MutantStatus;
  line: number | undefined;
};

/** A mutation-testing report (Stryker's JSON): the mutants of each source file. */
export type MutationReport = {
  schemaVersion: string;
  /** The directory the report's absolute paths are under (`projectRoot`), when given. */
  projectRoot: string | undefined;
  files: { file: string; mutants: Mutant[] }[];
};

/** Counts of a set of mutants and its score, as mutation-testing-elements computes them. */
export type MutationScore = {
  /** Killed + Timeout. */
  detected: number;
  /** Survived + NoCoverage. */
  undetected: number;
  /** CompileError + RuntimeError + Ignored + Pending: not in the score. */
  excluded: number;
  /** detected / (detected + undetected) in percent, or undefined with no valid mutant. */
  score: number | undefined;
};

/** The mutation score of `mutants` (the schema's definition). Pure; never throws. */
export function mutationScore(mutants: Iterable<Mutant>): MutationScore {
  let detected = 0;
  let undetected = 0;
  let excluded = 0;
  for (const { status } of mutants) {
    if (status === 'Killed' || status === 'Timeout') detected++;
    else if (status === 'Survived' || status === 'NoCoverage') undetected++;
    else excluded++;
  }
  const valid = detected + undetected;
  return {
    detected,
    undetected,
    excluded,
    score: valid === 0 ? undefined : (detected / valid) * 100,
  };
}
