// BigQuery cannot run here (no network), so its dialect is checked for syntax instead: every
// expression toSql writes for the policy corpus (both the boolean and the `--matched` form), set in
// a SELECT as docs/sql.md shows it, must parse under node-sql-parser's BigQuery grammar; and the
// check is shown able to fail, on the PostgreSQL dialect's `~` operator and a VARCHAR cast, neither
// of which BigQuery has.
import sqlParser from 'node-sql-parser/build/bigquery.js';
import { describe, expect, it } from 'vitest';
import { toSql } from '../src/sql/to-sql.js';
import { sqlPolicyCorpus } from './helpers/sql-corpus.js';

const parser = new sqlParser.Parser();

function parsesAsBigQuery(sql: string): boolean {
  try {
    parser.astify(sql, { database: 'bigquery' });
    return true;
  } catch {
    return false;
  }
}

const select = (expr: string) => `SELECT ${expr} AS allowed FROM \`project.logs.requests\` WHERE DATE(ts) = '2026-12-01'`;

describe("toSql's BigQuery dialect", () => {
  const corpus = sqlPolicyCorpus();

  it('the check refuses what BigQuery does not have', () => {
    expect(parsesAsBigQuery(select("origin ~ '^https://a$'"))).toBe(false);
    expect(parsesAsBigQuery(select('CAST(NULL AS VARCHAR)'))).toBe(false);
    expect(parsesAsBigQuery(select(toSql(corpus[1]!.init, { dialect: 'postgres', column: 'origin' })))).toBe(false);
    expect(parsesAsBigQuery(select("REGEXP_CONTAINS(origin, '^https://a$')"))).toBe(true);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s: both forms parse', (_name, c) => {
    const failures: string[] = [];
    for (const matched of [false, true]) {
      const expr = toSql(c.init, { dialect: 'bigquery', column: 'origin', matched });
      if (!parsesAsBigQuery(select(expr))) failures.push(`${matched ? 'matched' : 'boolean'}: ${expr.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });
});
