import { sql, type Kysely } from 'kysely';
import type { Database } from '../../tables/database.ts';
import type { AbsentKeysOptions } from '../store-dialect.ts';

/**
 * Stored keys read per cluster, at most this many times the batch's keys of that cluster (plus
 * a few): a cluster holding far more keys than the batch names (a place with thousands of tests,
 * or every key without a place) is not read, its keys count as absent, and the upsert decides.
 */
const clusterReadFactor = 4;
const clusterReadSlack = 16;

/**
 * `absentKeys` on PostgreSQL (docs/adr/0050). Without `hexPrefix`, one `= any` probe per key:
 * exact, and about as costly to the server as the conflicts of the upsert it precedes. With it,
 * the stored keys of each cluster (keys sharing their first `hexPrefix` hexadecimal digits: test
 * ids of one place, docs/adr/0046) are read as one range of the index, in order, which costs a
 * fraction of a look-up per key, and compared with the keys by the server (docs/adr/0055). A range is bounded by `prefix` and `prefix || 'g'`, exact for
 * lower-case hexadecimal keys in any collation that sorts digits and `a`–`g` as ASCII does; a
 * key it misses is reported absent, which the caller's conflict clause still leaves out.
 */
export async function absentKeys(
  db: Kysely<Database>,
  table: string,
  column: string,
  keys: readonly string[],
  options?: AbsentKeysOptions,
): Promise<string[]> {
  if (keys.length === 0) return [];
  const target = sql.table(table);
  const ref = sql.ref(column);
  if (options?.hexPrefix === undefined) {
    const { rows } = await sql<{ k: string }>`select u.k from unnest(${keys}::text[])
      with ordinality as u(k, n) where not exists (select 1 from ${target} where ${ref} = u.k)
      order by u.n`.execute(db);
    return rows.map((row) => row.k);
  }
  const perCluster = new Map<string, number>();
  for (const key of keys) {
    const cluster = key.slice(0, options.hexPrefix);
    perCluster.set(cluster, (perCluster.get(cluster) ?? 0) + 1);
  }
  const clusters = [...perCluster.keys()];
  const caps = clusters.map((c) => perCluster.get(c)! * clusterReadFactor + clusterReadSlack);
  // The server compares what it read with the keys and answers the absent ones only: in CI's
  // steady state none, where sending every stored key back cost the client a row each.
  // A cluster read up to its cap may hold more: its keys are left to the upsert.
  const { rows } = await sql<{ k: string }>`with s as (
      select r.c, r.cap, x.k from unnest(${clusters}::text[], ${caps}::int[]) as r(c, cap)
      cross join lateral (select ${ref} as k from ${target}
        where ${ref} >= r.c and ${ref} < r.c || 'g' order by ${ref} limit r.cap) as x),
    unresolved as (select c from s group by c, cap having count(*) >= cap)
    select u.k from unnest(${keys}::text[]) with ordinality as u(k, n)
    where not exists (select 1 from s where s.k = u.k)
      or substr(u.k, 1, ${options.hexPrefix}) in (select c from unresolved)
    order by u.n`.execute(db);
  return rows.map((row) => row.k);
}
