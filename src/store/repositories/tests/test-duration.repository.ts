import { batches } from '../../lib/batches.ts';
import type { Store } from '../../open-store.ts';

export type DurationSample = { unit: string; runId: string; startedAt: string; durationMs: number };

/**
 * Known durations of the named units since `since`, one sample per unit per run. A unit is a
 * test key (`by: 'test'`), or a file (`by: 'file'`), matched against the `file` of tests, then
 * their classname, then their suite (Vitest writes the file as classname); a file's sample in a
 * run is the sum of its tests' durations there. Skipped executions and unknown durations are left out.
 */
export async function findDurationSamples(
  store: Store,
  options: {
    by: 'test' | 'file';
    units: readonly string[];
    since: string;
    repo?: string | undefined;
  },
): Promise<DurationSample[]> {
  const { db } = store;
  const unitOfTest = new Map<string, string>();
  // A unit is matched against one column per test key, three (file, classname, suite) per file.
  const width = options.by === 'test' ? 1 : 3;
  for (const part of batches(store.capabilities, options.units, width, 1)) {
    let query = db.selectFrom('tests').select(['id', 'key', 'file', 'classname', 'suite']);
    query =
      options.by === 'test'
        ? query.where('key', 'in', part)
        : query.where((eb) =>
            eb.or([eb('file', 'in', part), eb('classname', 'in', part), eb('suite', 'in', part)]),
          );
    if (options.repo !== undefined) query = query.where('repo', '=', options.repo);
    const wanted = new Set(part);
    for (const test of await query.execute()) {
      const unit =
        options.by === 'test'
          ? test.key
          : [test.file, test.classname, test.suite].find(
              (v): v is string => v !== null && wanted.has(v),
            );
      if (unit !== undefined) unitOfTest.set(test.id, unit);
    }
  }
  const perRun = new Map<string, DurationSample>();
  for (const part of batches(store.capabilities, [...unitOfTest.keys()], 1, 2)) {
    const rows = await db
      .selectFrom('test_executions as e')
      .innerJoin('test_reports as p', 'p.seq', 'e.report_seq')
      .select(['e.test_id', 'p.run_id', 'e.started_at', 'e.duration_ms'])
      .where('e.test_id', 'in', part)
      .where('e.started_at', '>=', options.since)
      .where('e.status', '!=', 'skipped')
      .where('e.duration_ms', 'is not', null)
      .execute();
    for (const row of rows) {
      const unit = unitOfTest.get(row.test_id) as string;
      const id = `${unit}\0${row.run_id}`;
      const sample = perRun.get(id);
      if (sample) sample.durationMs += row.duration_ms ?? 0;
      else
        perRun.set(id, {
          unit,
          runId: row.run_id,
          startedAt: row.started_at,
          durationMs: row.duration_ms ?? 0,
        });
    }
  }
  return [...perRun.values()];
}
