import { toIsoDate } from '../../core/lib/time.ts';

/** The seed's four checklists, in the order the demo runs them. */
export const demoChecklists = ['change', 'release', 'incident', 'quarter'] as const;

/** The `candor.yml` of the demo: the seed's four checklists over the files of `demoGateFiles`. */
export const demoCandorYml = `version: 1
gates:
  change:
    - tests: { files: "verdict/*.xml", quarantine: .candor/quarantine.yml }
    - coverage: { files: coverage/lcov.info, module: "src/payments/**", min: 90 }
    - findings: { files: "reports/semgrep.sarif", baseline: reports/baseline.sarif, maxNew: 0, level: error }
    - vulnerabilities: { files: trivy.json, failOn: [critical, high], kev: true }
  release:
    - sbom: { files: sbom.cdx.json, deny: [GPL-3.0-only, AGPL-3.0-only] }
    - secrets: { catalog: .candor/secrets.yml, warnDays: 14 }
    - drill: { maxAgeDays: 30 }
  incident:
    - events: { check: incident }
  quarter:
    - events: { check: quarter, days: 90 }
`;

const sarifTool = {
  driver: {
    name: 'Semgrep',
    rules: [
      { id: 'sql-injection', defaultConfiguration: { level: 'error' } },
      { id: 'hardcoded-timeout', defaultConfiguration: { level: 'note' } },
    ],
  },
};

const sarifResult = (rule: string, file: string, line: number, snippet: string) => ({
  ruleId: rule,
  message: { text: `${rule}: ${snippet}` },
  locations: [
    {
      physicalLocation: {
        artifactLocation: { uri: file },
        region: { startLine: line, snippet: { text: snippet } },
      },
    },
  ],
});

const sarif = (results: unknown[]) =>
  JSON.stringify({ version: '2.1.0', runs: [{ tool: sarifTool, results }] }, null, 2);

/** 19 of the 20 lines of the payments module covered (95%), the cart at 60%. */
function lcov(): string {
  const file = (path: string, lines: number, covered: number) =>
    [
      `SF:${path}`,
      ...Array.from({ length: lines }, (_, i) => `DA:${i + 1},${i < covered ? 3 : 0}`),
      'end_of_record',
    ].join('\n');
  return `${[file('src/payments/charge.ts', 20, 19), file('src/cart/totals.ts', 10, 6)].join('\n')}\n`;
}

/**
 * The evidence files the demo's checklists read, as a scanner, a coverage tool and a person
 * would leave them, with one realistic catch: the current SARIF has a new SQL injection the
 * baseline does not (the `change` checklist blocks), and the GitHub App token of the secrets
 * catalog expires in 10 days (the `release` checklist warns). Dates are relative to `now`.
 */
export function demoGateFiles(now: Date): Record<string, string> {
  const day = (offset: number) => toIsoDate(new Date(now.getTime() + offset * 86_400_000));
  const known = sarifResult('hardcoded-timeout', 'src/cart/totals.ts', 4, 'setTimeout(f, 5000)');
  return {
    'candor.yml': demoCandorYml,
    'coverage/lcov.info': lcov(),
    'reports/baseline.sarif': sarif([known]),
    'reports/semgrep.sarif': sarif([
      known,
      sarifResult(
        'sql-injection',
        'src/payments/refund.ts',
        31,
        'db.query(`select * from refunds where id = ${id}`)',
      ),
    ]),
    'trivy.json': JSON.stringify({
      SchemaVersion: 2,
      ArtifactName: 'shop:latest',
      Results: [
        {
          Target: 'package-lock.json',
          Vulnerabilities: [
            { VulnerabilityID: 'CVE-2024-4068', PkgName: 'braces', Severity: 'MEDIUM' },
          ],
        },
      ],
    }),
    'sbom.cdx.json': JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      components: [
        { type: 'library', name: 'express', licenses: [{ license: { id: 'MIT' } }] },
        { type: 'library', name: 'pg', licenses: [{ license: { id: 'MIT' } }] },
        { type: 'library', name: 'zod', licenses: [{ expression: 'GPL-3.0-only OR MIT' }] },
        { type: 'library', name: 'tslib', licenses: [{ license: { id: '0BSD' } }] },
      ],
    }),
    '.candor/secrets.yml': `version: 1
secrets:
  - { name: github-app-token, owner: "@platform", expires: ${day(10)}, rotated: ${day(-80)}, usedBy: [deploy] }
  - { name: stripe-api-key, owner: "@payments", expires: ${day(200)}, rotated: ${day(-20)}, usedBy: [checkout] }
`,
  };
}

/**
 * Ledger events the checklists read: a rollback drill in staging 12 days ago, and the incident
 * of the rolled-back deployment (`deploy-5`), opened 10 minutes after it started, resolved when
 * the rollback finished. `deployStartedAt` is that deployment's start.
 */
export function demoGateEvents(options: {
  now: Date;
  deployment: string;
  commit: string;
  deployStartedAt: string;
  recoveredAt: string;
}): Record<string, unknown>[] {
  const opened = new Date(Date.parse(options.deployStartedAt) + 10 * 60_000).toISOString();
  return [
    {
      type: 'rollback_drill',
      id: 'drill-1',
      source: 'demo',
      service: 'shop',
      environment: 'staging',
      occurredAt: new Date(options.now.getTime() - 12 * 86_400_000).toISOString(),
      result: 'success',
      attributes: { action: 'exec', durationMs: 94_000 },
    },
    {
      type: 'incident_opened',
      id: 'inc-1-opened',
      source: 'demo',
      service: 'shop',
      environment: 'production',
      incident: 'INC-7',
      deployment: options.deployment,
      commit: options.commit,
      occurredAt: opened,
    },
    {
      type: 'incident_resolved',
      id: 'inc-1-resolved',
      source: 'demo',
      service: 'shop',
      environment: 'production',
      incident: 'INC-7',
      occurredAt: options.recoveredAt,
    },
  ];
}
