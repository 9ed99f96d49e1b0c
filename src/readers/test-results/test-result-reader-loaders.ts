import type { TestResultReader } from './test-result-reader.ts';
import type { ReportFormat } from './test-result-readers.ts';

/**
 * The readers of `testResultReaders`, each loaded on its own, in the same order: for the parse
 * worker (docs/adr/0046), which runs one reader and would otherwise load every reader's modules
 * (zod among them) in its own thread: about 100 ms and 12 MB more per worker. A second list as
 * `cli/commands/command-loaders.ts` is; its test checks that it gives the registry's readers.
 */
export const testResultReaderLoaders = {
  junit: async () => (await import('./junit/junit-reader.ts')).junitReader,
  ctrf: async () => (await import('./ctrf/ctrf-reader.ts')).ctrfReader,
  'go-test-json': async () =>
    (await import('./go-test-json/go-test-json-reader.ts')).goTestJsonReader,
  nunit: async () => (await import('./nunit/nunit-reader.ts')).nunitReader,
  trx: async () => (await import('./trx/trx-reader.ts')).trxReader,
  xunit: async () => (await import('./xunit/xunit-reader.ts')).xunitReader,
} satisfies Record<ReportFormat, () => Promise<TestResultReader>>;
