import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The direction of imports (ARCHITECTURE.md, docs/adr/0011): a rule, so nobody has to remember it.
 * Plugin implementations never importing a sibling, and the absence of cycles, are checked by
 * src/architecture.test.ts (a rule cannot see a whole graph).
 */
const layer = (...names) => names.map((name) => `**/${name}/**`);
const testingOnly = {
  group: layer('testing'),
  message: 'src/testing is test support: only tests and benchmarks import it.',
};
const boundaries = {
  core: [
    {
      regex: '^(?!zod$)(?!\\.{1,2}/)',
      message: 'core imports only zod and core: pass data and time in.',
    },
    {
      group: layer(
        'readers',
        'store',
        'server',
        'cli',
        'app',
        'sources',
        'actions',
        'gates',
        'ci',
        'exporters',
        'contracts',
        'config',
        'web',
      ),
      message: 'core imports nothing from the other layers.',
    },
  ],
  /** Plugin families (readers, CI environments, exporters, sources, actions, gates): core values out. */
  adapters: [
    {
      group: layer('store', 'app', 'server', 'cli', 'web'),
      message: 'a plugin family depends on core (and its own contract) only.',
    },
  ],
  store: [
    {
      group: layer('readers', 'app', 'server', 'cli', 'ci', 'exporters', 'web'),
      message: 'the store depends on core only.',
    },
  ],
  /** candor.yml: sections assembled from core schemas and the families' registries. */
  config: [
    {
      group: layer('store', 'app', 'server', 'cli', 'web'),
      message: 'the configuration schema imports core and the plugin families only.',
    },
  ],
  contracts: [
    {
      group: layer('readers', 'store', 'app', 'server', 'cli', 'ci', 'exporters', 'web'),
      message: 'contracts are schemas over core values: they import core only.',
    },
  ],
  app: [
    { group: layer('server', 'cli', 'web'), message: 'the app layer does not know its callers.' },
  ],
  server: [
    { group: layer('cli', 'web'), message: 'the server never imports the CLI.' },
    {
      group: layer('repositories', 'migrations', 'dialects'),
      message: 'the server reaches the store through the app layer.',
    },
  ],
  cli: [
    { group: layer('web'), message: 'the CLI does not import the dashboard.' },
    {
      group: layer('repositories', 'migrations', 'dialects'),
      message: 'the CLI reaches the store through the app layer.',
    },
  ],
};

const noClock = [
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'core reads no clock: pass `now` in.',
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'core reads no clock: pass `now` in.',
  },
  {
    selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
    message: 'core uses seededRandom: randomness comes in as a seed.',
  },
  {
    selector: "MemberExpression[object.name='process']",
    message: 'core reads no environment: pass it in.',
  },
];

/**
 * Test code: tests, and the conformance suites they call (`*-conformance.ts`, which register
 * `describe`/`it` blocks and are imported by tests only; src/architecture.test.ts checks that).
 */
const testCode = ['**/*.test.ts', '**/*-conformance.ts'];

const restrict = (patterns, { tests = false } = {}) => ({
  'no-restricted-imports': ['error', { patterns: tests ? patterns : [...patterns, testingOnly] }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.candor-test/', '**/__fixtures__/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { ...restrict(boundaries.core), 'no-restricted-syntax': ['error', ...noClock] },
  },
  {
    files: [
      'src/readers/**/*.ts',
      'src/ci/**/*.ts',
      'src/exporters/**/*.ts',
      'src/sources/**/*.ts',
      'src/actions/**/*.ts',
      'src/gates/**/*.ts',
    ],
    ignores: testCode,
    rules: restrict(boundaries.adapters),
  },
  { files: ['src/config/**/*.ts'], ignores: testCode, rules: restrict(boundaries.config) },
  { files: ['src/store/**/*.ts'], ignores: ['**/*.test.ts'], rules: restrict(boundaries.store) },
  {
    files: ['src/contracts/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(boundaries.contracts),
  },
  { files: ['src/app/**/*.ts'], ignores: ['**/*.test.ts'], rules: restrict(boundaries.app) },
  { files: ['src/server/**/*.ts'], ignores: ['**/*.test.ts'], rules: restrict(boundaries.server) },
  { files: ['src/cli/**/*.ts'], ignores: ['**/*.test.ts'], rules: restrict(boundaries.cli) },
  // Tests keep their layer's direction (a reader's test imports no store) but may use testing/.
  {
    files: ['src/readers', 'src/ci', 'src/exporters', 'src/sources'].flatMap((dir) =>
      testCode.map((glob) => `${dir}/${glob}`),
    ),
    rules: restrict(boundaries.adapters, { tests: true }),
  },
  {
    files: ['src/server/**/*.test.ts'],
    rules: restrict([boundaries.server[0]], { tests: true }),
  },
  {
    files: [...testCode, 'bench/**/*.ts', 'src/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
  },
);
