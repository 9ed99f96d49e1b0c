import type { QuarantineEntry, QuarantineStatus } from '../../core/quarantine/quarantine.ts';
import type { Document } from '../render/renderer.ts';

/** `candor quarantine list`: one row per entry with its status today. */
export function describeQuarantineList(
  file: string,
  tests: readonly (QuarantineEntry & { status: QuarantineStatus })[],
): Document {
  if (tests.length === 0)
    return { blocks: [{ kind: 'paragraph', text: `no tests are quarantined in ${file}` }] };
  return {
    blocks: [
      {
        kind: 'table',
        columns: [
          { header: 'key' },
          { header: 'mode' },
          { header: 'owner' },
          { header: 'expires' },
          { header: 'status' },
          { header: 'reason' },
        ],
        rows: tests.map((t) => [t.key, t.mode, t.owner, t.expires, t.status, t.reason]),
      },
    ],
  };
}

/** `candor quarantine check`: a warning per entry about to expire, an error per expired one. */
export function describeQuarantineCheck(
  file: string,
  check: {
    entries: number;
    expiring: readonly QuarantineEntry[];
    expired: readonly QuarantineEntry[];
  },
): Document {
  return {
    blocks: [
      {
        kind: 'list',
        items: [
          ...check.expiring.map(
            (e) => `warning: ${e.key} expires on ${e.expires} (owner ${e.owner})`,
          ),
          ...check.expired.map(
            (e) =>
              `error: ${e.key} expired on ${e.expires} (owner ${e.owner}): fix the test or renew the entry with a new review`,
          ),
        ],
      },
      {
        kind: 'paragraph',
        text: `${file}: ${check.entries} entries, ${check.expiring.length} expiring, ${check.expired.length} expired`,
      },
    ],
  };
}
