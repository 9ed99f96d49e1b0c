import { openStore, resolveStoreLocation, type Store } from '../store/open-store.ts';
import type { CliContext } from './cli-context.ts';

/** Opens the store chosen by `--db`, `CANDOR_DATABASE_URL` or the default file. */
export function openCliStore(context: CliContext, db: string | undefined): Promise<Store> {
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
