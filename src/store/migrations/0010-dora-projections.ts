import { sql, type Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * The DORA projections (docs/adr/0044): what `candor dora` reads instead of replaying the ledger.
 * Per deployment its replayed record, lead time and policy passes (clustered by start, so a
 * window is one range); its commits; per checklist the deployments it passed; the checklists
 * seen; every `policy_failed`; per change the spans between its stages. Two ledger indexes let
 * ingest re-read one deployment's or one commit's events. On a ledger that already holds events
 * the projections are empty until `candor db rebuild` (`candor_projection_state`); until then
 * `candor dora` replays the ledger, with the same answers.
 */
export const doraProjectionsMigration: StoreMigration = {
  async up(db: Kysely<unknown>, capabilities) {
    const time = 'double precision';
    await db.schema
      .createIndex('delivery_events_deployment')
      .on('delivery_events')
      .columns(['service', 'deployment'])
      .execute();
    await db.schema
      .createIndex('delivery_events_commit')
      .on('delivery_events')
      .columns(['service', 'commit_sha'])
      .execute();
    // The dashboard's reads across services: the drills (one type in the whole ledger) and the
    // newest deployments of an environment, each a scan of everything without these.
    await db.schema
      .createIndex('delivery_events_type_time')
      .on('delivery_events')
      .columns(['type', 'occurred_at'])
      .execute();
    await db.schema
      .createIndex('delivery_deployments_environment_start')
      .on('delivery_deployments')
      .columns(['environment', 'start_at'])
      .execute();
    // Plain tables, not clustered: SQLite's planner, without statistics, prefers a clustered
    // key's prefix to a secondary index's full match, and every lookup here is by a secondary
    // key. The window's range is read from a covering index instead.
    await db.schema
      .createTable('dora_deployments')
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addColumn('start_at', time, (c) => c.notNull())
      .addColumn('team', 'text')
      .addColumn('commit_sha', 'text')
      .addColumn('commits', 'text')
      .addColumn('deployed_at', time)
      .addColumn('first_failure', time)
      .addColumn('rollbacks_triggered', 'integer', (c) => c.notNull())
      .addColumn('rollbacks_ok', 'text')
      .addColumn('rollbacks_ok_count', 'integer', (c) => c.notNull())
      .addColumn('rework', 'integer', (c) => c.notNull())
      .addColumn('lead_ms', time)
      .addColumn('lead_after', time)
      .addColumn('lead_own', time)
      .addColumn('previous_commit', 'text')
      .addColumn('policy_passed', 'integer', (c) => c.notNull())
      .addColumn('passed_checklists', 'text')
      .addPrimaryKeyConstraint('dora_deployments_pk', ['service', 'environment', 'deployment'])
      .execute();
    for (const [name, columns] of [
      [
        'dora_deployments_window',
        [
          'service',
          'environment',
          'start_at',
          'deployment',
          'lead_ms',
          'rework',
          'rollbacks_triggered',
          'rollbacks_ok_count',
          'policy_passed',
        ],
      ],
      ['dora_deployments_commit', ['service', 'commit_sha']],
      ['dora_deployments_previous', ['service', 'previous_commit']],
      ['dora_deployments_own', ['service', 'lead_own']],
    ] as const)
      await db.schema
        .createIndex(name)
        .on('dora_deployments')
        .columns([...columns])
        .execute();
    // The deployments that failed on their own, few: a report reads them without the others.
    await db.schema
      .createIndex('dora_deployments_failed')
      .on('dora_deployments')
      .columns(['service', 'environment', 'start_at'])
      .where(sql.ref('first_failure'), 'is not', null)
      .execute();
    await db.schema
      .createTable('dora_deployment_commits')
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('commit_sha', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('dora_deployment_commits_pk', [
        'service',
        'commit_sha',
        'environment',
        'deployment',
      ])
      .execute();
    await db.schema
      .createIndex('dora_deployment_commits_deployment')
      .on('dora_deployment_commits')
      .columns(['service', 'environment', 'deployment'])
      .execute();
    await db.schema
      .createTable('dora_gate_passes')
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('checklist', 'text', (c) => c.notNull())
      .addColumn('start_at', time, (c) => c.notNull())
      .addColumn('deployment', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('dora_gate_passes_pk', [
        'service',
        'environment',
        'checklist',
        'start_at',
        'deployment',
      ])
      .execute();
    await db.schema
      .createIndex('dora_gate_passes_deployment')
      .on('dora_gate_passes')
      .columns(['service', 'environment', 'deployment'])
      .execute();
    await capabilities
      .clusterByPrimaryKey(
        db.schema
          .createTable('dora_checklists')
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('checklist', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('dora_checklists_pk', ['service', 'checklist']),
      )
      .execute();
    await db.schema
      .createTable('dora_policy_failures')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('checklist', 'text', (c) => c.notNull())
      .addColumn('commit_sha', 'text', (c) => c.notNull())
      .addColumn('failed_at', time, (c) => c.notNull())
      .addColumn('failing', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('dora_policy_failures_pk', ['source', 'id'])
      .execute();
    await db.schema
      .createIndex('dora_policy_failures_time')
      .on('dora_policy_failures')
      .columns(['service', 'failed_at'])
      .execute();
    await db.schema
      .createTable('dora_stage_spans')
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('commit_sha', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('from_stage', 'integer', (c) => c.notNull())
      .addColumn('to_stage', 'integer', (c) => c.notNull())
      .addColumn('end_at', time, (c) => c.notNull())
      .addColumn('span_ms', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('dora_stage_spans_pk', [
        'service',
        'commit_sha',
        'environment',
        'from_stage',
        'to_stage',
      ])
      .execute();
    await db.schema
      .createIndex('dora_stage_spans_window')
      .on('dora_stage_spans')
      .columns(['service', 'environment', 'from_stage', 'to_stage', 'end_at', 'span_ms'])
      .execute();
    // Per UTC day, what a report sums: the day's deployments and their sorted lead times, and
    // each pair of stages' sorted spans (float64, little-endian), so a window reads a row a day.
    await capabilities
      .clusterByPrimaryKey(
        db.schema
          .createTable('dora_daily_deployments')
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('environment', 'text', (c) => c.notNull())
          .addColumn('day', time, (c) => c.notNull())
          .addColumn('deployments', 'integer', (c) => c.notNull())
          .addColumn('rework', 'integer', (c) => c.notNull())
          .addColumn('rollbacks_triggered', 'integer', (c) => c.notNull())
          .addColumn('rollbacks_ok', 'integer', (c) => c.notNull())
          .addColumn('policy_passed', 'integer', (c) => c.notNull())
          .addColumn('passes', 'text', (c) => c.notNull())
          .addColumn('leads', capabilities.bytesColumnType, (c) => c.notNull())
          .addPrimaryKeyConstraint('dora_daily_deployments_pk', ['service', 'environment', 'day']),
      )
      .execute();
    await capabilities
      .clusterByPrimaryKey(
        db.schema
          .createTable('dora_daily_spans')
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('environment', 'text', (c) => c.notNull())
          .addColumn('from_stage', 'integer', (c) => c.notNull())
          .addColumn('to_stage', 'integer', (c) => c.notNull())
          .addColumn('day', time, (c) => c.notNull())
          .addColumn('spans', capabilities.bytesColumnType, (c) => c.notNull())
          .addPrimaryKeyConstraint('dora_daily_spans_pk', [
            'service',
            'environment',
            'from_stage',
            'to_stage',
            'day',
          ]),
      )
      .execute();
    await db.schema
      .createTable('candor_projection_state')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('ready', 'integer', (c) => c.notNull())
      .execute();
    // An empty ledger has nothing to project; one with events waits for `candor db rebuild`.
    await sql`insert into candor_projection_state (name, ready) select 'dora', case when exists (select 1 from delivery_events) then 0 else 1 end`.execute(
      db,
    );
  },
};
