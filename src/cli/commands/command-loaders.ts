import type { CommandFactory } from '../cli-context.ts';

/**
 * A command's name and how to import its module: the CLI loads only the command that runs.
 * `prestart`, when there is one, is called when argv names the command, before it loads.
 */
export type CommandLoader = {
  name: string;
  load: () => Promise<CommandFactory>;
  prestart?: () => void;
};

/**
 * The registry of commands.ts (same commands, same order), each behind a dynamic `import()`, so
 * `candor --version` loads no command and `candor gate ...` loads only gate-command.ts and what
 * it imports (docs/adr/0040). commands.test.ts checks the two lists agree.
 */
export const commandLoaders: readonly CommandLoader[] = [
  { name: 'ingest', load: async () => (await import('./ingest-command.ts')).ingestCommand },
  { name: 'runs', load: async () => (await import('./runs-command.ts')).runsCommand },
  { name: 'tests', load: async () => (await import('./tests-command.ts')).testsCommand },
  { name: 'flaky', load: async () => (await import('./flaky-command.ts')).flakyCommand },
  { name: 'split', load: async () => (await import('./split-command.ts')).splitCommand },
  {
    name: 'quarantine',
    load: async () => (await import('./quarantine-command.ts')).quarantineCommand,
  },
  { name: 'verdict', load: async () => (await import('./verdict-command.ts')).verdictCommand },
  { name: 'event', load: async () => (await import('./event-command.ts')).eventCommand },
  { name: 'events', load: async () => (await import('./event-command.ts')).eventsCommand },
  { name: 'dora', load: async () => (await import('./dora-command.ts')).doraCommand },
  { name: 'report', load: async () => (await import('./report-command.ts')).reportCommand },
  { name: 'rollback', load: async () => (await import('./rollback-command.ts')).rollbackCommand },
  { name: 'release', load: async () => (await import('./release-command.ts')).releaseCommand },
  { name: 'watch', load: async () => (await import('./watch-command.ts')).watchCommand },
  { name: 'demo', load: async () => (await import('./demo-command.ts')).demoCommand },
  { name: 'serve', load: async () => (await import('./serve-command.ts')).serveCommand },
  { name: 'token', load: async () => (await import('./token-command.ts')).tokenCommand },
  { name: 'config', load: async () => (await import('./config-command.ts')).configCommand },
  { name: 'db', load: async () => (await import('./db-command.ts')).dbCommand },
  { name: 'canary', load: async () => (await import('./canary-command.ts')).canaryCommand },
  {
    name: 'gate',
    load: async () => (await import('./gate-command.ts')).gateCommand,
    // The worker thread of large SARIF files starts while the gate's modules load (ADR 0045).
    prestart: () =>
      void import('../../app/gates/gather-in-worker.ts')
        .then((module) => module.prestartGateWorker())
        .catch(() => undefined),
  },
  { name: 'kev', load: async () => (await import('./kev-command.ts')).kevCommand },
  { name: 'chaos', load: async () => (await import('./chaos-command.ts')).chaosCommand },
  { name: 'init', load: async () => (await import('./init-command.ts')).initCommand },
  { name: 'affected', load: async () => (await import('./affected-command.ts')).affectedCommand },
  { name: 'ci-health', load: async () => (await import('./ci-health-command.ts')).ciHealthCommand },
];
