import { Command } from 'commander';
import {
  describeStoreLocation,
  migrateStore,
  openStore,
  resolveStoreLocation,
} from '../../store/open-store.ts';
import { exitCodes, type CliContext } from '../cli-context.ts';

export function dbCommand(context: CliContext, setExitCode: (code: number) => void): Command {
  const db = new Command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending migrations (they also apply on first use)')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL')
    .action(async (options: { db?: string }) => {
      const location = resolveStoreLocation({ db: options.db, env: context.env, cwd: context.cwd });
      const store = await openStore(location, { migrate: false });
      try {
        const applied = await migrateStore(store);
        context.stdout.write(
          applied.length === 0
            ? `${describeStoreLocation(location)}: up to date\n`
            : `${describeStoreLocation(location)}: applied ${applied.join(', ')}\n`,
        );
      } finally {
        await store.close();
      }
      setExitCode(exitCodes.ok);
    });
  return db;
}
