import type { Store } from '../store/open-store.ts';
import type { CliContext } from './cli-context.ts';

/**
 * Opens the store chosen by `--db`, `CANDOR_DATABASE_URL` or the default file. The store (Kysely,
 * pg, migrations) is imported here, on first use, so `--help` and store-less runs of a command
 * never load it (docs/adr/0040).
 */
export async function openCliStore(context: CliContext, db: string | undefined): Promise<Store> {
  const { openStore, resolveStoreLocation } = await import('../store/open-store.ts');
  return openStore(resolveStoreLocation({ db, env: context.env, cwd: context.cwd }));
}

/** Runs `work` with an open store and always closes it. */
export async function withStore<T>(
  context: CliContext,
  db: string | undefined,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openCliStore(context, db);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
