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
import type { OriginRule, PortSpec, TupleRule, ValidatedPolicy } from '../policy/rules.js';
import type { CorsPolicyInit } from '../types.js';
import { MAX_HOST_LENGTH, MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import { canonicalOriginSql, PORT } from './canonical-sql.js';
import { escapeRegex, fullMatch, literal, removeFirst, SQL_DIALECTS, SqlExportError, type SqlDialect } from './dialect.js';
import { regexpRuleSql } from './regexp-sql.js';

export { SQL_DIALECTS, SqlExportError, type SqlDialect };

/** The options of `toSql`. */
export interface ToSqlOptions {
  /** Which SQL to write. */
  readonly dialect: SqlDialect;
  /** A column name (or any SQL expression of string type) holding the Origin value. */
  readonly column: string;
  /** Give the matching pattern as written (or NULL) instead of a boolean. */
  readonly matched?: boolean;
}

const DEFAULT_PORT = { http: 80, https: 443 } as const;

/** One DNS label as the canonical fast path accepts it, not starting with `xn--`. */
const LABEL = '(?:[a-wyz0-9-][a-z0-9-]{0,62}|x(?:[a-mo-z0-9-][a-z0-9-]{0,61})?|xn(?:[a-z0-9][a-z0-9-]{0,60})?|xn-(?:[a-z0-9][a-z0-9-]{0,59})?)';
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
        : `length(${removeFirst(dialect, col, ':[0-9]+$')})`;
    parts.push(`${hostLen} <= ${prefix.length + MAX_HOST_LENGTH}`);
    if (rule.host.kind === 'glob' && /xn--/.test(`${rule.host.prefix}`) === false && rule.host.prefix.length < 4) {
      // A glob label whose `*` could complete an `xn--` prefix: deny those, as for wildcards.
      parts.push(`NOT ${fullMatch(dialect, col, `${escapeRegex(prefix)}${rule.host.left === '' ? '' : escapeRegex(rule.host.left) + '\\.'}xn--.*`)}`);
    }
  }
  if (notDefault) parts.push(`NOT ${fullMatch(dialect, col, `.*:${DEFAULT_PORT[rule.scheme]}`)}`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
}


type ExactSql = { readonly exact: string; readonly index: number; readonly source: string };

function ruleSql(dialect: SqlDialect, col: string, rule: OriginRule, tier: string): RuleSql | ExactSql {
  switch (rule.kind) {
    case 'null':
      return { exact: 'null', index: rule.index, source: rule.source };
    case 'app':
      // An app origin is canonical by validation and matched by equality only: an IN-list value.
      return { exact: rule.source, index: rule.index, source: rule.source };
    case 'regexp': {
      // corset tries a RegExp rule on canonical origins only (src/engine/rule-front.ts).
      const condition = regexpRuleSql(dialect, col, rule, tier);
      return { index: rule.index, source: rule.source, condition: `(${canonicalOriginSql(dialect, col)} AND ${condition})` };
    }
    case 'tuple': {
      if (rule.host.kind === 'exact' && rule.port.kind !== 'any') {
        const port = rule.port.kind === 'exact' ? `:${rule.port.port}` : '';
        return { exact: `${rule.scheme}://${rule.host.host}${port}`, index: rule.index, source: rule.source };
      }
      return { index: rule.index, source: rule.source, condition: tupleCondition(dialect, col, rule) };
    }
  }
}

/** One tier of rules (origins, or credentialedOrigins) as SQL pieces. */
interface TierSql {
  /** Exact values, `null` only with allowNullOrigin. */
  readonly exact: readonly ExactSql[];
  readonly other: readonly RuleSql[];
  /** origins: '*': every canonical origin. */
  readonly any: boolean;
}

function tierSql(dialect: SqlDialect, col: string, rules: readonly OriginRule[] | 'any', allowNullOrigin: boolean, tier: string): TierSql {
  if (rules === 'any') return { exact: [], other: [], any: true };
  const parts = rules.map((r) => ruleSql(dialect, col, r, tier));
  // `null` is allowed only with allowNullOrigin, whatever the list says.
  const exact = parts.filter((r): r is ExactSql => 'exact' in r && (r.exact !== 'null' || allowNullOrigin));
  const other = parts.filter((r): r is RuleSql => 'condition' in r);
  return { exact, other, any: false };
}

/** The tier's boolean, or null when it allows nothing. */
function tierAllowed(dialect: SqlDialect, col: string, t: TierSql): string | null {
  if (t.any) return canonicalOriginSql(dialect, col);
  const terms: string[] = [];
  // An exact value is canonical by construction: it equals a validated serialization.
  if (t.exact.length > 0) terms.push(`${col} IN (${[...new Set(t.exact.map((r) => r.exact))].map((s) => literal(dialect, s)).join(', ')})`);
  if (t.other.length > 0) terms.push(`(length(${col}) <= ${MAX_ORIGIN_LENGTH} AND (${t.other.map((r) => r.condition).join(' OR ')}))`);
  return terms.length === 0 ? null : terms.join(' OR ');
}

/** The result of a tier's CASE for an allowing rule. */
interface CaseResult {
  /** The result for rule `index` written `source`. */
  of(index: number, source: string): string;
  /**
   * For a long run of exact origins: SQL giving the result of a value equal to one of them whose
   * rule is written in canonical form (`source` is the value itself), or null when the result
   * needs the rule (then `exactColumns` must be given).
   */
  readonly ofValue: string | null;
}

/** Exact origins in a run shorter than this are written one WHEN each (readable output). */
const SHORT_RUN = 4;

/**
 * The tier's earliest allowing rule as a CASE (in `origins` order, as matchOrigin), each WHEN
 * giving `result`; null when the tier allows nothing.
 *
 * Exact origins stay fast at 100 000: between two pattern rules, the run of exact origins is one
 * hashed `IN (...)` list (answered by the value itself when each is written in canonical form),
 * or, with `exactColumns` (the audit, which joins the tier's exact origins as a table), one
 * comparison of the joined rule index. So a value costs one lookup per run, not one compare per
 * origin.
 */
function tierCase(
  dialect: SqlDialect,
  col: string,
  t: TierSql,
  result: CaseResult,
  exactColumns: { readonly index: string; readonly id: string } | null = null,
): string | null {
  if (t.any) return `CASE WHEN ${canonicalOriginSql(dialect, col)} THEN ${result.of(-1, '*')} END`;
  const exacts = earliestExacts(t.exact);
  const others = [...t.other].sort((a, b) => a.index - b.index);
  if (exacts.length === 0 && others.length === 0) return null;
  const lengthGuard = `length(${col}) <= ${MAX_ORIGIN_LENGTH}`;
  const whens: string[] = [];
  let next = 0;
  /** The exact origins whose rule comes before `end`, as WHENs. */
  const exactRun = (end: number): void => {
    const start = next;
    while (next < exacts.length && (exacts[next] as ExactSql).index < end) next++;
    if (next === start) return;
    if (exactColumns !== null) {
      whens.push(`WHEN ${exactColumns.index} < ${end === Number.POSITIVE_INFINITY ? 2 ** 31 : end} THEN ${exactColumns.id}`);
      return;
    }
    const run = exacts.slice(start, next);
    const canonical = result.ofValue === null || run.length < SHORT_RUN ? [] : run.filter((r) => r.source === r.exact);
    for (const r of run) {
      if (!canonical.includes(r)) whens.push(`WHEN ${col} = ${literal(dialect, r.exact)} THEN ${result.of(r.index, r.source)}`);
    }
    if (canonical.length > 0) whens.push(`WHEN ${col} IN (${canonical.map((r) => literal(dialect, r.exact)).join(', ')}) THEN ${result.ofValue}`);
  };
  for (const r of others) {
    exactRun(r.index);
    whens.push(`WHEN ${lengthGuard} AND ${r.condition} THEN ${result.of(r.index, r.source)}`);
  }
  exactRun(Number.POSITIVE_INFINITY);
  return `CASE ${whens.join(' ')} END`;
}

/** The earliest rule of each exact value, in rule order (a later duplicate never answers). */
function earliestExacts(exact: readonly ExactSql[]): ExactSql[] {
  const first = new Map<string, ExactSql>();
  for (const r of exact) {
    const known = first.get(r.exact);
    if (known === undefined || r.index < known.index) first.set(r.exact, r);
  }
  return [...first.values()].sort((a, b) => a.index - b.index);
}

function validated(policy: CorsPolicyInit, options: ToSqlOptions): ValidatedPolicy {
  if (options === null || typeof options !== 'object') throw new TypeError('corset: toSql(policy, options): options must be an object');
  const { dialect, column } = options;
  if (!SQL_DIALECTS.includes(dialect)) {
    throw new TypeError(`corset: toSql: dialect must be one of ${SQL_DIALECTS.join(', ')}, got ${String(dialect)}`);
  }
  if (typeof column !== 'string' || column.trim() === '') throw new TypeError('corset: toSql: column must be a non-empty string');
  if (typeof policy === 'object' && policy !== null && typeof (policy as { decide?: unknown }).decide === 'function' && !('origins' in policy)) {
    throw new TypeError('corset: toSql: got a compiled CorsPolicy, which does not keep its rules; pass the CorsPolicyInit you compiled it from');
  }
  const { policy: valid, issues } = validatePolicy(policy);
  if (valid === null) throw new PolicyError(issues);
  return valid;
}

/** The two tiers of a validated policy: the credentialed one (or null), then `origins`. */
function tiersOf(dialect: SqlDialect, col: string, p: ValidatedPolicy): { credentialed: TierSql | null; origins: TierSql } {
  return {
    credentialed: p.credentialedOrigins === null ? null : tierSql(dialect, col, p.credentialedOrigins, p.allowNullOrigin, 'credentialedOrigins'),
    origins: tierSql(dialect, col, p.origins.kind === 'any' ? 'any' : p.origins.rules, p.allowNullOrigin, 'origins'),
  };
}

/**
 * The policy's origin rules as an SQL expression (see the module comment). A tiered policy
 * allows the union of its tiers, and `matched` gives the credentialed tier's pattern first, as
 * matchOrigin; `origins: '*'` allows every canonical origin and is matched as `*`.
 */
export function toSql(policy: CorsPolicyInit, options: ToSqlOptions): string {
  const p = validated(policy, options);
  const { dialect, matched = false } = options;
  const col = `(${options.column})`;
  const { credentialed, origins } = tiersOf(dialect, col, p);
  const tiers = credentialed === null ? [origins] : [credentialed, origins];
  if (!matched) {
    const terms = tiers.map((t) => tierAllowed(dialect, col, t)).filter((t): t is string => t !== null);
    return terms.length === 0 ? 'FALSE' : `COALESCE(${terms.join(' OR ')}, FALSE)`;
  }
  const bySource: CaseResult = { of: (_, source) => literal(dialect, source), ofValue: col };
  const cases = tiers.map((t) => tierCase(dialect, col, t, bySource)).filter((t): t is string => t !== null);
  if (cases.length === 0) return `CAST(NULL AS ${dialect === 'bigquery' ? 'STRING' : 'VARCHAR'})`;
  return cases.length === 1 ? (cases[0] as string) : `COALESCE(${cases.join(', ')})`;
}

/** A tier's exact origins as rows of a table the audit joins on the value. */
export interface AuditExactTable {
  /** The table's name in the audit's query (its columns: origin, idx, id). */
  readonly name: string;
  /** [serialized origin, rule index, verdict id]: the earliest rule of each value. */
  readonly rows: readonly (readonly [string, number, number])[];
}

/**
 * For `corset audit --engine duckdb` (src/cli/audit-duckdb.ts): the verdict of each value as an
 * integer, numbered as the audit numbers patterns (the list's rules by index, then the
 * credentialed tier's from `credentialedBase`, then `anyId` for `*`), or NULL when the SQL does
 * not allow it; and the canonical-origin predicate (where it is false, the SQL may deny what
 * corset allows: the audit asks corset about those values). `exact` is false when a rule could
 * not be written in this dialect (it is left out, so every allowed value must be asked too).
 * Each tier's exact origins are a table (`tables`, named from `prefix`) that the query must LEFT
 * JOIN on the value (`origin`): the verdict reads its `idx` and `id` (one hash join, however long
 * the list).
 */
export function auditSql(
  p: ValidatedPolicy,
  dialect: SqlDialect,
  column: string,
  ids: { readonly credentialedBase: number; readonly anyId: number },
  prefix: string,
): { readonly verdict: string; readonly canonical: string; readonly exact: boolean; readonly tables: readonly AuditExactTable[] } {
  const col = `(${column})`;
  let exact = true;
  const without = (rules: readonly OriginRule[], tier: string): TierSql => {
    const kept = rules.filter((r) => {
      try {
        ruleSql(dialect, col, r, tier);
        return true;
      } catch (err) {
        if (!(err instanceof SqlExportError)) throw err;
        exact = false;
        return false;
      }
    });
    return tierSql(dialect, col, kept, p.allowNullOrigin, tier);
  };
  const tables: AuditExactTable[] = [];
  const tierVerdict = (t: TierSql, name: string, id: (index: number) => number): string | null => {
    const rows = earliestExacts(t.exact).map((r) => [r.exact, r.index, id(r.index)] as const);
    if (rows.length > 0) tables.push({ name, rows });
    const columns = rows.length > 0 ? { index: `${name}.idx`, id: `${name}.id` } : null;
    return tierCase(dialect, col, t, { of: (i) => String(id(i)), ofValue: null }, columns);
  };
  const origins = p.origins.kind === 'any' ? tierSql(dialect, col, 'any', p.allowNullOrigin, 'origins') : without(p.origins.rules, 'origins');
  const credentialed = p.credentialedOrigins === null ? null : without(p.credentialedOrigins, 'credentialedOrigins');
  const cases = [
    credentialed === null ? null : tierVerdict(credentialed, `${prefix}_c`, (i) => ids.credentialedBase + i),
    tierVerdict(origins, `${prefix}_o`, (i) => (i < 0 ? ids.anyId : i)),
  ].filter((c): c is string => c !== null);
  const verdict = cases.length === 0 ? 'CAST(NULL AS INTEGER)' : cases.length === 1 ? (cases[0] as string) : `COALESCE(${cases.join(', ')})`;
  return { verdict, canonical: canonicalOriginSql(dialect, col), exact, tables };
}
