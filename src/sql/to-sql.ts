// A policy's origin rules as one SQL expression (DESIGN.md, "Policies as SQL"): true exactly
// when `isOriginAllowed(value)` is, NULL and non-canonical values false; with `matched`, the
// pattern as written (the earliest allowing rule, as `matchOrigin`) or NULL.
//
// Exact origins go into one IN list (engines hash it); every other tuple rule becomes one anchored
// RE2 regular expression built from the validated rule, never from user text. The label
// alphabet is what corset's canonical fast path accepts without the URL parser
// (src/origin/canonical-origin.ts): `[a-z0-9-]`, 1-63 bytes, no empty label, host at most 253
// bytes. Labels a wildcard matches that start with `xn--` are denied here: their punycode cannot
// be checked in SQL (docs/sql.md lists this).
import { validatePolicy } from '../policy/validate.js';
import { PolicyError } from '../policy/issues.js';
import type { OriginRule, PortSpec, TupleRule } from '../policy/rules.js';
import type { CorsPolicyInit } from '../types.js';
import { MAX_HOST_LENGTH, MAX_ORIGIN_LENGTH } from '../origin/limits.js';

export type SqlDialect = 'duckdb' | 'clickhouse' | 'bigquery' | 'postgres';
export const SQL_DIALECTS: readonly SqlDialect[] = ['duckdb', 'clickhouse', 'bigquery', 'postgres'];

export interface ToSqlOptions {
  readonly dialect: SqlDialect;
  /** A column name (or any SQL expression of string type) holding the Origin value. */
  readonly column: string;
  /** Give the matching pattern as written (or NULL) instead of a boolean. */
  readonly matched?: boolean;
}

/** A rule that cannot be expressed in SQL, with the reason. */
export class SqlExportError extends Error {
  constructor(message: string) {
    super(`corset: toSql: ${message}`);
    this.name = 'SqlExportError';
  }
}

const DEFAULT_PORT = { http: 80, https: 443 } as const;

/** One DNS label as the canonical fast path accepts it, not starting with `xn--`. */
const LABEL = '(?:[a-wyz0-9-][a-z0-9-]{0,62}|x(?:[a-mo-z0-9-][a-z0-9-]{0,61})?|xn(?:[a-z0-9][a-z0-9-]{0,60})?|xn-(?:[a-z0-9][a-z0-9-]{0,59})?)';
/** A canonical port: 0-65535 without leading zeros (URL §4.4 port state). */
const PORT = '(?:[0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** An SQL string literal holding `s` (ASCII after validation, or escaped). */
function literal(dialect: SqlDialect, s: string): string {
  if (dialect === 'clickhouse' || dialect === 'bigquery') {
    return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  return `'${s.replace(/'/g, "''")}'`;
}

function fullMatch(dialect: SqlDialect, col: string, re: string): string {
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

function portRegex(port: PortSpec, scheme: 'http' | 'https'): { re: string; notDefault: boolean } {
  switch (port.kind) {
    case 'default':
      return { re: '', notDefault: false };
    case 'exact':
      return { re: `:${port.port}`, notDefault: false };
    case 'any':
      void scheme;
      return { re: `(?::${PORT})?`, notDefault: true };
  }
}

interface RuleSql {
  readonly index: number;
  readonly source: string;
  readonly condition: string;
}

function hostRegex(rule: TupleRule): string {
  const h = rule.host;
  switch (h.kind) {
    case 'exact':
      return escapeRegex(h.host);
    case 'subdomains':
      return `(?:${LABEL}\\.)+${escapeRegex(h.suffix)}`;
    case 'glob': {
      const left = h.left === '' ? '' : `${escapeRegex(h.left)}\\.`;
      const right = h.right === '' ? '' : `\\.${escapeRegex(h.right)}`;
      const room = 63 - h.prefix.length - h.suffix.length;
      return `${left}${escapeRegex(h.prefix)}[a-z0-9-]{1,${room}}${escapeRegex(h.suffix)}${right}`;
    }
  }
}

function tupleCondition(dialect: SqlDialect, col: string, rule: TupleRule): string {
  const prefix = `${rule.scheme}://`;
  const { re: portRe, notDefault } = portRegex(rule.port, rule.scheme);
  const parts = [fullMatch(dialect, col, escapeRegex(prefix) + hostRegex(rule) + portRe)];
  if (rule.host.kind !== 'exact') {
    // The host (value without scheme and port) is at most 253 bytes.
    const hostLen =
      rule.port.kind === 'default'
        ? `length(${col})`
        : `length(${regexReplace(dialect, col, ':[0-9]+$')})`;
    parts.push(`${hostLen} <= ${prefix.length + MAX_HOST_LENGTH}`);
    if (rule.host.kind === 'glob' && /xn--/.test(`${rule.host.prefix}`) === false && rule.host.prefix.length < 4) {
      // A glob label whose `*` could complete an `xn--` prefix: deny those, as for wildcards.
      parts.push(`NOT ${fullMatch(dialect, col, `${escapeRegex(prefix)}${rule.host.left === '' ? '' : escapeRegex(rule.host.left) + '\\.'}xn--.*`)}`);
    }
  }
  if (notDefault) parts.push(`NOT ${fullMatch(dialect, col, `.*:${DEFAULT_PORT[rule.scheme]}`)}`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
}

function regexReplace(dialect: SqlDialect, col: string, re: string): string {
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

function ruleSql(dialect: SqlDialect, col: string, rule: OriginRule): RuleSql | { exact: string; index: number; source: string } {
  switch (rule.kind) {
    case 'null':
      return { exact: 'null', index: rule.index, source: rule.source };
    case 'app':
      // An app origin is canonical by validation and matched by equality only: an IN-list value.
      return { exact: rule.source, index: rule.index, source: rule.source };
    case 'regexp':
      throw new SqlExportError(
        `origins[${rule.index}] ${rule.source}: a RegExp rule is not exported to SQL (JavaScript and RE2 regular expressions differ; write it as an origin pattern)`,
      );
    case 'tuple': {
      if (rule.host.kind === 'exact' && rule.port.kind !== 'any') {
        const port = rule.port.kind === 'exact' ? `:${rule.port.port}` : '';
        return { exact: `${rule.scheme}://${rule.host.host}${port}`, index: rule.index, source: rule.source };
      }
      return { index: rule.index, source: rule.source, condition: tupleCondition(dialect, col, rule) };
    }
  }
}

/** The policy's origin rules as an SQL expression (see the module comment). */
export function toSql(policy: CorsPolicyInit, options: ToSqlOptions): string {
  if (options === null || typeof options !== 'object') throw new TypeError('corset: toSql(policy, options): options must be an object');
  const { dialect, column, matched = false } = options;
  if (!SQL_DIALECTS.includes(dialect)) {
    throw new TypeError(`corset: toSql: dialect must be one of ${SQL_DIALECTS.join(', ')}, got ${String(dialect)}`);
  }
  if (typeof column !== 'string' || column.trim() === '') throw new TypeError('corset: toSql: column must be a non-empty string');
  if (typeof policy === 'object' && policy !== null && typeof (policy as { decide?: unknown }).decide === 'function' && !('origins' in policy)) {
    throw new TypeError('corset: toSql: got a compiled CorsPolicy, which does not keep its rules; pass the CorsPolicyInit you compiled it from');
  }
  const { policy: validated, issues } = validatePolicy(policy);
  if (validated === null) throw new PolicyError(issues);
  if (validated.origins.kind === 'any') {
    throw new SqlExportError("origins '*' allows every canonical origin; the SQL export covers allow-lists only");
  }
  const col = `(${column})`;
  const rules = validated.origins.rules.map((r) => ruleSql(dialect, col, r));
  const exact = rules.filter((r): r is { exact: string; index: number; source: string } => 'exact' in r);
  const other = rules.filter((r): r is RuleSql => 'condition' in r);
  // An exact value is canonical by construction: it equals a validated serialization.
  // `null` is allowed only with allowNullOrigin, whatever the list says.
  const allowed = (r: { exact: string } | RuleSql): boolean => !('exact' in r) || r.exact !== 'null' || validated.allowNullOrigin;
  const exactAllowed = exact.filter(allowed);
  const lengthGuard = `length(${col}) <= ${MAX_ORIGIN_LENGTH}`;

  if (!matched) {
    const terms: string[] = [];
    if (exactAllowed.length > 0) {
      terms.push(`${col} IN (${[...new Set(exactAllowed.map((r) => r.exact))].map((s) => literal(dialect, s)).join(', ')})`);
    }
    if (other.length > 0) terms.push(`(${lengthGuard} AND (${other.map((r) => r.condition).join(' OR ')}))`);
    if (terms.length === 0) return 'FALSE';
    return `COALESCE(${terms.join(' OR ')}, FALSE)`;
  }
  // matched: the earliest allowing rule's source. Exact origins first by a CASE over the IN
  // list is O(rules); a first exact hit has the lowest index among exact rules with that value.
  const ordered = rules.filter(allowed).sort((a, b) => a.index - b.index);
  if (ordered.length === 0) return 'CAST(NULL AS VARCHAR)';
  const whens = ordered.map((r) =>
    'exact' in r
      ? `WHEN ${col} = ${literal(dialect, r.exact)} THEN ${literal(dialect, r.source)}`
      : `WHEN ${lengthGuard} AND ${r.condition} THEN ${literal(dialect, r.source)}`,
  );
  return `CASE ${whens.join(' ')} END`;
}
