/**
 * What `candor init` found in a repository (src/app/init/detect-repository.ts): paths are
 * repository-relative with `/`, sorted; every list may be empty.
 */
export type RepositoryDetection = {
  /** `npm`, `pnpm`, `yarn`, `bun`, `go`, `maven`, `gradle`, `cargo`, `python`, or undefined. */
  packageManager: PackageManager | undefined;
  /** The CI providers whose configuration is present. */
  ciProviders: readonly CiProvider[];
  /** The CODEOWNERS file, when there is one. */
  codeowners: string | undefined;
  /** Test reports present (JUnit XML, CTRF JSON). */
  testReports: readonly string[];
  /** Coverage reports present (LCOV, Cobertura, Istanbul JSON, JaCoCo, Go coverprofile). */
  coverage: readonly string[];
  /** SARIF files present. */
  sarif: readonly string[];
  /** SBOMs present (CycloneDX or SPDX JSON). */
  sboms: readonly string[];
  /** `.candor/secrets.yml` exists. */
  secretsCatalog: boolean;
};

export const packageManagers = [
  'npm',
  'pnpm',
  'yarn',
  'bun',
  'go',
  'maven',
  'gradle',
  'cargo',
  'python',
] as const;
export type PackageManager = (typeof packageManagers)[number];

export const ciProviders = ['github', 'gitlab', 'jenkins', 'circleci'] as const;
export type CiProvider = (typeof ciProviders)[number];

/** Where the test reports and coverage of a stack usually land when none is in the repository. */
const conventional: Record<PackageManager, { tests: string; coverage: string | undefined }> = {
  npm: { tests: 'reports/junit.xml', coverage: 'coverage/lcov.info' },
  pnpm: { tests: 'reports/junit.xml', coverage: 'coverage/lcov.info' },
  yarn: { tests: 'reports/junit.xml', coverage: 'coverage/lcov.info' },
  bun: { tests: 'reports/junit.xml', coverage: 'coverage/lcov.info' },
  go: { tests: 'reports/junit.xml', coverage: 'coverage.out' },
  maven: { tests: 'target/surefire-reports/*.xml', coverage: 'target/site/jacoco/jacoco.xml' },
  gradle: { tests: 'build/test-results/test/*.xml', coverage: undefined },
  cargo: { tests: 'target/nextest/ci/junit.xml', coverage: 'lcov.info' },
  python: { tests: 'reports/junit.xml', coverage: 'coverage.xml' },
};

/** The test command of a stack writing a JUnit report, for the CI snippet. */
const testCommand: Record<PackageManager, string> = {
  npm: 'npm ci && npm test',
  pnpm: 'pnpm install --frozen-lockfile && pnpm test',
  yarn: 'yarn install --frozen-lockfile && yarn test',
  bun: 'bun install --frozen-lockfile && bun test',
  go: 'go test -coverprofile=coverage.out ./...',
  maven: 'mvn -B verify',
  gradle: './gradlew test',
  cargo: 'cargo nextest run --profile ci',
  python: 'pytest --junitxml=reports/junit.xml --cov --cov-report=xml',
};

const quote = (text: string) => JSON.stringify(text);
const list = (items: readonly string[]) =>
  items.length === 1 ? quote(items[0]!) : `[${items.map(quote).join(', ')}]`;

/**
 * A commented starter candor.yml for what was detected: the `change` checklist (tests, coverage,
 * findings, todo) and the `release` checklist (sbom, secrets), each entry on evidence that is
 * present, or, for the stack's conventional report paths, marked `enforce: warn` so that a fresh
 * setup never blocks on a report the CI does not write yet. Pure; never throws.
 */
export function renderStarterConfig(detection: RepositoryDetection): string {
  const lines: string[] = [
    '# candor.yml: written by `candor init`; check it with `candor config check`.',
    '# yaml-language-server: $schema=./candor.schema.json   (from: npx candor config schema > candor.schema.json)',
    `# Detected: package manager ${detection.packageManager ?? 'none'}; CI ${detection.ciProviders.join(', ') || 'none'}; CODEOWNERS ${detection.codeowners ?? 'none'}.`,
    'version: 1',
    '',
    'gates:',
    '  # `candor gate change` must pass to merge (exit 1 blocks).',
    '  change:',
  ];
  const stack =
    detection.packageManager === undefined ? undefined : conventional[detection.packageManager];
  if (detection.testReports.length > 0) {
    lines.push(`    - tests: { files: ${list(detection.testReports)} }`);
  } else if (stack !== undefined) {
    lines.push(
      `    # No test report found in the repository; ${stack.tests} is where ${detection.packageManager} usually writes one.`,
      `    - tests: { files: ${quote(stack.tests)}, enforce: warn }`,
    );
  } else {
    lines.push('    # - tests: { files: "reports/*.xml" }   (no test report found)');
  }
  if (detection.coverage.length > 0) {
    lines.push(
      `    - coverage: { files: ${list(detection.coverage)}, min: 80 }`,
      `    - coverage: { files: ${list(detection.coverage)}, changedLines: true, min: 80 }`,
    );
  } else if (stack?.coverage !== undefined) {
    lines.push(
      `    # No coverage report found; ${stack.coverage} is the usual place.`,
      `    - coverage: { files: ${quote(stack.coverage)}, changedLines: true, min: 80, enforce: warn }`,
    );
  } else {
    lines.push('    # - coverage: { files: coverage/lcov.info, changedLines: true, min: 80 }');
  }
  if (detection.sarif.length > 0)
    lines.push(`    - findings: { files: ${list(detection.sarif)}, maxNew: 0, level: error }`);
  else lines.push('    # - findings: { files: "reports/*.sarif", maxNew: 0, level: error }');
  lines.push(
    '    - todo: { words: [TODO, FIXME] }',
    '',
    '  # `candor gate release` before a deployment.',
    '  release:',
  );
  let release = 0;
  if (detection.sboms.length > 0) {
    lines.push(
      `    - sbom: { files: ${list(detection.sboms)}, deny: [GPL-3.0-only, AGPL-3.0-only] }`,
    );
    release++;
  } else lines.push('    # - sbom: { files: sbom.cdx.json, deny: [GPL-3.0-only, AGPL-3.0-only] }');
  if (detection.secretsCatalog) {
    lines.push('    - secrets: { catalog: .candor/secrets.yml, warnDays: 14 }');
    release++;
  } else lines.push('    # - secrets: { catalog: .candor/secrets.yml, warnDays: 14 }');
  if (release === 0)
    lines.push('    - todo: { words: [FIXME] }   # replace with the release conditions above');
  lines.push('');
  return lines.join('\n');
}

/**
 * A CI job running `candor gate change` for the provider, reporting in the provider's format
 * (GitHub annotations, GitLab code quality), or undefined for a provider without a snippet.
 * Pure; never throws.
 */
export function renderCiSnippet(
  provider: CiProvider,
  packageManager: PackageManager | undefined,
): { path: string; text: string } | undefined {
  const test =
    packageManager === undefined ? 'true   # run your tests here' : testCommand[packageManager];
  if (provider === 'github')
    return {
      path: '.github/workflows/candor-gate.yml',
      text: [
        '# Written by `candor init --ci github`: the change gate on every pull request.',
        'name: candor gate',
        'on: [pull_request]',
        'jobs:',
        '  gate:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '        with: { fetch-depth: 0 }   # the merge-base is needed for changed lines',
        `      - run: ${test}`,
        '      - run: npx candor gate change --base origin/${{ github.base_ref }} --annotations',
        '',
      ].join('\n'),
    };
  if (provider === 'gitlab')
    return {
      path: '.gitlab/candor-gate.gitlab-ci.yml',
      text: [
        '# Written by `candor init --ci gitlab`: include it from .gitlab-ci.yml.',
        'candor-gate:',
        '  stage: test',
        '  variables: { GIT_DEPTH: 0 }   # the merge-base is needed for changed lines',
        '  script:',
        `    - ${test}`,
        '    - npx candor gate change --base origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME --gitlab-codequality gl-code-quality.json',
        '  artifacts:',
        '    reports: { codequality: gl-code-quality.json }',
        '    when: always',
        '',
      ].join('\n'),
    };
  return undefined;
}
