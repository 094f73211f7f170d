// `corset audit --engine duckdb --log FILE` against the line-by-line path: on seeded generated
// logs in CSV, JSON lines and Parquet (invalid origins, null, missing and empty Origins,
// look-alikes, values past the length cap, non-ASCII), the two reports are the same, field for
// field (counts, matched patterns, top lists, --against differences); and without
// @duckdb/node-api the command says how to install it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from '../src/cli/audit.js';
import type { CorsPolicyInit } from '../src/types.js';
import { runCli } from './helpers/cli-io.js';
import { extraOriginArb } from './helpers/sql-corpus.js';

let duck: typeof import('@duckdb/node-api') | null = null;
try {
  duck = await import('@duckdb/node-api');
} catch {
  const msg = 'cli-audit-duckdb.test: @duckdb/node-api is not installed (npm install -D @duckdb/node-api); skipping the DuckDB differential';
  console.warn(msg);
  if (process.env.CI === 'true') throw new Error(msg);
}

const dir = mkdtempSync(path.join(tmpdir(), 'corset-audit-duckdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function policyFile(name: string, init: CorsPolicyInit): string {
  const file = path.join(dir, name);
  // RegExps go through JSON as the policy file format writes them.
  writeFileSync(file, JSON.stringify(init, (_k, v) => (v instanceof RegExp ? { regexp: v.source, flags: v.flags } : v)));
  return file;
}

const NEW: CorsPolicyInit = {
  origins: ['https://app.example.com', 'https://*.example.com', /^https:\/\/(?:dev|stg)\.api\.test$/, 'http://localhost:3000', 'null', /^https:\/\/\[[0-9a-f:]+\]$/, 'https://[::1]'],
  allowNullOrigin: true,
};
const OLD: CorsPolicyInit = { origins: '*', credentialedOrigins: ['https://app.example.com', 'https://*.example.org'] };
/** A rule the SQL cannot write (non-ASCII): the audit must still count exactly. */
const UNWRITABLE: CorsPolicyInit = { origins: ['https://a.example.com', /^https:\/\/(?:x|ä)\.corp\.test$/, 'https://*.corp.test'] };

type Row = { origin: string | null | undefined };

/** Seeded rows: origins with no whitespace (so the line path can read them as a field), and no Origin. */
function rows(seed: number, n: number): Row[] {
  const value = fc.oneof(
    { weight: 20, arbitrary: extraOriginArb(['example.com', 'app.example.com', 'x.example.org', 'api.test', 'x.corp.test']) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'null', 'NULL', 'https://app.example.com.evil.net', 'https://app.example.co', 'https://APP.example.com', 'https://exämple.com',
        'https://xn--bcher-kva.example.com', 'https://a_b.example.com', 'https://[::1]', 'https://[0:0::1]', `https://${'a'.repeat(400)}.example.com`,
        `https://${'b'.repeat(700)}.com`, 'https://a.example.com,x', "https://o'brien.example.com",
      ),
    },
    { weight: 2, arbitrary: fc.constantFrom(null, undefined, '', '-') },
  );
  return fc
    .sample(value, { numRuns: n, seed })
    .filter((v) => v === null || v === undefined || (!/[\s"]/.test(v) && v !== ''))
    .map((origin) => ({ origin }));
}

/** The same rows as a log the line path reads with --field 2 (`-` is no Origin). */
function lineLog(name: string, rs: Row[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, rs.map((r, i) => `${i} ${r.origin ?? '-'}\n`).join(''));
  return file;
}

function csvLog(name: string, rs: Row[]): string {
  const file = path.join(dir, name);
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  writeFileSync(file, `ts,origin,status\n${rs.map((r, i) => `${i},${r.origin == null ? '' : q(r.origin)},200\n`).join('')}`);
  return file;
}

function jsonLog(name: string, rs: Row[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, rs.map((r, i) => `${JSON.stringify(r.origin === undefined ? { ts: i } : { ts: i, origin: r.origin })}\n`).join(''));
  return file;
}

async function parquetLog(name: string, csv: string): Promise<string> {
  const file = path.join(dir, name);
  const conn = await (await duck!.DuckDBInstance.create(':memory:')).connect();
  await conn.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, all_varchar = true)) TO '${file}' (FORMAT parquet)`);
  conn.closeSync();
  return file;
}

/** The report without what differs by nature between two runs (file, size, time, engine). */
function comparable(stdout: string) {
  const r = JSON.parse(stdout) as Record<string, unknown> & { policy: { file: string }; against: { file: string } | null };
  const { file: _f, bytes: _b, seconds: _s, originsPerSecond: _o, engine: _e, ...rest } = r;
  return rest;
}

describe.skipIf(duck === null)('corset audit --engine duckdb', () => {
  const rs = rows(20261206, 12_000);
  const lines = lineLog('log.txt', rs);
  const csv = csvLog('log.csv', rs);
  const json = jsonLog('log.jsonl', rs);
  const newFile = policyFile('new.json', NEW);
  const oldFile = policyFile('old.json', OLD);
  const unwritable = policyFile('unwritable.json', UNWRITABLE);

  it('gives the line path report for CSV, JSON lines and Parquet, with --against', async () => {
    const parquet = await parquetLog('log.parquet', csv);
    for (const [policy, against] of [
      [newFile, oldFile],
      [unwritable, newFile],
      [newFile, null],
      [unwritable, null],
    ] as const) {
      const vs = against === null ? [] : ['--against', against];
      const js = await runCli(runAudit, [lines, '--field', '2', '--policy', policy, ...vs, '--top', '40', '--json']);
      const want = comparable(js.stdout);
      const reasons = (want.policy as unknown as { reasons: Record<string, number> }).reasons;
      // Not vacuous: every kind of verdict occurs.
      expect(reasons.ok).toBeGreaterThan(10);
      expect(reasons['invalid-origin']).toBeGreaterThan(100);
      expect(reasons['origin-not-allowed']).toBeGreaterThan(100);
      expect(reasons['not-cors']).toBeGreaterThan(100);
      for (const log of [csv, json, parquet]) {
        const d = await runCli(runAudit, ['--engine', 'duckdb', '--log', log, '--policy', policy, ...vs, '--top', '40', '--json']);
        expect(d.stderr).toBe('');
        expect(d.code, log).toBe(js.code);
        expect(JSON.parse(d.stdout).engine).toBe('duckdb');
        expect(comparable(d.stdout), `${path.basename(log)} ${path.basename(policy)}`).toEqual(want);
      }
    }
  }, 120_000);

  it('prints the same text report, and runs on one thread', async () => {
    const js = await runCli(runAudit, [lines, '--field', '2', '--policy', newFile]);
    const d = await runCli(runAudit, ['--engine', 'duckdb', '--log', csv, '--policy', newFile, '--threads', '1']);
    const body = (s: string) => s.split('\n').slice(1).join('\n');
    expect(d.code).toBe(0);
    expect(body(d.stdout)).toBe(body(js.stdout));
    expect(d.stdout).toMatch(/^corset audit .*log\.csv: 12,?\d* lines|^corset audit .*\(engine duckdb\)/);
  }, 60_000);

  it('says what is wrong with the log or the options', async () => {
    const noColumn = await runCli(runAudit, ['--engine', 'duckdb', '--log', csv, '--policy', newFile, '--column', 'referer']);
    expect(noColumn.code).toBe(3);
    expect(noColumn.stderr).toMatch(/Origin column "referer"/);
    const missing = await runCli(runAudit, ['--engine', 'duckdb', '--log', path.join(dir, 'nope.csv'), '--policy', newFile]);
    expect(missing.code).toBe(3);
    const unknown = await runCli(runAudit, ['--engine', 'duckdb', '--log', lines, '--policy', newFile]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--format csv, json or parquet/);
    const field = await runCli(runAudit, ['--engine', 'duckdb', '--log', csv, '--policy', newFile, '--field', '2']);
    expect(field.code).toBe(2);
    const stray = await runCli(runAudit, [lines, '--policy', newFile, '--column', 'origin']);
    expect(stray.code).toBe(2);
  }, 60_000);
});

describe('corset audit --engine duckdb without @duckdb/node-api', () => {
  it('says how to install it, exit 4, also as JSON', async () => {
    const log = path.join(dir, 'any.csv');
    writeFileSync(log, 'origin\nhttps://a.test\n');
    const policy = policyFile('p.json', { origins: ['https://a.test'] });
    let out = '';
    let err = '';
    const io = {
      stdout: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
      // What a dynamic import of a package that is not installed rejects with.
      loadDuckdb: () => Promise.reject(Object.assign(new Error("Cannot find package '@duckdb/node-api'"), { code: 'ERR_MODULE_NOT_FOUND' })),
    };
    expect(await runAudit(['--engine', 'duckdb', '--log', log, '--policy', policy], io)).toBe(4);
    expect(err).toMatch(/needs the optional package @duckdb\/node-api.*npm install @duckdb\/node-api/);
    expect(out).toBe('');
    err = '';
    expect(await runAudit(['--engine', 'duckdb', '--log', log, '--policy', policy, '--json'], io)).toBe(4);
    expect(JSON.parse(out).error).toMatchObject({ kind: 'environment', exitCode: 4 });
  });
});
