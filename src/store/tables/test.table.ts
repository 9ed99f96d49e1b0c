/** `tests`: one test identity per (repo, key). */
export type TestTable = {
  /** sha256(repo NUL key), hex, first 32 characters: computed, so ingest needs no lookup. */
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
