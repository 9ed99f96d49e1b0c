import { posix } from 'node:path';
import { z } from 'zod';
import { mutationScore, type MutationReport } from '../../core/evidence/mutation-report.ts';
import { round } from '../../core/lib/round.ts';
import { defineGateCondition, type GateLocation } from '../gate-condition.ts';
import { listShort, plural, readEvidenceFiles } from '../read-evidence-files.ts';

/** `- mutation: { files: reports/mutation/mutation.json, module: "src/payments/**", min: 80 }`. */
export const MutationOptions = z.strictObject({
  /** Stryker mutation-testing report JSON (paths or globs), merged. */
  files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)]),
  /** Only mutants of source files matching this glob (repository-relative). */
  module: z.string().min(1).optional(),
  /** The least mutation score, in percent. */
  min: z.number().min(0).max(100),
});
export type MutationOptions = z.output<typeof MutationOptions>;

export type MutationEvidence = {
  reports: readonly string[];
  /** The files of the module, repository-relative, with their mutants. */
  files: MutationReport['files'];
};

/**
 * A report path made repository-relative: absolute paths under the report's `projectRoot` or the
 * repository root lose it, `./` is removed.
 */
function repoRelative(file: string, roots: readonly (string | undefined)[]): string {
  const slashed = file.replaceAll('\\', '/');
  let inside = slashed;
  for (const root of roots) {
    if (root === undefined) continue;
    const prefix = `${root.replaceAll('\\', '/').replace(/\/$/, '')}/`;
    if (slashed.startsWith(prefix)) {
      inside = slashed.slice(prefix.length);
      break;
    }
  }
  return posix.normalize(inside).replace(/^\.\//, '');
}

/**
 * `mutation`: the mutation score of a module, recomputed from the mutants of Stryker's report
 * (Killed + Timeout over Killed + Timeout + Survived + NoCoverage), at least `min`. A module that
 * no mutant is in is "no evidence", never a pass.
 */
export const mutationCondition = defineGateCondition<MutationOptions, MutationEvidence>({
  id: 'mutation',
  description: 'the mutation score of a module from Stryker report JSON is at least min',
  options: MutationOptions,
  label: (options) => `mutation ${options.module ?? 'all files'} ≥ ${options.min}%`,
  async gather(options, context) {
    const patterns = [options.files].flat();
    const read = await readEvidenceFiles(
      'mutation',
      patterns,
      context,
      `a Stryker mutation report at ${patterns.join(', ')}`,
    );
    if (read.kind !== 'found') return read;
    const byFile = new Map<string, MutationReport['files'][number]['mutants']>();
    for (const { model } of read.value)
      for (const entry of model.files) {
        const file = repoRelative(entry.file, [model.projectRoot, context.root]);
        if (options.module !== undefined && !posix.matchesGlob(file, options.module)) continue;
        byFile.set(file, [...(byFile.get(file) ?? []), ...entry.mutants]);
      }
    const files = [...byFile].map(([file, mutants]) => ({ file, mutants }));
    if (files.every((file) => file.mutants.length === 0))
      return {
        kind: 'missing',
        expected: `mutants${options.module === undefined ? '' : ` of ${options.module}`} in ${listShort(read.files)}`,
        files: read.files,
      };
    return { kind: 'found', value: { reports: read.files, files }, files: read.files };
  },
  evaluate(evidence, options) {
    const score = mutationScore(evidence.files.flatMap((file) => file.mutants));
    const where = options.module ?? 'all files';
    if (score.score === undefined)
      return {
        result: 'fail',
        value: null,
        threshold: options.min,
        message: `no valid mutant in ${where} (${plural(score.excluded, 'mutant')} did not compile, errored or were ignored): no mutation score`,
      };
    const value = round(score.score, 2);
    const locations: GateLocation[] = [];
    for (const { file, mutants } of evidence.files)
      for (const mutant of mutants)
        if (
          (mutant.status === 'Survived' || mutant.status === 'NoCoverage') &&
          locations.length < 200
        )
          locations.push({
            file,
            line: mutant.line,
            message: `${mutant.status === 'Survived' ? 'survived' : 'not covered'}: ${mutant.mutator} mutant ${mutant.id}`,
          });
    const passed = score.score >= options.min;
    return {
      result: passed ? 'pass' : 'fail',
      value,
      threshold: options.min,
      message: `mutation score of ${where} ${value}% (${score.detected} of ${score.detected + score.undetected} mutants detected), ${passed ? 'at least' : 'below'} ${options.min}%`,
      locations: passed ? [] : locations,
    };
  },
});
