import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most test time is spent waiting on child processes (the real binary, PostgreSQL,
    // Prometheus, Chromium): two workers on a 2-core CI machine, not Vitest's cores − 1 = one.
    maxWorkers: 2,
    reporters: ['default', 'json'],
    outputFile: { json: '.candor-test/vitest.json' },
  },
});
