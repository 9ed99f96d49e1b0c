import { posix } from 'node:path';
import { z } from 'zod';
import {
  countLines,
  hitsAt,
  mergeLineHits,
  type LineHits,
} from '../../core/coverage/coverage-report.ts';
import {
  coverageDetectHints,
  coverageFormats,
  coverageReaders,
  detectCoverageFormat,
} from '../../readers/coverage/coverage-readers.ts';
import type { CoverageReader } from '../../readers/coverage/coverage-reader.ts';
import {
  defineGateCondition,
  type EvidenceProblem,
  type GateContext,
  type GateLocation,
} from '../gate-condition.ts';

const globs = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)]);

/**
 * `- coverage: { files: coverage/lcov.info, module: "src/payments/**", min: 90 }` or
 * `- coverage: { files: coverage/lcov.info, changedLines: true, min: 80 }` (both may combine).
 */
export const CoverageOptions = z.strictObject({
  /** The coverage reports: paths or globs, merged (the largest count per line). */
  files: globs,
  format: z.enum(['auto', ...coverageFormats]).default('auto'),
  /** Only source files matching this glob (repository-relative). */
  module: z.string().min(1).optional(),
  /** Only the lines added since the merge-base. */
  changedLines: z.boolean().default(false),
  /** The least share of instrumented lines covered, in percent. */
  min: z.number().min(0).max(100),
  /** Source roots that relative paths of the reports start from (JaCoCo: src/main/java). */
  roots: z.array(z.string().min(1)).max(50).default([]),
});
export type CoverageOptions = z.output<typeof CoverageOptions>;

export type CoverageEvidence = {
  /** Repository-relative source file → line → hits, of the files the options look at. */
  lines: Map<string, LineHits>;
  /** With `changedLines`: the added line numbers per file (of the files the module covers). */
  added?: Map<string, number[]>;
  reports: string[];
};

const isAbsolute = (path: string) => path.startsWith('/') || /^[A-Za-z]:\//.test(path);

/** A file's lines in batches: the context's own batches, else `readLines` gathered by 1,000. */
async function* lineBatches(context: GateContext, file: string): AsyncIterable<readonly string[]> {
  if (context.readLineBatches !== undefined) {
    yield* context.readLineBatches(file);
    return;
  }
  let batch: string[] = [];
  for await (const line of context.readLines(file)) {
    batch.push(line);
    if (batch.length === 1_000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The first lines of a file, about 1 KiB, for detection. */
async function headOf(context: GateContext, file: string): Promise<string> {
  let head = '';
  for await (const line of context.readLines(file)) {
    head += `${line}\n`;
    if (head.length >= 1024) break;
  }
  return head;
}

/** The module path of go.mod, when there is one. */
async function goModule(context: GateContext): Promise<string | undefined> {
  const text = await context.readText('go.mod');
  return text === undefined ? undefined : /^module\s+(\S+)/m.exec(text)?.[1];
}

/**
 * What `normalise` may make of a report's path, at least one: `\` → `/`; the Go module path
 * stripped; an absolute path inside the root made relative; a relative path as is, then under each
 * of the report's roots and the configured roots. The first is the pick when no file decides.
 */
function pathCandidates(
  path: string,
  roots: readonly string[],
  repositoryRoot: string,
  module: string | undefined,
): [string, ...string[]] {
  let p = path.replace(/\\/g, '/');
  if (module !== undefined && p.startsWith(`${module}/`)) p = p.slice(module.length + 1);
  const root = repositoryRoot.replace(/\\/g, '/').replace(/\/$/, '');
  const relative = (candidate: string) =>
    isAbsolute(candidate)
      ? candidate.startsWith(`${root}/`)
        ? candidate.slice(root.length + 1)
        : undefined
      : posix.normalize(candidate).replace(/^\.\//, '');
  if (isAbsolute(p)) return [relative(p) ?? p];
  const candidates = [p, ...roots.map((r) => `${r}/${p}`)]
    .map(relative)
    .filter((c): c is string => c !== undefined && !c.startsWith('../'));
  const [first, ...rest] = candidates;
  return first === undefined ? [p] : [first, ...rest];
}

/**
 * A report's path made repository-relative (`pathCandidates`): the only candidate, else the first
 * that names a file of the repository, else the first.
 */
async function normalise(
  path: string,
  roots: readonly string[],
  context: GateContext,
  module: string | undefined,
): Promise<string> {
  const candidates = pathCandidates(path, roots, context.root, module);
  if (candidates.length === 1) return candidates[0];
  for (const candidate of candidates)
    if ((await context.findFiles([candidate])).length > 0) return candidate;
  return candidates[0];
}

const percent = (covered: number, total: number) => Math.floor((covered / total) * 10_000) / 100;

/**
 * `coverage`: line coverage of a module glob, of the lines added since the merge-base, or of the
 * whole report, at least `min` percent; recomputed from line records. A module glob that matches
 * no covered file is "no evidence", never a pass.
 */
export const coverageCondition = defineGateCondition<CoverageOptions, CoverageEvidence>({
  id: 'coverage',
  description: 'line coverage (LCOV, Istanbul, Cobertura, JaCoCo, Go) of a module glob or of changed lines ≥ min',
  options: CoverageOptions,
  label: (o) =>
    `coverage ${o.changedLines ? `changed lines${o.module ? ` of ${o.module}` : ''}` : (o.module ?? 'all files')}`,
  async gather(options, context) {
    const given = [options.files].flat().join(', ');
    const reports = await context.findFiles(options.files);
    if (reports.length === 0)
      return { kind: 'missing', expected: `a coverage report at ${given} (no such file)`, files: [] };
    const problems: EvidenceProblem[] = [];
    const lines = new Map<string, LineHits>();
    const module = await goModule(context);
    for (const file of reports) {
      const format =
        options.format === 'auto' ? detectCoverageFormat(await headOf(context, file)) : options.format;
      if (format === undefined) {
        problems.push({ file, line: 1, column: 1, message: `not a coverage report: expected ${coverageDetectHints}` });
        continue;
      }
      const reader: CoverageReader = coverageReaders[format];
      // Byte readers' reports name no roots (the contract), so a path none of whose candidates
      // is in the module is dropped below whatever it becomes: the reader need not keep its
      // records (a 100 MB LCOV of which one file in ten is the module's).
      const moduleGlob = options.module;
      const read =
        reader.readBytes !== undefined && context.readBytes !== undefined
          ? await reader.readBytes(
              context.readBytes(file),
              moduleGlob === undefined
                ? {}
                : {
                    isKept: (path) =>
                      pathCandidates(path, options.roots, context.root, module).some((c) =>
                        posix.matchesGlob(c, moduleGlob),
                      ),
                  },
            )
          : await reader.read(lineBatches(context, file));
      if (!read.ok) {
        problems.push(...read.errors.map((p) => ({ ...p, file })));
        continue;
      }
      const roots = [...read.value.roots, ...options.roots];
      for (const [path, records] of read.value.files) {
        const normalised = await normalise(path, roots, context, module);
        const merged = lines.get(normalised);
        if (merged === undefined) lines.set(normalised, records);
        else mergeLineHits(merged, records);
      }
    }
    if (problems.length > 0) return { kind: 'invalid', problems, files: reports };
    const inModule = (file: string) => options.module === undefined || posix.matchesGlob(file, options.module);
    const kept = new Map([...lines].filter(([file]) => inModule(file)));
    if (options.module !== undefined && kept.size === 0)
      return {
        kind: 'missing',
        expected: `coverage records for files matching ${options.module} in ${reports.join(', ')} (the report covers ${lines.size} other file(s))`,
        files: reports,
      };
    if (!options.changedLines) return { kind: 'found', value: { lines: kept, reports }, files: reports };
    const changes = await context.changes();
    if (changes.kind === 'unavailable')
      return { kind: 'missing', expected: `the lines added since the merge-base (${changes.reason})`, files: reports };
    const added = new Map(
      [...changes.files]
        .filter(([file]) => inModule(file))
        .map(([file, list]) => [file, list.map((l) => l.line)] as const),
    );
    return { kind: 'found', value: { lines: kept, added, reports }, files: reports };
  },
  evaluate(evidence, options) {
    const threshold = options.min;
    if (evidence.added !== undefined) {
      let total = 0;
      let covered = 0;
      const locations: GateLocation[] = [];
      const without: string[] = [];
      for (const [file, added] of evidence.added) {
        const records = evidence.lines.get(file);
        if (records === undefined) {
          without.push(file);
          continue;
        }
        for (const line of added) {
          const hits = hitsAt(records, line);
          if (hits === undefined) continue;
          total++;
          if (hits > 0) covered++;
          else if (locations.length < 200) locations.push({ file, line, message: 'added line not covered by tests' });
        }
      }
      const note = without.length === 0 ? '' : `; ${without.length} changed file(s) have no coverage records`;
      if (total === 0)
        return { result: 'pass', value: null, threshold, message: `no added line is instrumented${note}` };
      const value = percent(covered, total);
      const passed = covered * 100 >= threshold * total;
      return {
        result: passed ? 'pass' : 'fail',
        value,
        threshold,
        message: `${value}% of ${total} added instrumented line(s) covered (${covered}), ${passed ? 'at least' : 'below'} ${threshold}%${note}`,
        locations,
      };
    }
    let total = 0;
    let covered = 0;
    for (const records of evidence.lines.values()) {
      const counted = countLines(records);
      total += counted.total;
      covered += counted.covered;
    }
    const scope = options.module ?? 'all files';
    if (total === 0)
      return { result: 'fail', value: 0, threshold, message: `${scope}: ${evidence.lines.size} file(s) with no instrumented line` };
    const value = percent(covered, total);
    const passed = covered * 100 >= threshold * total;
    return {
      result: passed ? 'pass' : 'fail',
      value,
      threshold,
      message: `${scope}: ${value}% of ${total} lines covered (${covered}) in ${evidence.lines.size} file(s), ${passed ? 'at least' : 'below'} ${threshold}%`,
    };
  },
});
