// Differential on DuckDB for what the SQL export added beyond origin patterns: the
// canonical-origin predicate (held to the fast scan), RegExp rules, tiered policies and
// `origins: '*'`. The same policies run on ClickHouse and PostgreSQL in their own tests.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { CANONICAL_YES, newOriginScan, scanCanonicalOrigin } from '../src/origin/canonical-origin.js';
import { canonicalOriginSql } from '../src/sql/canonical-sql.js';
import { toSql } from '../src/sql/to-sql.js';
import { duckOriginTable } from './helpers/duckdb-table.js';
import { agrees, EXTRA_POLICIES, extraOriginArb } from './helpers/sql-corpus.js';

type Duck = typeof import('@duckdb/node-api');
let duck: Duck | null = null;
try {
  duck = await import('@duckdb/node-api');
} catch {
  const msg = 'sql-rules-duckdb.test: @duckdb/node-api is not installed (npm install -D @duckdb/node-api); skipping';
  console.warn(msg);
  if (process.env.CI === 'true') throw new Error(msg);
}

const HOSTS = ['example.com', 'app.example.com', 'a.b.example.com', 'example.org', 'x.example.org', 'preview.test', 'api.test', 'b.c.d.e.test', 'q.b.c.d.e.test'];
const N = 20_000;

const table = (values: readonly string[]) => duckOriginTable(duck!, values);

describe.skipIf(duck === null)('SQL rules on DuckDB', () => {
  it('the canonical-origin predicate is the fast scan answering YES', async () => {
    const values = fc.sample(extraOriginArb(HOSTS), { numRuns: N, seed: 1206 });
    const conn = await table(values);
    const rows = (await conn.runAndReadAll(`SELECT i, COALESCE(${canonicalOriginSql('duckdb', '(origin)')}, FALSE) FROM o ORDER BY i`)).getRows();
    const scan = newOriginScan();
    const bad: string[] = [];
    let yes = 0;
    for (const [i, c] of rows) {
      const v = values[Number(i)];
      const want = v === undefined ? false : scanCanonicalOrigin(v, scan) === CANONICAL_YES;
      if (want) yes++;
      if (c !== want) bad.push(`${JSON.stringify(v)}: sql ${String(c)}, scan ${want}`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(yes).toBeGreaterThan(N / 10);
    expect(yes).toBeLessThan(N);
    conn.closeSync();
  }, 60_000);

  it('RegExp rules, tiers and * give corset answers', async () => {
    const values = fc.sample(extraOriginArb(HOSTS), { numRuns: N, seed: 61206 });
    const conn = await table(values);
    for (const init of EXTRA_POLICIES) {
      const policy = compilePolicy(init);
      const a = toSql(init, { dialect: 'duckdb', column: 'origin' });
      const m = toSql(init, { dialect: 'duckdb', column: 'origin', matched: true });
      const rows = (await conn.runAndReadAll(`SELECT i, ${a}, ${m} FROM o ORDER BY i`)).getRows();
      expect(rows.length).toBe(N + 1);
      const bad: string[] = [];
      let hits = 0;
      for (const [i, allowed, matched] of rows) {
        const v = values[Number(i)];
        if (v === undefined) {
          if (allowed !== false || matched !== null) bad.push(`NULL -> ${String(allowed)} ${String(matched)}`);
          continue;
        }
        if (allowed === true) hits++;
        if (!agrees(policy, v, allowed as boolean, matched as string | null)) {
          bad.push(`${JSON.stringify(v)}: sql ${String(allowed)} ${String(matched)}, corset ${policy.isOriginAllowed(v)} ${policy.matchOrigin(v)}`);
        }
      }
      expect(bad.slice(0, 10), String(init.origins)).toEqual([]);
      expect(hits, String(init.origins)).toBeGreaterThan(10);
    }
    conn.closeSync();
  }, 120_000);
});
