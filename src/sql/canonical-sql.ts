// "Is this value a canonical serialized tuple origin?" as SQL: true exactly when the fast scan of
// src/origin/canonical-origin.ts answers YES (test/sql-canonical.test.ts holds the two equal on
// fuzzed values in DuckDB). The values that scan leaves UNSURE for the URL parser (IPv6 hosts,
// `xn--` labels, empty labels, ASCII such as `_` that a browser never sends) are false here:
// their canonical form cannot be checked in SQL. So the predicate never says yes to a value that
// is not canonical, and says no to a few rare ones that are (docs/sql.md lists them).
import { MAX_HOST_LENGTH, MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import { fullMatch, removeAll, type SqlDialect } from './dialect.js';

/** One label of `[a-z0-9-]`, not starting with `xn--` (any length: the URL parser sets none). */
const LABEL_ANY_LENGTH = '(?:[a-wyz0-9-][a-z0-9-]*|x(?:[a-mo-z0-9-][a-z0-9-]*)?|xn(?:[a-z0-9][a-z0-9-]*)?|xn-(?:[a-z0-9][a-z0-9-]*)?)';
/** A canonical port: 0-65535 without leading zeros (URL §4.4 port state). */
export const PORT = '(?:[0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
/** The five special schemes whose URLs have tuple origins (URL §4.7). */
const SCHEME = '(?:https?|wss?|ftp)://';
/** An IPv4 part as the URL §3.6 IPv4 serializer prints it: 0-255, no leading zero. */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';

/** The canonical-origin predicate over `col` (an SQL expression, parenthesised by the caller). */
export function canonicalOriginSql(dialect: SqlDialect, col: string): string {
  const port = `(?::${PORT})?`;
  const shape = fullMatch(dialect, col, `${SCHEME}(?:${LABEL_ANY_LENGTH}\\.)*${LABEL_ANY_LENGTH}\\.?${port}`);
  // The host is at most 253 bytes, 254 with a trailing dot (src/origin/limits.ts).
  const host = removeAll(dialect, col, '^[a-z]+://|:[0-9]+$');
  const hostLength = `(length(${host}) <= ${MAX_HOST_LENGTH} OR (length(${host}) = ${MAX_HOST_LENGTH + 1} AND ${fullMatch(dialect, col, '[^:]*[.](?::[0-9]+)?')}))`;
  // Origin serialization omits the scheme's default port (URL §4.1 default port).
  const defaultPort = fullMatch(dialect, col, '(?:(?:https|wss)://.*:443|(?:http|ws)://.*:80|ftp://.*:21)');
  // URL §3.5 host parser step 10: a host whose last label "ends in a number" is IPv4, canonical
  // only as a dotted quad of canonical parts without a trailing dot.
  const endsInNumber = fullMatch(dialect, col, `${SCHEME}(?:[^:]*[.])?(?:[0-9]+|0x[0-9a-f]*)[.]?(?::[0-9]+)?`);
  const dottedQuad = fullMatch(dialect, col, `${SCHEME}${OCTET}(?:[.]${OCTET}){3}${port}`);
  return `(length(${col}) <= ${MAX_ORIGIN_LENGTH} AND ${shape} AND ${hostLength} AND NOT ${defaultPort} AND (NOT ${endsInNumber} OR ${dottedQuad}))`;
}
