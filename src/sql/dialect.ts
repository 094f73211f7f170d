// What differs between the SQL dialects toSql writes for: string literals and the regular
// expression functions. Everything else the export writes is common SQL.
/** An SQL dialect `toSql` writes for. */
export type SqlDialect = 'duckdb' | 'clickhouse' | 'bigquery' | 'postgres';
/** Every dialect `toSql` writes for. */
export const SQL_DIALECTS: readonly SqlDialect[] = ['duckdb', 'clickhouse', 'bigquery', 'postgres'];

/** A rule that cannot be expressed in SQL, with the reason. */
export class SqlExportError extends Error {
  constructor(message: string) {
    super(`corset: toSql: ${message}`);
    this.name = 'SqlExportError';
  }
}

export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** An SQL string literal holding `s` (ASCII after validation, or escaped). */
export function literal(dialect: SqlDialect, s: string): string {
  if (dialect === 'clickhouse' || dialect === 'bigquery') {
    return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  return `'${s.replace(/'/g, "''")}'`;
}

/** `col` matches `re` as a whole (the regex is anchored here). */
export function fullMatch(dialect: SqlDialect, col: string, re: string): string {
  const anchored = `^${re}$`;
  switch (dialect) {
    case 'duckdb':
      return `regexp_full_match(${col}, ${literal(dialect, re)})`;
    case 'clickhouse':
      return `match(${col}, ${literal(dialect, anchored)})`;
    case 'bigquery':
      return `REGEXP_CONTAINS(${col}, ${literal(dialect, anchored)})`;
    case 'postgres':
      // ARE: `(?:...)` and `{m,n}` behave as in RE2 for what this module writes.
      return `(${col} ~ ${literal(dialect, anchored)})`;
  }
}

/** `col` contains a match of `re` somewhere (a search, as RegExp.prototype.test). */
export function search(dialect: SqlDialect, col: string, re: string, caseInsensitive = false): string {
  switch (dialect) {
    case 'duckdb':
      return `regexp_matches(${col}, ${literal(dialect, re)})`;
    case 'clickhouse':
      return `match(${col}, ${literal(dialect, re)})`;
    case 'bigquery':
      return `REGEXP_CONTAINS(${col}, ${literal(dialect, re)})`;
    case 'postgres':
      return `(${col} ${caseInsensitive ? '~*' : '~'} ${literal(dialect, re)})`;
  }
}

/** `col` with every match of `re` removed. */
export function removeAll(dialect: SqlDialect, col: string, re: string): string {
  switch (dialect) {
    case 'duckdb':
      return `regexp_replace(${col}, ${literal(dialect, re)}, '', 'g')`;
    case 'clickhouse':
      return `replaceRegexpAll(${col}, ${literal(dialect, re)}, '')`;
    case 'bigquery':
      return `REGEXP_REPLACE(${col}, ${literal(dialect, re)}, '')`;
    case 'postgres':
      return `regexp_replace(${col}, ${literal(dialect, re)}, '', 'g')`;
  }
}

/** `col` with the first match of `re` removed. */
export function removeFirst(dialect: SqlDialect, col: string, re: string): string {
  switch (dialect) {
    case 'duckdb':
      return `regexp_replace(${col}, ${literal(dialect, re)}, '')`;
    case 'clickhouse':
      return `replaceRegexpOne(${col}, ${literal(dialect, re)}, '')`;
    case 'bigquery':
      return `REGEXP_REPLACE(${col}, ${literal(dialect, re)}, '')`;
    case 'postgres':
      return `regexp_replace(${col}, ${literal(dialect, re)}, '')`;
  }
}
