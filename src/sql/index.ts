/**
 * `toSql`: a policy's origin rules as one SQL expression (DuckDB, ClickHouse, BigQuery, PostgreSQL), to audit logs where they are stored.
 * @module corset-cors/sql
 */
// corset-cors/sql: a policy's origin rules as an SQL expression (DESIGN.md, "Policies as SQL").
export { toSql, SqlExportError, SQL_DIALECTS } from './to-sql.js';
export type { SqlDialect, ToSqlOptions } from './to-sql.js';
