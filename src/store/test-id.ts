import { createHash } from 'node:crypto';

/** The stored id of a test identity: derived from (repo, key), so ingest never looks it up. */
export function testId(repo: string, key: string): string {
  return createHash('sha256').update(repo).update('\0').update(key).digest('hex').slice(0, 32);
}
