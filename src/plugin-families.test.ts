import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ciEnvironmentConformanceCases } from './ci/ci-environment-conformance.ts';
import { rendererConformanceCases } from './cli/render/renderer-conformance.ts';
import { renderers } from './cli/render/renderers.ts';
import { ciEnvironments } from './ci/ci-environments.ts';
import { quarantineExporterConformanceCases } from './exporters/quarantine-exporter-conformance.ts';
import { quarantineExporters } from './exporters/quarantine-exporters.ts';
import { rollbackActionConformanceCases } from './actions/rollback-action-conformance.ts';
import { rollbackActions } from './actions/rollback-actions.ts';
import { evidenceReaderConformanceCases } from './readers/evidence/evidence-reader-conformance.ts';
import { evidenceReaders } from './readers/evidence/evidence-readers.ts';
import { eventReaderConformanceCases } from './readers/events/event-reader-conformance.ts';
import { eventReaders } from './readers/events/event-readers.ts';
import { readerConformanceCases } from './readers/test-results/reader-conformance.ts';
import { testResultReaders } from './readers/test-results/test-result-readers.ts';
import { dialectConformanceTests } from './store/dialects/dialect-conformance.ts';
import { dialects } from './store/dialects/dialects.ts';
import { webhookReceiverConformanceCases } from './readers/webhooks/webhook-receiver-conformance.ts';
import { webhookReceivers } from './readers/webhooks/webhook-receivers.ts';

import { metricSourceConformanceCases } from './sources/metric-source-conformance.ts';
import { metricSources } from './sources/metric-sources.ts';

import { gateConditionConformanceCases } from './gates/gate-condition-conformance.ts';
import { gateConditions } from './gates/gate-conditions.ts';
import { coverageReaderConformanceCases } from './readers/coverage/coverage-reader-conformance.ts';
import { coverageReaders } from './readers/coverage/coverage-readers.ts';

/**
 * The plugin-family template (docs/adr/0011-plugin-families.md), checked by walking the folders:
 * one folder per registration and a registration per folder, ids equal to keys, and in each
 * folder the implementation (`<id>-<role>.ts`, exporting the registered object), its readme and
 * its test, which runs the family's conformance suite; a case the test names (to skip it) is in
 * the readme too. A new family adds one row here.
 */
const families: {
  folder: string;
  registry: Record<string, { id: string; description: string }>;
  role: string;
  suite: string;
  cases: readonly string[];
}[] = [
  {
    folder: 'readers/test-results',
    registry: testResultReaders,
    role: 'reader',
    suite: 'runReaderConformance',
    cases: readerConformanceCases,
  },
  {
    folder: 'readers/events',
    registry: eventReaders,
    role: 'event-reader',
    suite: 'runEventReaderConformance',
    cases: eventReaderConformanceCases,
  },
  {
    folder: 'ci',
    registry: ciEnvironments,
    role: 'environment',
    suite: 'runCiEnvironmentConformance',
    cases: ciEnvironmentConformanceCases,
  },
  {
    folder: 'cli/render',
    registry: renderers,
    role: 'renderer',
    suite: 'runRendererConformance',
    cases: rendererConformanceCases,
  },
  {
    folder: 'store/dialects',
    registry: dialects,
    role: 'dialect',
    suite: 'runDialectConformance',
    cases: dialectConformanceTests,
  },
  {
    folder: 'exporters',
    registry: quarantineExporters,
    role: 'exporter',
    suite: 'runQuarantineExporterConformance',
    cases: quarantineExporterConformanceCases,
  },
  {
    folder: 'readers/webhooks',
    registry: webhookReceivers,
    role: 'receiver',
    suite: 'runWebhookReceiverConformance',
    cases: webhookReceiverConformanceCases,
  },
  {
    folder: 'sources',
    registry: metricSources,
    role: 'source',
    suite: 'runMetricSourceConformance',
    cases: metricSourceConformanceCases,
  },
  {
    folder: 'readers/evidence',
    registry: evidenceReaders,
    role: 'reader',
    suite: 'runEvidenceReaderConformance',
    cases: evidenceReaderConformanceCases,
  },
  {
    folder: 'gates',
    registry: gateConditions,
    role: 'condition',
    suite: 'runGateConditionConformance',
    cases: gateConditionConformanceCases,
  },
  {
    folder: 'readers/coverage',
    registry: coverageReaders,
    role: 'reader',
    suite: 'runCoverageReaderConformance',
    cases: coverageReaderConformanceCases,
  },
  {
    folder: 'actions',
    registry: rollbackActions,
    role: 'action',
    suite: 'runRollbackActionConformance',
    cases: rollbackActionConformanceCases,
  },
];

const src = resolve(import.meta.dirname);

/** The implementation folders of a family: every subfolder but fixtures. */
function implementationFolders(family: string): string[] {
  return readdirSync(join(src, family), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== '__fixtures__')
    .map((entry) => entry.name)
    .sort();
}

describe.each(families)('the plugin family $folder', (family) => {
  const ids = Object.keys(family.registry);
  const at = (id: string, suffix: string) =>
    join(src, family.folder, id, `${id}-${family.role}${suffix}`);

  it('has a folder for every registration and a registration for every folder', () => {
    expect(implementationFolders(family.folder)).toEqual([...ids].sort());
  });

  it.each(ids)('registers %s under its own id, with a one-line description', (id) => {
    const implementation = family.registry[id];
    expect(implementation?.id).toBe(id);
    expect(implementation?.description).toMatch(/^[^\n]+$/);
  });

  it.each(ids)('keeps %s in its folder, with a readme and a test', async (id) => {
    const folder = join(src, family.folder, id);
    expect(existsSync(join(folder, 'readme.md')), `${folder}/readme.md`).toBe(true);
    expect(existsSync(at(id, '.test.ts')), at(id, '.test.ts')).toBe(true);
    const module = (await import(at(id, '.ts'))) as Record<string, unknown>;
    expect(Object.values(module)).toContain(family.registry[id]);
  });

  it.each(ids)('runs the conformance suite on %s, its readme naming each case it skips', (id) => {
    const test = readFileSync(at(id, '.test.ts'), 'utf8');
    expect(test).toMatch(new RegExp(`\\b${family.suite}[(<]`));
    const readme = readFileSync(join(src, family.folder, id, 'readme.md'), 'utf8');
    const named = family.cases.filter((name) => test.includes(`'${name}'`));
    expect(named.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
