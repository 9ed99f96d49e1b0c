import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { readCodeowners } from '../flaky/codeowners.ts';
import type { CandorConfig } from '../../config/candor-config.ts';
import { ChaosConfig } from '../../config/chaos-config.ts';
import { ChaosExperiment } from '../../core/chaos/chaos-experiment.ts';
import {
  checkChaosCatalog,
  readCodeownersOwners,
  referencedFiles,
} from '../../core/chaos/check-chaos-catalog.ts';
import { GameDayRecord } from '../../core/chaos/game-day-record.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { messageOf } from '../../core/lib/message-of.ts';
import type { Problem } from '../../core/lib/problem.ts';
import { locateYamlPath } from '../../readers/yaml/locate-yaml-path.ts';
import { parseYaml } from '../../readers/yaml/parse-yaml.ts';

/** A problem of a catalog or game-day file, repository-relative. */
export type ChaosFileProblem = Problem & { file: string };

export type ChaosCatalog = {
  config: ChaosConfig;
  /** The catalog folder and the game-day folder, repository-relative. */
  catalogDir: string;
  gameDaysDir: string;
  entries: { file: string; experiment: ChaosExperiment }[];
  records: { file: string; record: GameDayRecord }[];
  /** Files that did not parse or failed their schema (those entries are left out). */
  problems: ChaosFileProblem[];
};

/** The `chaos:` section with its defaults. */
export function chaosConfigOf(config: CandorConfig): ChaosConfig {
  return config.chaos ?? ChaosConfig.parse({});
}

function yamlFiles(root: string, dir: string): string[] {
  try {
    return readdirSync(resolve(root, dir), { withFileTypes: true })
      .filter((d) => d.isFile() && /\.ya?ml$/.test(d.name))
      .map((d) => posix.join(dir, d.name))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new CandorError('io', `cannot read ${dir}: ${messageOf(error)}`, { cause: error });
  }
}

function readText(root: string, file: string): string {
  try {
    return readFileSync(resolve(root, file), 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new CandorError('io', `cannot read ${file}: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * Reads the catalog (`chaos.catalog`, default `.candor/chaos/*.yml`) and its game-day records
 * (`chaos.gameDays`, default `<catalog>/game-days/*.yml`). A file that does not parse or fails
 * its schema is a problem with file:line:column, and is left out. Throws CandorError `io`.
 */
export function loadChaosCatalog(root: string, config: CandorConfig): ChaosCatalog {
  const chaos = chaosConfigOf(config);
  const catalogDir = chaos.catalog.replace(/\/+$/, '');
  const gameDaysDir = (chaos.gameDays ?? `${catalogDir}/game-days`).replace(/\/+$/, '');
  const problems: ChaosFileProblem[] = [];
  const entries: ChaosCatalog['entries'] = [];
  for (const file of yamlFiles(root, catalogDir)) {
    const parsed = parseYaml(readText(root, file), ChaosExperiment);
    if (parsed.ok) entries.push({ file, experiment: parsed.value.value });
    else problems.push(...parsed.errors.map((p) => ({ ...p, file })));
  }
  const records: ChaosCatalog['records'] = [];
  for (const file of yamlFiles(root, gameDaysDir)) {
    const parsed = parseYaml(readText(root, file), GameDayRecord);
    if (parsed.ok) records.push({ file, record: parsed.value.value });
    else problems.push(...parsed.errors.map((p) => ({ ...p, file })));
  }
  return { config: chaos, catalogDir, gameDaysDir, entries, records, problems };
}

/**
 * `candor chaos check`: every problem of the catalog, schema and beyond (owners in CODEOWNERS
 * when there is one, referenced files present, rollback ids in `services:`, production stop
 * conditions and blast-radius ceiling), each with file:line:column. Throws CandorError `io`.
 */
export function checkChaosFiles(
  root: string,
  config: CandorConfig,
): { catalog: ChaosCatalog; problems: ChaosFileProblem[] } {
  const catalog = loadChaosCatalog(root, config);
  const codeowners = readCodeowners(root);
  const missingFiles = new Set(
    catalog.entries
      .flatMap((e) => referencedFiles(e.experiment))
      .filter((f) => !existsSync(resolve(root, f))),
  );
  const found = checkChaosCatalog(catalog.entries, {
    owners: codeowners === undefined ? undefined : readCodeownersOwners(codeowners),
    missingFiles,
    rollbackActions: new Set(
      Object.entries(config.services ?? {})
        .filter(([, s]) => s.rollback !== undefined)
        .map(([name]) => name),
    ),
    productionEnvironments: new Set(catalog.config.productionEnvironments),
    ceiling: {
      maxTargets: catalog.config.ceiling.maxTargets,
      maxPercent: catalog.config.ceiling.maxPercent,
      maxDurationMs: catalog.config.ceiling.maxDuration,
      allowAll: catalog.config.ceiling.allowAll,
    },
  });
  const texts = new Map<string, string>();
  const located = found.map((p): ChaosFileProblem => {
    const text = texts.get(p.file) ?? readText(root, p.file);
    texts.set(p.file, text);
    const at = locateYamlPath(text, p.path);
    return {
      file: p.file,
      message: p.message,
      line: at?.line,
      column: at?.column,
      path: p.path.join('.'),
    };
  });
  const problems = [...catalog.problems, ...located].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0),
  );
  return { catalog, problems };
}
