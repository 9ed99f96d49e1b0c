import { hash } from 'node:crypto';

/** The stored id of a test identity: derived from (repo, key), so ingest never looks it up. */
export function testId(repo: string, key: string): string {
  return hash('sha256', `${repo}\0${key}`, 'hex').slice(0, 32);
}
