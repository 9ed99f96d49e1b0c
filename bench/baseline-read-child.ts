// The read paths as they were before streaming (issue 7), for the bench's baseline: every row in
// memory at once. Run in a child with the launcher's flags; prints time and peak RSS, or dies.
import { findDeliveryEvents } from '../src/store/repositories/delivery/delivery-event.repository.ts';
import { openStore } from '../src/store/open-store.ts';
import { referenceBuildFlakyReport } from '../src/testing/reference-build-flaky-report.ts';
import { referenceComputeDora } from '../src/testing/reference-compute-dora.ts';

const [mode, db] = process.argv.slice(2);
const store = await openStore({ kind: 'sqlite', path: db! });
const now = new Date();
if (mode === 'dora') {
  const events = await findDeliveryEvents(store.db, {
    from: new Date(now.getTime() - 120 * 86_400_000).toISOString(),
    to: new Date(now.getTime() + 86_400_001).toISOString(),
  });
  const report = referenceComputeDora(
    events.map((e) => ({
      type: e.type,
      at: Date.parse(e.occurredAt),
      service: e.service,
      environment: e.environment ?? null,
      commit: e.commit ?? null,
      commits: e.commits ?? null,
      deployment: e.deployment ?? null,
      incident: e.incident ?? null,
      result: e.result ?? null,
      attributes: e.attributes ?? null,
    })),
    {
      from: now.getTime() - 30 * 86_400_000,
      to: now.getTime(),
      environment: 'production',
      incidentWindowMs: 86_400_000,
    },
  );
  process.stdout.write(`${JSON.stringify(report).length}\n`);
} else {
  const report = await referenceBuildFlakyReport(store, {
    now,
    windowMs: 14 * 86_400_000,
    defaultBranch: 'main',
    maxBudget: 0.005,
    ownersOf: () => [],
  });
  process.stdout.write(`${JSON.stringify(report).length}\n`);
}
await store.close();
