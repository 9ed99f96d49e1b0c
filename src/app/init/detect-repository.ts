import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ciProviders,
  type CiProvider,
  type PackageManager,
  type RepositoryDetection,
} from '../../core/init/render-starter-config.ts';

/** Folders never looked into: dependencies, build caches, version control. */
const skipped = new Set([
  'node_modules',
  '.git',
  '.hg',
  'vendor',
  '.venv',
  'venv',
  '.cache',
  'dist',
]);
/** How deep and how many entries the walk reads: init stays instant in a monorepo. */
const maxDepth = 4;
const maxEntries = 20_000;

/** Lock or build files, in the order they win (a lock file names the manager exactly). */
const managerFiles: readonly [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lockb', 'bun'],
  ['bun.lock', 'bun'],
  ['package-lock.json', 'npm'],
  ['package.json', 'npm'],
  ['go.mod', 'go'],
  ['pom.xml', 'maven'],
  ['build.gradle', 'gradle'],
  ['build.gradle.kts', 'gradle'],
  ['Cargo.toml', 'cargo'],
  ['pyproject.toml', 'python'],
  ['requirements.txt', 'python'],
];

const ciFiles: Record<CiProvider, readonly string[]> = {
  github: ['.github/workflows'],
  gitlab: ['.gitlab-ci.yml'],
  jenkins: ['Jenkinsfile'],
  circleci: ['.circleci/config.yml'],
};

const codeownersFiles = [
  '.github/CODEOWNERS',
  'CODEOWNERS',
  'docs/CODEOWNERS',
  '.gitlab/CODEOWNERS',
];

const isTestReport = (path: string, name: string) =>
  /^TEST-.*\.xml$/.test(name) ||
  /junit.*\.xml$/i.test(name) ||
  /\.ctrf\.json$|^ctrf-report\.json$/i.test(name) ||
  /(^|\/)(test-results|surefire-reports)\/.*\.xml$/.test(path);
const isCoverage = (path: string, name: string) =>
  name === 'lcov.info' ||
  name === 'cobertura-coverage.xml' ||
  name === 'coverage-final.json' ||
  name === 'jacoco.xml' ||
  name === 'coverage.out' ||
  (name === 'coverage.xml' && !path.includes('/node_modules/'));
const isSarif = (name: string) => name.endsWith('.sarif') || name.endsWith('.sarif.json');
const isSbom = (name: string) =>
  /\.(cdx|cyclonedx|spdx)\.json$/i.test(name) || /^(bom|sbom)\.json$/i.test(name);

/**
 * What a starter candor.yml can be written from (`candor init`): the package manager and CI
 * providers from their files, CODEOWNERS, and the test, coverage, SARIF and SBOM files present
 * under `root` (at most 4 folders deep, dependencies and build caches skipped). Reads only.
 * Throws CandorError `io` never: unreadable folders are skipped.
 */
export function detectRepository(root: string): RepositoryDetection {
  const found = {
    testReports: [] as string[],
    coverage: [] as string[],
    sarif: [] as string[],
    sboms: [] as string[],
  };
  let entries = 0;
  const walk = (dir: string, prefix: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (++entries > maxEntries) return;
      const path = prefix === '' ? name : `${prefix}/${name}`;
      let isDirectory: boolean;
      try {
        isDirectory = statSync(join(dir, name)).isDirectory();
      } catch {
        continue;
      }
      if (isDirectory) {
        if (!skipped.has(name) && depth < maxDepth) walk(join(dir, name), path, depth + 1);
        continue;
      }
      if (isTestReport(path, name)) found.testReports.push(path);
      else if (isCoverage(path, name)) found.coverage.push(path);
      else if (isSarif(name)) found.sarif.push(path);
      else if (isSbom(name)) found.sboms.push(path);
    }
  };
  walk(root, '', 0);
  const has = (path: string) => existsSync(join(root, path));
  return {
    packageManager: managerFiles.find(([file]) => has(file))?.[1],
    ciProviders: ciProviders.filter((provider) => ciFiles[provider].some(has)),
    codeowners: codeownersFiles.find(has),
    testReports: found.testReports.slice(0, 20),
    coverage: found.coverage.slice(0, 20),
    sarif: found.sarif.slice(0, 20),
    sboms: found.sboms.slice(0, 20),
    secretsCatalog: has('.candor/secrets.yml'),
  };
}
