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

/**
 * The tier's earliest allowing rule as a CASE (in `origins` order, as matchOrigin), each WHEN
 * giving `result(index, source)`; null when the tier allows nothing.
 */
function tierCase(dialect: SqlDialect, col: string, t: TierSql, result: (index: number, source: string) => string): string | null {
  if (t.any) return `CASE WHEN ${canonicalOriginSql(dialect, col)} THEN ${result(-1, '*')} END`;
  const ordered = [...t.exact, ...t.other].sort((a, b) => a.index - b.index);
  if (ordered.length === 0) return null;
  const lengthGuard = `length(${col}) <= ${MAX_ORIGIN_LENGTH}`;
  const whens = ordered.map((r) =>
    'exact' in r
      ? `WHEN ${col} = ${literal(dialect, r.exact)} THEN ${result(r.index, r.source)}`
      : `WHEN ${lengthGuard} AND ${r.condition} THEN ${result(r.index, r.source)}`,
  );
  return `CASE ${whens.join(' ')} END`;
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
  const cases = tiers.map((t) => tierCase(dialect, col, t, (_, source) => literal(dialect, source))).filter((t): t is string => t !== null);
  if (cases.length === 0) return 'CAST(NULL AS VARCHAR)';
  return cases.length === 1 ? (cases[0] as string) : `COALESCE(${cases.join(', ')})`;
}

/**
 * For `corset audit --engine duckdb` (src/cli/audit-duckdb.ts): the verdict of each value as an
 * integer, numbered as the audit numbers patterns (the list's rules by index, then the
 * credentialed tier's from `credentialedBase`, then `anyId` for `*`), or NULL when the SQL does
 * not allow it; and the canonical-origin predicate (where it is false, the SQL may deny what
 * corset allows: the audit asks corset about those values). `exact` is false when a rule could
 * not be written in this dialect (it is left out, so every allowed value must be asked too).
 */
export function auditSql(
  p: ValidatedPolicy,
  dialect: SqlDialect,
  column: string,
  ids: { readonly credentialedBase: number; readonly anyId: number },
): { readonly verdict: string; readonly canonical: string; readonly exact: boolean } {
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
  const origins = p.origins.kind === 'any' ? tierSql(dialect, col, 'any', p.allowNullOrigin, 'origins') : without(p.origins.rules, 'origins');
  const credentialed = p.credentialedOrigins === null ? null : without(p.credentialedOrigins, 'credentialedOrigins');
  const cases = [
    credentialed === null ? null : tierCase(dialect, col, credentialed, (i) => String(ids.credentialedBase + i)),
    tierCase(dialect, col, origins, (i) => String(i < 0 ? ids.anyId : i)),
  ].filter((c): c is string => c !== null);
  const verdict = cases.length === 0 ? 'CAST(NULL AS INTEGER)' : cases.length === 1 ? (cases[0] as string) : `COALESCE(${cases.join(', ')})`;
  return { verdict, canonical: canonicalOriginSql(dialect, col), exact };
}
