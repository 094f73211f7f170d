// toSql's errors and the `corset export --sql` command; a 100 000-origin exact list on DuckDB.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { SqlExportError, toSql } from '../src/sql/to-sql.js';

function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c) => (o += String(c)));
  err.on('data', (c) => (e += String(c)));
  return { io: { stdout: out, stderr: err }, out: () => o, err: () => e };
}

describe('toSql', () => {
  it('refuses a RegExp rule it cannot write exactly, naming the rule and why', () => {
    // PostgreSQL's AREs read \\x greedily and have no \\p classes.
    expect(() => toSql({ origins: ['https://a.test', /^https:\/\/\x62\.test$/] }, { dialect: 'postgres', column: 'o' })).toThrow(
      /origins\[1\] \/\^https:\\\/\\\/\\x62\\\.test\$\/: the escape \\x has no exact PostgreSQL/,
    );
    expect(() => toSql({ origins: [new RegExp('^https:\\/\\/\\pL+\\.test$')] }, { dialect: 'postgres', column: 'o' })).toThrow(/the escape \\p has no exact PostgreSQL/);
    expect(() => toSql({ origins: [/^https:\/\/a{300}\.test$/] }, { dialect: 'postgres', column: 'o' })).toThrow(/at most 255/);
    // The RE2 dialects take the same RegExps.
    for (const dialect of ['duckdb', 'clickhouse', 'bigquery'] as const) {
      expect(toSql({ origins: [/^https:\/\/\x62\.test$/] }, { dialect, column: 'o' })).toMatch(/\\{1,2}x62/);
    }
    // Outside ASCII, engines fold case differently: refused everywhere.
    expect(() => toSql({ origins: [/^https:\/\/K\.test$/i] }, { dialect: 'duckdb', column: 'o' })).toThrow(SqlExportError);
    expect(() => toSql({ origins: [/^https:\/\/K\.test$/i] }, { dialect: 'duckdb', column: 'o' })).toThrow(/not printable ASCII/);
  });
  it('refuses a compiled policy, a bad dialect and an empty column', () => {
    expect(() => toSql(compilePolicy({ origins: ['https://a.test'] }) as never, { dialect: 'duckdb', column: 'o' })).toThrow(/compiled CorsPolicy/);
    expect(() => toSql({ origins: ['https://a.test'] }, { dialect: 'mysql' as never, column: 'o' })).toThrow(/dialect must be one of/);
    expect(() => toSql({ origins: ['https://a.test'] }, { dialect: 'duckdb', column: ' ' })).toThrow(/column/);
  });
  it('escapes quotes per dialect', () => {
    const init = { origins: ['https://*.example.com'] };
    expect(toSql(init, { dialect: 'clickhouse', column: 'o' })).toContain("'^https://(?:");
    expect(toSql(init, { dialect: 'clickhouse', column: 'o' })).toContain('example\\\\.com$');
    expect(toSql(init, { dialect: 'duckdb', column: 'o' })).toContain(')+example\\.com');
    expect(toSql(init, { dialect: 'duckdb', column: 'o' })).not.toContain('\\\\.');
  });
});

describe('corset export --sql', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corset-sql-'));
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ origins: ['https://a.test', 'https://*.b.test'] }));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ origins: ['https://*.com'] }));

  it('prints the expression', async () => {
    const t = io();
    expect(await main(['export', '--sql', 'postgres', '--column', 'origin', '--policy', good], t.io)).toBe(0);
    expect(t.out()).toMatch(/^COALESCE\(\(origin\) IN \('https:\/\/a\.test'\) OR .* ~ '\^https:/);
    const m = io();
    expect(await main(['export', '--sql', 'duckdb', '--column', 'origin', '--policy', good, '--matched'], m.io)).toBe(0);
    expect(m.out()).toMatch(/^CASE WHEN \(origin\) = 'https:\/\/a\.test' THEN 'https:\/\/a\.test' WHEN/);
  });
  it('exit 3 on policy errors (an input that cannot be used), 2 on usage', async () => {
    const b = io();
    expect(await main(['export', '--sql', 'duckdb', '--column', 'origin', '--policy', bad], b.io)).toBe(3);
    expect(b.err()).toMatch(/public suffix/);
    const u = io();
    expect(await main(['export', '--sql', 'mysql', '--column', 'origin', '--policy', good], u.io)).toBe(2);
    expect(u.err()).toMatch(/--sql must be one of duckdb, clickhouse, bigquery, postgres/);
    const c = io();
    expect(await main(['export', '--sql', 'duckdb', '--policy', good], c.io)).toBe(2);
    expect(c.err()).toMatch(/--column/);
  });
});

let duck: typeof import('@duckdb/node-api') | null = null;
try {
  duck = await import('@duckdb/node-api');
} catch {
  const msg = 'sql-export.test: @duckdb/node-api is not installed (npm install -D @duckdb/node-api); skipping the 100 000-origin query';
  console.warn(msg);
  if (process.env.CI === 'true') throw new Error(msg);
}

describe.skipIf(duck === null)('a 100 000-origin exact list', () => {
  it('runs on DuckDB with corset answers', async () => {
    const origins = Array.from({ length: 100_000 }, (_, i) => `https://h${i}.example.com`);
    const init = { origins };
    const sql = toSql(init, { dialect: 'duckdb', column: 'o' });
    const instance = await duck!.DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const probes = ['https://h0.example.com', 'https://h99999.example.com', 'https://h100000.example.com', 'https://H1.example.com', 'https://h5.example.com:443'];
    const values = probes.map((p) => `('${p}')`).join(', ');
    const rows = (await conn.runAndReadAll(`SELECT o, ${sql} FROM (VALUES ${values}) t(o)`)).getRows();
    const policy = compilePolicy(init);
    expect(rows.map((r) => r[1])).toEqual(probes.map((p) => policy.isOriginAllowed(p)));
    expect(rows.map((r) => r[1])).toEqual([true, true, false, false, false]);
    conn.closeSync();
  }, 60_000);
});
