import { describe, expect, it } from 'vitest';
import { KevCatalog } from '../../core/evidence/kev-catalog.ts';
import type { Vulnerability } from '../../core/evidence/vulnerability.ts';
import sample from './kev-sample.json' with { type: 'json' };
import { assessVulnerabilities } from './assess-vulnerabilities.ts';

const catalog = KevCatalog.parse(sample);
const today = '2026-12-02';
const vuln = (
  id: string,
  severity: Vulnerability['severity'],
  over: Partial<Vulnerability> = {},
): Vulnerability => ({
  id,
  aliases: [],
  severity,
  packageName: 'pkg',
  installedVersion: '1.0.0',
  ...over,
});

describe('assessVulnerabilities', () => {
  it('fails on the listed severities only', () => {
    const result = assessVulnerabilities(
      [vuln('CVE-2024-1', 'critical'), vuln('CVE-2024-2', 'high'), vuln('CVE-2024-3', 'medium')],
      { failOn: ['critical'], warnOn: ['high'], kev: false },
      undefined,
      today,
    );
    expect(result.failing.map((f) => f.vulnerability.id)).toEqual(['CVE-2024-1']);
    expect(result.warning.map((f) => f.vulnerability.id)).toEqual(['CVE-2024-2']);
    expect(result.total).toBe(3);
  });

  it('fails a known-exploited vulnerability of low severity with kev, by its ID or an alias', () => {
    const result = assessVulnerabilities(
      [
        vuln('CVE-2014-0160', 'medium'),
        vuln('GHSA-jfh8-c2jp-5v3q', 'low', { aliases: ['CVE-2021-44228'] }),
        vuln('cve-2023-44487', 'low'),
        vuln('CVE-2024-9999', 'low'),
      ],
      { failOn: ['critical', 'high'], kev: true },
      catalog,
      today,
    );
    expect(result.failing.map((f) => [f.vulnerability.id, f.because, f.isKnownExploited])).toEqual([
      ['CVE-2014-0160', 'kev', true],
      ['GHSA-jfh8-c2jp-5v3q', 'kev', true],
      ['cve-2023-44487', 'kev', true],
    ]);
  });

  it('reports IDs it cannot join, and trusts the scanner’s own known-exploited flag', () => {
    const result = assessVulnerabilities(
      [
        vuln('GHSA-c2qf-rxjj-qqgw', 'medium'),
        vuln('GO-2024-2687', 'low', { isKnownExploited: true }),
      ],
      { failOn: ['critical'], kev: true },
      catalog,
      today,
    );
    expect(result.unjoinable).toEqual(['GHSA-c2qf-rxjj-qqgw']);
    expect(result.failing.map((f) => f.vulnerability.id)).toEqual(['GO-2024-2687']);
  });

  it('does not look anything up without kev', () => {
    const result = assessVulnerabilities(
      [vuln('CVE-2014-0160', 'medium'), vuln('GHSA-x', 'low')],
      { failOn: ['critical'], kev: false },
      catalog,
      today,
    );
    expect(result.failing).toEqual([]);
    expect(result.unjoinable).toEqual([]);
  });

  it('accepts an allow-list entry until its expiry day, then reports it expired', () => {
    const allow = [
      { id: 'CVE-2024-1', reason: 'not reachable: the parser is unused', expires: '2026-12-02' },
    ];
    const policy = { failOn: ['critical'] as const, kev: false, allow };
    const now = assessVulnerabilities([vuln('CVE-2024-1', 'critical')], policy, undefined, today);
    expect(now.failing).toEqual([]);
    expect(now.allowed.map((a) => a.entry.reason)).toEqual(['not reachable: the parser is unused']);
    const later = assessVulnerabilities(
      [vuln('CVE-2024-1', 'critical')],
      policy,
      undefined,
      '2026-12-03',
    );
    expect(later.failing).toHaveLength(1);
    expect(later.expired).toEqual(allow);
  });

  it('matches an allow-list entry by alias and by package when it names one', () => {
    const allow = [
      {
        id: 'CVE-2021-44228',
        reason: 'patched build',
        expires: '2027-01-01',
        package: 'log4j-core',
      },
    ];
    const result = assessVulnerabilities(
      [
        vuln('GHSA-jfh8-c2jp-5v3q', 'critical', {
          aliases: ['CVE-2021-44228'],
          packageName: 'log4j-core',
        }),
        vuln('CVE-2021-44228', 'critical', { packageName: 'log4j-api' }),
      ],
      { failOn: ['critical'], kev: false, allow },
      undefined,
      today,
    );
    expect(result.allowed).toHaveLength(1);
    expect(result.failing.map((f) => f.vulnerability.packageName)).toEqual(['log4j-api']);
  });

  it('counts one vulnerability of one package, version and target once', () => {
    const result = assessVulnerabilities(
      [
        vuln('CVE-2024-1', 'critical'),
        vuln('CVE-2024-1', 'critical'),
        vuln('CVE-2024-1', 'critical', { target: 'other' }),
      ],
      { failOn: ['critical'], kev: false },
      undefined,
      today,
    );
    expect(result.total).toBe(2);
    expect(result.failing).toHaveLength(2);
  });
});

describe('the bundled KEV sample', () => {
  it('is a valid catalog that says it is a sample', () => {
    expect(catalog.count).toBe(7);
    expect(catalog.catalogVersion).toMatch(/sample/);
    expect(catalog.title).toMatch(/SAMPLE/);
  });

  it('refuses a truncated catalog', () => {
    expect(KevCatalog.safeParse({ ...sample, count: 1404 }).success).toBe(false);
  });
});
