/** `tests`: one test identity per (repo, key). */
export type TestTable = {
  /** `testId(repo, key)`: 32 hex digits, the first 12 from its place (docs/adr/0046): computed, so ingest needs no lookup. */
  id: string;
  repo: string;
  key: string;
  name: string;
  classname: string | null;
  file: string | null;
  line: number | null;
  suite: string | null;
  variant: string | null;
  first_seen_at: string;
};
