import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Imports that a layer may not make: keeps the core pure and the shells thin (STYLE.md). */
const layerRules = {
  core: {
    patterns: [
      {
        group: ['node:*'],
        message: 'core is pure: no I/O, no node: modules; pass data and time in.',
      },
      {
        group: [
          '**/readers/**',
          '**/store/**',
          '**/server/**',
          '**/cli/**',
          '**/app/**',
          '**/sources/**',
          '**/actions/**',
        ],
        message: 'core imports nothing from the other layers.',
      },
    ],
  },
  plugins: {
    patterns: [
      {
        group: ['**/server/**', '**/cli/**', '**/app/**'],
        message: 'readers and store depend on core only.',
      },
    ],
  },
  app: {
    patterns: [
      { group: ['**/server/**', '**/cli/**'], message: 'the app layer does not know its callers.' },
    ],
  },
};

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
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', layerRules.core] } },
  {
    files: ['src/readers/**/*.ts', 'src/store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', layerRules.plugins] },
  },
  { files: ['src/app/**/*.ts'], rules: { 'no-restricted-imports': ['error', layerRules.app] } },
  {
    files: ['**/*.test.ts', 'bench/**/*.ts'],
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
