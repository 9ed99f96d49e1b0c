import type { Kysely } from 'kysely';
import type { StoreMigration } from './store-migration.ts';

/**
 * The delivery projections (docs/adr/0018): per deployment its folded facts and what it adds to
 * `/metrics`; commit times; incidents and the deployment each links to; incident resolutions;
 * and the lifetime totals per service and environment that `/metrics` reads. All derived from
 * `delivery_events`, kept at ingest, rebuilt by `candor db rebuild`.
 */
export const deliveryProjectionsMigration: StoreMigration = {
  async up(db: Kysely<unknown>, capabilities) {
    const time = 'double precision';
    await capabilities
      .clusterByPrimaryKey(
        db.schema
          .createTable('delivery_deployments')
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('environment', 'text', (c) => c.notNull())
          .addColumn('deployment', 'text', (c) => c.notNull())
          .addColumn('start_at', time)
          .addColumn('started_at', time)
          .addColumn('finished_at', time)
          .addColumn('finish_result', 'text')
          .addColumn('deployed_at', time)
          .addColumn('failed_at', time)
          .addColumn('rollbacks_triggered', 'integer', (c) => c.notNull())
          .addColumn('rollbacks_ok', 'text', (c) => c.notNull())
          .addColumn('rollbacks_failed', 'integer', (c) => c.notNull())
          .addColumn('commit_sha', 'text')
          .addColumn('commits', 'text')
          .addColumn('commit_from', time)
          .addColumn('measured_result', 'text')
          .addColumn('measured_failed', 'integer', (c) => c.notNull())
          .addColumn('measured_lead_seconds', time)
          .addColumn('measured_recovery_seconds', time)
          .addPrimaryKeyConstraint('delivery_deployments_pk', [
            'service',
            'environment',
            'deployment',
          ]),
      )
      .execute();
    await db.schema
      .createIndex('delivery_deployments_start')
      .on('delivery_deployments')
      .columns(['service', 'environment', 'start_at'])
      .execute();
    await capabilities
      .clusterByPrimaryKey(
        db.schema
          .createTable('delivery_deployment_commits')
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('commit_sha', 'text', (c) => c.notNull())
          .addColumn('environment', 'text', (c) => c.notNull())
          .addColumn('deployment', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('delivery_deployment_commits_pk', [
            'service',
            'commit_sha',
            'environment',
            'deployment',
          ]),
      )
      .execute();
    await capabilities
      .clusterByPrimaryKey(
        db.schema
          .createTable('delivery_commits')
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('commit_sha', 'text', (c) => c.notNull())
          .addColumn('committed_at', time, (c) => c.notNull())
          .addPrimaryKeyConstraint('delivery_commits_pk', ['service', 'commit_sha']),
      )
      .execute();
    await db.schema
      .createTable('delivery_incidents')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('opened_at', time, (c) => c.notNull())
      .addColumn('incident', 'text')
      .addColumn('deployment', 'text')
      .addColumn('commit_sha', 'text')
      .addColumn('target', 'text')
      .addColumn('link', 'text')
      .addPrimaryKeyConstraint('delivery_incidents_pk', ['source', 'id'])
      .execute();
    for (const [name, columns] of [
      ['delivery_incidents_opened', ['service', 'opened_at']],
      ['delivery_incidents_target', ['service', 'target']],
      ['delivery_incidents_incident', ['service', 'incident']],
      ['delivery_incidents_deployment', ['service', 'deployment']],
      ['delivery_incidents_commit', ['service', 'commit_sha']],
    ] as const)
      await db.schema
        .createIndex(name)
        .on('delivery_incidents')
        .columns([...columns])
        .execute();
    await capabilities
      .clusterByPrimaryKey(
        db.schema
          .createTable('delivery_incident_resolutions')
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('incident', 'text', (c) => c.notNull())
          .addColumn('resolved_at', time, (c) => c.notNull())
          .addPrimaryKeyConstraint('delivery_incident_resolutions_pk', ['service', 'incident']),
      )
      .execute();
    await capabilities
      .clusterByPrimaryKey(
        db.schema
          .createTable('delivery_totals')
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('environment', 'text', (c) => c.notNull())
          .addColumn('metric', 'text', (c) => c.notNull())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('value', time, (c) => c.notNull())
          .addPrimaryKeyConstraint('delivery_totals_pk', [
            'service',
            'environment',
            'metric',
            'label',
          ]),
      )
      .execute();
  },
};
