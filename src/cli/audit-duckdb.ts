// `corset audit --engine duckdb --log FILE`: the same audit (src/cli/audit.ts) over a structured
// log (CSV, JSON lines or Parquet; a glob reads many files) that DuckDB reads and filters in
// parallel. The policies run inside DuckDB as SQL (src/sql/to-sql.ts auditSql): DuckDB counts
// the allowed rows per pattern. The rows the SQL does not allow under both policies, or whose
// value the SQL cannot prove canonical (where it may deny what corset allows, docs/sql.md), are
// grouped by value and those distinct values are asked of corset's own engine, through the same
// bulk path as a line of a log. So every count is the line-by-line path's, whatever the SQL
// cannot express; test/cli-audit-duckdb.test.ts holds the two reports equal.
//
// @duckdb/node-api is an optional dependency, imported only here; without it the command says
// how to install it (exit 4, the environment refused: src/cli/errors.ts).
import { statSync } from 'node:fs';
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import { auditSql } from '../sql/to-sql.js';
import { AuditCounts, type AuditPolicy, display, finishReport, V_INVALID, V_NOT_CORS, verdictsOfValues } from './audit.js';
import { EnvironmentError, InputError, UsageError } from './errors.js';

export type DuckdbModule = typeof import('@duckdb/node-api');
export type LogFormat = 'csv' | 'json' | 'parquet';

export interface DuckdbAuditOptions {
  readonly log: string;
  readonly format: LogFormat | null;
  readonly column: string;
  readonly threads: number | null;
  readonly current: AuditPolicy;
  readonly old: AuditPolicy | null;
  readonly policyFile: string;
  readonly againstFile: string | null;
  readonly top: number;
  readonly json: boolean;
}

export interface DuckdbAuditIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** How to load @duckdb/node-api (tests pass a loader that fails, as a missing package does). */
  loadDuckdb?: () => Promise<DuckdbModule>;
}

export const DUCKDB_INSTALL_HINT =
  'corset audit --engine duckdb needs the optional package @duckdb/node-api, which is not installed: run `npm install @duckdb/node-api` (Node 20 or later), or audit a file of Origin lines without --engine duckdb';

/** The format a path names by its extension, or null. */
export function formatOfPath(path: string): LogFormat | null {
  const lower = path.toLowerCase().replace(/\.(gz|zst)$/, '');
  if (/\.(csv|tsv)$/.test(lower)) return 'csv';
  if (/\.(json|jsonl|ndjson)$/.test(lower)) return 'json';
  if (/\.parquet$/.test(lower)) return 'parquet';
  return null;
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const sqlIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

function reader(format: LogFormat, log: string, column: string): string {
  switch (format) {
    case 'csv':
      return `read_csv(${sqlString(log)}, header = true, all_varchar = true)`;
    case 'json':
      // Only the Origin's key is read; a line without it gives NULL.
      return `read_json(${sqlString(log)}, format = 'newline_delimited', columns = {${sqlString(column)}: 'VARCHAR'})`;
    case 'parquet':
      return `read_parquet(${sqlString(log)})`;
  }
}

async function loadDuckdb(io: DuckdbAuditIO): Promise<DuckdbModule> {
  try {
    return await (io.loadDuckdb ?? (() => import('@duckdb/node-api')))();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new EnvironmentError(DUCKDB_INSTALL_HINT);
    throw new EnvironmentError(`corset audit --engine duckdb: @duckdb/node-api cannot be loaded here: ${(err as Error).message}`);
  }
}

export async function runDuckdbAudit(o: DuckdbAuditOptions, io: DuckdbAuditIO): Promise<number> {
  const format = o.format ?? formatOfPath(o.log);
  if (format === null) throw new UsageError(`cannot tell the format of ${JSON.stringify(o.log)} from its name: give --format csv, json or parquet`);
  let bytes = 0;
  if (!/[*?[]/.test(o.log)) {
    try {
      bytes = statSync(o.log).size;
    } catch (err) {
      throw new InputError(`cannot read ${JSON.stringify(o.log)}: ${(err as Error).message}`, o.log);
    }
  }
  const duck = await loadDuckdb(io);
  const instance = await duck.DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const started = Date.now();
  let timer: NodeJS.Timeout | null = null;
  try {
    if (o.threads !== null) await conn.run(`SET threads = ${o.threads}`);
    const ids = (p: AuditPolicy) => ({ credentialedBase: p.credentialedBase, anyId: p.anyId });
    const now = auditSql(o.current.validated, 'duckdb', 'v', ids(o.current), 'now');
    const was = o.old === null ? null : auditSql(o.old.validated, 'duckdb', 'v', ids(o.old), 'was');
    // Each tier's exact origins, a table joined on the value (a list of 100 000 is one hash join).
    const tables = [...now.tables, ...(was?.tables ?? [])];
    for (const t of tables) {
      await conn.run(`CREATE TEMP TABLE ${t.name} (origin VARCHAR, idx INTEGER, id INTEGER)`);
      const appender = await conn.createAppender(t.name);
      for (const [origin, idx, id] of t.rows) {
        appender.appendVarchar(origin);
        appender.appendInteger(idx);
        appender.appendInteger(id);
        appender.endRow();
      }
      appender.closeSync();
    }
    const joins = tables.map((t) => `LEFT JOIN ${t.name} ON ${t.name}.origin = g.v`).join(' ');
    // A row is asked of corset unless the SQL allows it under every policy, by rules it wrote
    // exactly, on a value it proved canonical.
    const trusted = [`${now.verdict} IS NOT NULL`, now.canonical];
    if (!now.exact) trusted.push('FALSE');
    if (was !== null) {
      trusted.push(`${was.verdict} IS NOT NULL`);
      if (!was.exact) trusted.push('FALSE');
    }
    // As the line path with --field or --regex: NULL, a missing key, '' and '-' are no Origin.
    // A value longer than any origin is invalid: it is kept to 480 characters, enough for its
    // display, with its length in bytes. The rows are counted per distinct value first (a log
    // has far fewer origins than rows), and each distinct value is judged once.
    const sql = `
      WITH src AS (SELECT CAST(${sqlIdent(o.column)} AS VARCHAR) AS x FROM ${reader(format, o.log, o.column)}),
      vals AS (SELECT CASE WHEN x IS NULL OR x = '' OR x = '-' THEN NULL ELSE x END AS v FROM src),
      g AS (SELECT v, count(*) AS n FROM vals GROUP BY v),
      marked AS (
        SELECT g.v IS NULL AS missing, strlen(g.v) > ${MAX_ORIGIN_LENGTH} AS long, ${now.verdict} AS vnew,
          ${was === null ? 'CAST(0 AS INTEGER)' : was.verdict} AS vold, COALESCE(${trusted.join(' AND ')}, FALSE) AS trusted, g.v AS v, g.n AS n
        FROM g ${joins})
      SELECT missing, trusted, long,
        CASE WHEN trusted THEN vnew END AS vnew, CASE WHEN trusted THEN vold END AS vold,
        CASE WHEN NOT trusted AND NOT missing THEN (CASE WHEN long THEN left(v, 480) ELSE v END) END AS key,
        CASE WHEN NOT trusted AND NOT missing AND long THEN strlen(v) END AS bytes,
        sum(n) AS n
      FROM marked GROUP BY ALL`;
    if (io.stderr.isTTY === true) {
      timer = setInterval(() => {
        const p = conn.progress;
        const pct = p.percentage >= 0 ? ` ${p.percentage.toFixed(0)}%,` : '';
        io.stderr.write(`\rcorset audit (duckdb):${pct} ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }, 1000);
    }
    let rows: unknown[][];
    try {
      rows = (await conn.runAndReadAll(sql)).getRows() as unknown[][];
    } catch (err) {
      throw new InputError(`cannot read ${JSON.stringify(o.log)} as ${format} with an Origin column ${JSON.stringify(o.column)}: ${(err as Error).message}`, o.log);
    }
    if (timer !== null) {
      clearInterval(timer);
      timer = null;
      if (Date.now() - started >= 1000) io.stderr.write('\n');
    }

    const counts = new AuditCounts(o.current, o.old);
    let lines = 0;
    const asked: { key: string; n: number }[] = [];
    for (const [missing, trusted, long, vnew, vold, key, longBytes, n] of rows) {
      const count = Number(n);
      lines += count;
      if (missing === true) counts.count(() => '', V_NOT_CORS, V_NOT_CORS, count);
      else if (trusted === true) counts.count(() => '', Number(vnew), Number(vold), count);
      else if (long === true) {
        const text = displayLong(key as string, Number(longBytes));
        counts.count(() => text, V_INVALID, V_INVALID, count);
      } else asked.push({ key: key as string, n: count });
    }
    const values = asked.map((a) => a.key);
    const vNew = verdictsOfValues(o.current, values);
    const vOld = o.old === null ? null : verdictsOfValues(o.old, values);
    asked.forEach((a, i) => counts.count(() => display(encoder.encode(a.key)), vNew[i] as number, vOld === null ? 0 : (vOld[i] as number), a.n));
    const seconds = (Date.now() - started) / 1000;
    return finishReport(
      { file: o.log, bytes, lines, seconds, engine: 'duckdb', policyFile: o.policyFile, againstFile: o.againstFile, counts, top: o.top },
      o.json,
      io,
    ).code;
  } finally {
    if (timer !== null) clearInterval(timer);
    conn.closeSync();
    instance.closeSync();
  }
}

const encoder = new TextEncoder();

/** display() of a value of `bytes` bytes known by its first 480 characters. */
function displayLong(prefix: string, bytes: number): string {
  const head = encoder.encode(prefix).subarray(0, 480);
  const full = new Uint8Array(Math.max(bytes, head.length));
  full.set(head);
  return display(full);
}
