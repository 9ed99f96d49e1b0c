import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runEvidenceCondition, scratchRepository } from '../../testing/evidence-gate.ts';
import { vulnerabilitiesCondition } from './vulnerabilities-condition.ts';
import { runGateConditionConformance } from '../gate-condition-conformance.ts';
import { evidenceContext, scratchRepositorySync } from '../../testing/evidence-gate.ts';

const fixture = (path: string) =>
  readFileSync(new URL(`../../readers/evidence/${path}`, import.meta.url));
const trivy = fixture('trivy/__fixtures__/alpine-image.json');
const grype = fixture('grype/__fixtures__/directory-scan.json');
const clean = JSON.stringify({
  SchemaVersion: 2,
  ArtifactName: '.',
  Results: [
    {
      Target: 'package-lock.json',
      Vulnerabilities: [{ VulnerabilityID: 'CVE-2024-7', PkgName: 'a', Severity: 'MEDIUM' }],
    },
  ],
});

runGateConditionConformance({
  condition: vulnerabilitiesCondition,
  samples: {
    pass: {
      options: { files: 'trivy.json' },
      context: evidenceContext(scratchRepositorySync({ 'trivy.json': clean })),
      result: 'pass',
    },
    fail: {
      options: { files: 'trivy.json', kev: true },
      context: evidenceContext(scratchRepositorySync({ 'trivy.json': trivy })),
      result: 'fail',
    },
    warn: {
      options: { files: 'trivy.json', warnOn: ['medium'] },
      context: evidenceContext(scratchRepositorySync({ 'trivy.json': clean })),
      result: 'warn',
    },
  },
});

describe('vulnerabilitiesCondition', () => {
  it('fails on critical and high findings of a Trivy report, naming them', async () => {
    const root = await scratchRepository({ 'trivy.json': trivy });
    expect(
      await runEvidenceCondition(
        vulnerabilitiesCondition,
        { files: 'trivy.json', failOn: ['critical', 'high'] },
        root,
      ),
    ).toMatchObject({
      result: 'fail',
      value: 2,
      threshold: '0 critical/high',
      message:
        '2 vulnerabilities of 5 fail (critical/high): CVE-2023-5363 in libcrypto3 3.1.3-r0 (high) and CVE-2021-44228 in org.apache.logging.log4j:log4j-core 2.14.1 (critical)',
    });
  });

  it('with kev, fails a known-exploited medium one, names the catalog date and the IDs it cannot join', async () => {
    const root = await scratchRepository({ 'trivy.json': trivy });
    const verdict = await runEvidenceCondition(
      vulnerabilitiesCondition,
      { files: 'trivy.json', failOn: ['critical'], kev: true },
      root,
    );
    expect(verdict).toMatchObject({
      result: 'fail',
      value: 2,
      threshold: '0 critical or known exploited',
    });
    const message = (verdict as { message: string }).message;
    expect(message).toContain('CVE-2014-0160 in libssl3 3.1.3-r0 (medium, known exploited)');
    expect(message).toContain('KEV catalog 2025.08.25-sample (the bundled sample)');
    expect(message).toContain('1 ID without a CVE cannot be looked up in KEV: GHSA-c2qf-rxjj-qqgw');
  });

  it('uses the catalog `candor kev update` wrote to .candor/kev.json', async () => {
    const catalog = {
      title: 'CISA Catalog of Known Exploited Vulnerabilities',
      catalogVersion: '2026.11.30',
      dateReleased: '2026-11-30T16:00:00Z',
      count: 0,
      vulnerabilities: [],
    };
    const root = await scratchRepository({
      'trivy.json': trivy,
      '.candor/kev.json': JSON.stringify(catalog),
    });
    const verdict = await runEvidenceCondition(
      vulnerabilitiesCondition,
      { files: 'trivy.json', failOn: [], kev: true },
      root,
    );
    expect(verdict).toMatchObject({
      result: 'pass',
      message: expect.stringContaining('KEV catalog 2026.11.30 (.candor/kev.json)'),
    });
  });

  it('refuses a broken catalog with its path', async () => {
    const root = await scratchRepository({
      'trivy.json': trivy,
      '.candor/kev.json':
        '{"title": "x", "catalogVersion": "1", "dateReleased": "x", "count": 2, "vulnerabilities": []}',
    });
    expect(
      await runEvidenceCondition(
        vulnerabilitiesCondition,
        { files: 'trivy.json', kev: true },
        root,
      ),
    ).toMatchObject({
      kind: 'invalid',
      problems: [
        {
          file: '.candor/kev.json',
          message: expect.stringMatching(/^count: count does not match/),
        },
      ],
    });
  });

  it('passes with an allow-list entry that has not expired, and fails again after it', async () => {
    const root = await scratchRepository({ 'grype.json': grype });
    const options = {
      files: 'grype.json',
      failOn: ['critical'],
      allow: [
        {
          id: 'CVE-2021-44228',
          reason: 'the JNDI lookup class is removed from the jar',
          expires: new Date('2026-12-31'),
        },
      ],
    };
    expect(await runEvidenceCondition(vulnerabilitiesCondition, options, root)).toMatchObject({
      result: 'pass',
      message: expect.stringContaining(
        '1 allowed: GHSA-jfh8-c2jp-5v3q until 2026-12-31 (the JNDI lookup class is removed from the jar)',
      ),
    });
    expect(
      await runEvidenceCondition(
        vulnerabilitiesCondition,
        options,
        root,
        new Date('2027-01-01T08:00:00Z'),
      ),
    ).toMatchObject({
      result: 'fail',
      message: expect.stringContaining('1 allow-list entry expired: CVE-2021-44228 on 2026-12-31'),
    });
  });

  it('warns on warnOn severities', async () => {
    const root = await scratchRepository({ 'trivy.json': clean });
    expect(
      await runEvidenceCondition(
        vulnerabilitiesCondition,
        { files: 'trivy.json', warnOn: ['medium'] },
        root,
      ),
    ).toMatchObject({
      result: 'warn',
      message: '1 vulnerability to look at (medium): CVE-2024-7 in a (medium)',
    });
  });

  it('passes a report of Trivy and one of Grype together when nothing fails', async () => {
    const root = await scratchRepository({
      'scans/a.json': clean,
      'scans/b.json': '{"matches": []}',
    });
    expect(
      await runEvidenceCondition(vulnerabilitiesCondition, { files: 'scans/*.json' }, root),
    ).toMatchObject({
      result: 'pass',
      message: 'no vulnerability of critical/high among 1 vulnerability',
    });
  });

  it('has no evidence without the report', async () => {
    const root = await scratchRepository({});
    expect(
      await runEvidenceCondition(vulnerabilitiesCondition, { files: 'trivy.json' }, root),
    ).toMatchObject({
      kind: 'missing',
      expected: 'a Trivy or Grype JSON report at trivy.json',
    });
  });

  it('refuses an allow-list entry without a reason or with a bad date', () => {
    const parse = (entry: unknown) =>
      vulnerabilitiesCondition.options.safeParse({ files: 'x', allow: [entry] }).success;
    expect(parse({ id: 'CVE-1', expires: '2027-01-01' })).toBe(false);
    expect(parse({ id: 'CVE-1', reason: 'ok', expires: 'soon' })).toBe(false);
    expect(parse({ id: 'CVE-1', reason: 'ok', expires: '2027-01-01' })).toBe(true);
  });
});
