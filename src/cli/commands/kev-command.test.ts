import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../testing/run-cli-in-process.ts';

const catalog = {
  title: 'CISA Catalog of Known Exploited Vulnerabilities',
  catalogVersion: '2026.11.30',
  dateReleased: '2026-11-30T16:02:11.3481Z',
  count: 1,
  vulnerabilities: [
    {
      cveID: 'CVE-2023-5363',
      vendorProject: 'OpenSSL',
      product: 'OpenSSL',
      vulnerabilityName: 'a test entry',
      dateAdded: '2026-11-30',
      shortDescription: 'a test entry',
      requiredAction: 'Apply updates per vendor instructions.',
      dueDate: '2026-12-21',
      knownRansomwareCampaignUse: 'Unknown',
      notes: '',
      cwes: [],
    },
  ],
};
const trivy = JSON.stringify({
  SchemaVersion: 2,
  Results: [
    {
      Target: 'x',
      Vulnerabilities: [
        { VulnerabilityID: 'CVE-2023-5363', PkgName: 'libcrypto3', Severity: 'LOW' },
      ],
    },
  ],
});

describe('candor kev update', () => {
  it('writes .candor/kev.json, which the vulnerabilities gate then names by its date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-kev-'));
    writeFileSync(join(dir, 'kev.json'), `\uFEFF${JSON.stringify(catalog, null, 2)}`);
    const result = await runCliInProcess(['kev', 'update', '--from', 'kev.json'], { cwd: dir });
    expect(result).toMatchObject({
      code: 0,
      stdout: '.candor/kev.json: KEV catalog 2026.11.30, 1 vulnerabilities\n',
    });
    expect(JSON.parse(readFileSync(join(dir, '.candor/kev.json'), 'utf8'))).toMatchObject({
      catalogVersion: '2026.11.30',
      count: 1,
    });
  });

  it.each([
    [
      'a truncated file',
      '{"title": "x", "catalogVersion": "1",\n "count": ',
      /^kev\.json:2:\d+: invalid JSON/,
    ],
    [
      'a count that does not match',
      JSON.stringify({ ...catalog, count: 1404 }),
      /^kev\.json: count: count does not match/,
    ],
    [
      'an entry that is no CVE',
      JSON.stringify({
        ...catalog,
        vulnerabilities: [{ ...catalog.vulnerabilities[0], cveID: 'GHSA-1' }],
      }),
      /^kev\.json: vulnerabilities\[0\]\.cveID: expected a CVE ID/,
    ],
  ])('refuses %s with exit 1 and keeps the previous catalog', async (_name, text, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-kev-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify(catalog));
    await runCliInProcess(['kev', 'update', '--from', 'good.json'], { cwd: dir });
    writeFileSync(join(dir, 'kev.json'), text);
    const result = await runCliInProcess(['kev', 'update', '--from', 'kev.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.replace(/^✗ /, '')).toMatch(message);
    expect(JSON.parse(readFileSync(join(dir, '.candor/kev.json'), 'utf8')).catalogVersion).toBe(
      '2026.11.30',
    );
  });

  it('prints JSON with --json, and fails on a file that does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-kev-'));
    writeFileSync(join(dir, 'kev.json'), JSON.stringify(catalog));
    writeFileSync(join(dir, 'trivy.json'), trivy);
    const result = await runCliInProcess(['kev', 'update', '--from', 'kev.json', '--json'], {
      cwd: dir,
    });
    expect(JSON.parse(result.stdout)).toEqual({
      updated: true,
      path: '.candor/kev.json',
      catalogVersion: '2026.11.30',
      dateReleased: '2026-11-30T16:02:11.3481Z',
      count: 1,
    });
    const missing = await runCliInProcess(['kev', 'update', '--from', 'nowhere.json'], {
      cwd: dir,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nowhere.json');
  });
});
