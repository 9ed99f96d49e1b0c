import { Command } from 'commander';
import {
  describeStoreLocation,
  migrateStore,
  openStore,
  resolveStoreLocation,
} from '../../store/open-store.ts';
import { rebuildDeliveryProjections } from '../../app/delivery/project-delivery-events.ts';
import { CandorError } from '../../core/lib/candor-error.ts';
import { exitCodes, type CommandFactory } from '../cli-context.ts';
import { withStore } from '../open-cli-store.ts';
import { describeMessage } from '../documents/describe-message.ts';
import { dbOption } from '../options.ts';
import { writeDocument } from '../write-document.ts';

/** Megabytes with one decimal, for the vacuum's summary. */
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** `candor db migrate`, `candor db rebuild` and `candor db vacuum` (README "candor db"). */
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
  db.command('rebuild')
    .description(
      'rebuild the delivery projections (deployments, incidents, /metrics totals, what candor dora reads) from the event ledger',
    )
    .addOption(dbOption())
    .action(async (options: { db?: string }) => {
      const { events } = await withStore(context, options.db, (store) =>
        rebuildDeliveryProjections(store),
      );
      writeDocument(
        context.stdout,
        describeMessage(`delivery projections rebuilt from ${events} ledger event(s)`),
      );
      setExitCode(exitCodes.ok);
    });
  db.command('vacuum')
    .description(
      'rewrite the store compactly (SQLite: the file rebuilt in 16 KiB pages, which makes large commits faster; PostgreSQL: VACUUM ANALYZE of its tables)',
    )
    .addOption(dbOption())
    .action(async (options: { db?: string }) => {
      const location = resolveStoreLocation({ db: options.db, env: context.env, cwd: context.cwd });
      const outcome = await withStore(context, options.db, (store) =>
        store.capabilities.vacuum(store.db).catch((error: unknown) => {
          const message = (error as Error).message;
          // Busy or opened meanwhile: the one failure a user can fix by waiting for the others.
          const shared = /locked|busy|another process/i.test(message)
            ? ' (stop other candor processes using it, then run it again)'
            : '';
          throw new CandorError(
            'database',
            `vacuum of ${describeStoreLocation(location)} failed: ${message}${shared}`,
            { cause: error },
          );
        }),
      );
      const pages =
        outcome.pageSize === undefined
          ? ''
          : `, pages ${outcome.pageSize.before} → ${outcome.pageSize.after} bytes`;
      writeDocument(
        context.stdout,
        describeMessage(
          `${describeStoreLocation(location)}: vacuumed ${outcome.tables} table(s), ${megabytes(outcome.bytesBefore)} → ${megabytes(outcome.bytesAfter)}${pages}`,
        ),
      );
      setExitCode(exitCodes.ok);
    });
  return db;
};
