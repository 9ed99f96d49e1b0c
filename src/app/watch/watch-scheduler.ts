import type { Store } from '../../store/open-store.ts';
import { runWatchTick, type WatchServerSettings, type WatchTick } from './served-watches.ts';
import type { WatchClock } from './watch-clock.ts';

/** A running scheduler: `stop()` ends the loop after the pass in progress. */
export type WatchScheduler = { stop(): Promise<void> };

/**
 * The watch scheduler of `candor serve` (docs/adr/0026): a pass of `runWatchTick` at once and
 * then every `tickMs` on `clock` (tests pass one whose sleeps return at once), as `owner` (this
 * replica's lease name), until `stop()`. A pass that throws (the database is down) is reported
 * to `onError` and the loop goes on; `onTick` sees every pass. Never throws.
 */
export function startWatchScheduler(options: {
  store: Store;
  settings: WatchServerSettings;
  owner: string;
  tickMs: number;
  clock: WatchClock;
  onTick?: (tick: WatchTick) => void;
  onError: (error: unknown) => void;
}): WatchScheduler {
  const controller = new AbortController();
  const loop = (async () => {
    while (!controller.signal.aborted) {
      try {
        const tick = await runWatchTick(options.store, options.settings, {
          owner: options.owner,
          now: () => options.clock.now(),
          signal: controller.signal,
        });
        options.onTick?.(tick);
      } catch (error) {
        if (!controller.signal.aborted) options.onError(error);
      }
      await options.clock.sleep(options.tickMs, controller.signal);
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
