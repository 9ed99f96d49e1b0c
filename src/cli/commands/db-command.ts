import { Command } from 'commander';
import {
  describeStoreLocation,
  migrateStore,
  openStore,
  resolveStoreLocation,
} from '../../store/open-store.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { describeMessage } from '../documents/describe-message.ts';
import { dbOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

/** `candor db migrate` (README "candor db migrate"). */
export const dbCommand: CommandFactory = (context, setExitCode) => {
  const db = new Command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending migrations (they also apply on first use)')
    .addOption(dbOption())
    .action(async (options: { db?: string }) => {
      const location = resolveStoreLocation({ db: options.db, env: context.env, cwd: context.cwd });
      const store = await openStore(location, { migrate: false });
      try {
        const applied = await migrateStore(store);
        writeDocument(
          context.stdout,
          describeMessage(
            applied.length === 0
              ? `${describeStoreLocation(location)}: up to date`
              : `${describeStoreLocation(location)}: applied ${applied.join(', ')}`,
          ),
        );
      } finally {
        await store.close();
      }
      setExitCode(exitCodes.ok);
    });
  return db;
};
