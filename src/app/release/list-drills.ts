import type { CandorConfig } from '../../config/candor-config.ts';
import { summarizeDrills, type DrillRow } from '../../core/release/drill-status.ts';
import { dayMs } from '../../core/lib/time.ts';
import { findDeliveryEvents } from '../../store/repositories/delivery/delivery-event.repository.ts';
import type { Store } from '../../store/open-store.ts';

/** The default age after which a drill no longer counts (the seed's release checklist). */
export const defaultDrillMaxAgeDays = 30;

/**
 * The last drill per service and environment from the ledger, with every service that
 * candor.yml gives a rollback action expected to have one (in its drill environment, default
 * staging). `maxAgeDays` overrides every limit. Throws CandorError `database`.
 */
export async function listDrills(
  store: Store,
  config: CandorConfig,
  options: { now: Date; maxAgeDays?: number | undefined; service?: string | undefined },
): Promise<DrillRow[]> {
  const events = await findDeliveryEvents(store.db, {
    from: '1970-01-01T00:00:00.000Z',
    to: new Date(options.now.getTime() + dayMs).toISOString(),
    types: ['rollback_drill'],
    service: options.service,
  });
  const expected = Object.entries(config.services ?? {})
    .filter(
      ([name, service]) =>
        (service.rollback !== undefined || service.drill !== undefined) &&
        (options.service === undefined || name === options.service),
    )
    .map(([name, service]) => ({
      service: name,
      environment: service.drill?.environment ?? 'staging',
      maxAgeDays: options.maxAgeDays ?? service.drill?.maxAgeDays ?? defaultDrillMaxAgeDays,
    }));
  return summarizeDrills(
    events.map((e) => ({
      service: e.service,
      environment: e.environment ?? '(none)',
      occurredAt: e.occurredAt,
      result: e.result,
      durationMs:
        typeof e.attributes?.['durationMs'] === 'number' ? e.attributes['durationMs'] : undefined,
      action: typeof e.attributes?.['action'] === 'string' ? e.attributes['action'] : undefined,
    })),
    {
      now: options.now.toISOString(),
      expected,
      defaultMaxAgeDays: options.maxAgeDays ?? defaultDrillMaxAgeDays,
    },
  );
}
