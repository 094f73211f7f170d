// The name lists of a policy: `methods`, `allowHeaders` and `exposeHeaders`, each '*' or a list
// of names checked against Fetch (tokens, forbidden names, method normalisation) and de-duplicated.
import { isForbiddenMethod, isMethodToken, normalizeMethod } from '../fetch/methods.js';
import { isForbiddenRequestHeader, isForbiddenResponseHeaderName, isHeaderName } from '../fetch/header-names.js';
import { CORS_NON_WILDCARD_REQUEST_HEADER_NAME } from '../fetch/header-list.js';
import { describeType, quote } from './issues.js';
import { errorText, type Issues } from './issue-collector.js';

export type NameListPath = 'methods' | 'allowHeaders' | 'exposeHeaders';

export function validateNames(
  value: unknown,
  path: NameListPath,
  credentials: boolean,
  tiered: boolean,
  issues: Issues,
): readonly string[] | '*' | null {
  if (value === undefined) return Object.freeze([]);
  const noun = path === 'methods' ? 'method' : 'header';
  if (value === '*') {
    if (credentials) {
      issues.add(
        'wildcard-with-credentials',
        path,
        `corset: ${path}: "*" with credentials: true: browsers read "*" as a literal ${noun} name in a credentialed response (Fetch, CORS protocol, "HTTP responses"), so it would allow no ${noun} at all; list the ${noun}s`,
      );
      return null;
    }
    if (tiered) {
      issues.add(
        'wildcard-literal-for-credentialed',
        path,
        `corset: ${path}: "*" in a tiered policy: for the credentialedOrigins, browsers read "*" as a literal ${noun} name (Fetch, CORS protocol, "HTTP responses"), so their credentialed requests may use safelisted ${noun}s only; list the ${noun}s to allow them more`,
      );
    }
    return '*';
  }
  if (!Array.isArray(value)) {
    issues.add('invalid-type', path, `corset: ${path} must be '*' or an array of ${noun} names, got ${describeType(value)}`);
    return null;
  }
  const before = issues.errors;
  const out: string[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < value.length; i++) {
    const at = `${path}[${i}]`;
    let name: unknown;
    try {
      name = value[i];
    } catch (e) {
      issues.add('policy-unreadable', at, `corset: ${at}: reading it threw: ${errorText(e)}`);
      continue;
    }
    if (typeof name !== 'string') {
      issues.add('invalid-type', at, `corset: ${at}: must be a ${noun} name string, got ${describeType(name)}`);
      continue;
    }
    if (name === '*' && path !== 'methods' && value.length > 1) {
      // `*` beside names (allowHeaders: ['*', 'authorization']): see starBesideNames.
      if (!starBesideNames(path, at, credentials, tiered, issues)) continue;
      if (seen.has('*')) {
        issues.add('duplicate-name', at, `corset: ${at}: "*" is listed already at ${path}[${seen.get('*')}]`);
        continue;
      }
      seen.set('*', i);
      out.push('*');
      continue;
    }
    const normalised = path === 'methods' ? checkMethod(name, at, issues) : checkHeaderName(name, at, path, issues);
    if (normalised === null) continue;
    const earlier = seen.get(normalised);
    if (earlier !== undefined) {
      issues.add(
        'duplicate-name',
        at,
        `corset: ${at}: ${quote(name)} is listed already at ${path}[${earlier}]${normalised === name ? '' : ` (both are ${quote(normalised)})`}`,
      );
      continue;
    }
    seen.set(normalised, i);
    out.push(normalised);
  }
  if (issues.errors !== before) return null;
  if (path !== 'methods' && seen.has('*') && !credentials && !tiered) warnCoveredByStar(out, path, seen, issues);
  return Object.freeze(out);
}

/**
 * `*` together with header names. Without credentials `*` is a wildcard to the browser, and the
 * names say what it does not cover: Fetch §4.8 "CORS-preflight fetch", step 7.6 ("If any item in
 * headerNames is a CORS non-wildcard request-header name and is not a byte-case-insensitive match
 * for an item in headerNames ... return a network error": `*` never covers `Authorization`,
 * Fetch §2.2.2). With credentials `*` is a literal name (Fetch §3.3.3), so it is refused as the
 * whole value is; in a tiered policy the anonymous tier answers `*` plus the names `*` does not
 * cover, and the credentialed origins get the names alone. Whether the entry is kept.
 */
function starBesideNames(path: 'allowHeaders' | 'exposeHeaders', at: string, credentials: boolean, tiered: boolean, issues: Issues): boolean {
  if (credentials && !tiered) {
    issues.add(
      'wildcard-with-credentials',
      at,
      `corset: ${at}: "*" with credentials: true: browsers read "*" as a literal header name in a credentialed response (Fetch, CORS protocol, "HTTP responses"), so it would allow no header at all; list the headers in ${path}`,
    );
    return false;
  }
  return true;
}

/**
 * Names beside `*` that `*` already covers, when every answer is anonymous. allowHeaders: every
 * name but a CORS non-wildcard request-header name (`authorization`, Fetch §2.2.2). exposeHeaders:
 * every name, because with credentials mode other than "include" a `*` exposes every header of
 * the response (Fetch §4.1 "main fetch": "If request's credentials mode is not "include" and
 * headerNames contains `*`, set response's CORS-exposed header-name list to all unique header
 * names in response's header list") except
 * the forbidden response-header names, which no list can expose either (Fetch §2.2.2).
 */
function warnCoveredByStar(names: readonly string[], path: 'allowHeaders' | 'exposeHeaders', seen: ReadonlyMap<string, number>, issues: Issues): void {
  for (const name of names) {
    if (name === '*') continue;
    if (path === 'allowHeaders' && name === CORS_NON_WILDCARD_REQUEST_HEADER_NAME) continue;
    const at = `${path}[${seen.get(name)}]`;
    issues.add(
      'name-covered-by-wildcard',
      at,
      `corset: ${at}: ${quote(name)} is covered by "*" in the same list (without credentials "*" allows every ${path === 'allowHeaders' ? 'request header but authorization' : 'response header'}, Fetch §3.3.3); remove it, or keep it for a tiered policy's credentialedOrigins`,
    );
  }
}

/** A method entry: a token, not forbidden; normalised (Fetch §2.2.1). */
function checkMethod(name: string, at: string, issues: Issues): string | null {
  const where = `corset: ${at}: ${quote(name)}`;
  if (name === '*') {
    issues.add('wildcard-in-list', at, `${where} inside the list is not a method: to allow every method, write methods: '*' (the whole value)`);
    return null;
  }
  if (!isMethodToken(name)) {
    issues.add('invalid-method', at, `${where} is not a method: a method is an HTTP token (RFC 9110 §9.1: letters, digits and !#$%&'*+-.^_\`|~)`);
    return null;
  }
  if (isForbiddenMethod(name)) {
    issues.add(
      'forbidden-method',
      at,
      `${where} is a forbidden method (Fetch §2.2.1): for security reasons, browsers never send CONNECT, TRACE or TRACK, so listing it only hides a mistake; remove it`,
    );
    return null;
  }
  const normalised = normalizeMethod(name);
  if (normalised === name && /[a-z]/.test(name)) {
    issues.add(
      'method-not-normalized',
      at,
      `${where} has lower-case letters and Fetch normalises only DELETE, GET, HEAD, OPTIONS, POST and PUT (Fetch §2.2.1): methods are case-sensitive, so this allows only a page that writes exactly ${quote(name)}; most write ${quote(name.toUpperCase())}`,
    );
  }
  return normalised;
}

/** A header-name entry: a token, lower-cased; refusing what browsers never send or expose. */
function checkHeaderName(name: string, at: string, path: 'allowHeaders' | 'exposeHeaders', issues: Issues): string | null {
  const where = `corset: ${at}: ${quote(name)}`;
  if (name === '*') {
    issues.add('wildcard-in-list', at, `${where} inside the list is not a header name: to allow every header, write ${path}: '*' (the whole value)`);
    return null;
  }
  if (!isHeaderName(name)) {
    issues.add('invalid-header-name', at, `${where} is not a header name: a header name is an HTTP token (RFC 9110 §5.1: letters, digits and !#$%&'*+-.^_\`|~, no spaces or colons)`);
    return null;
  }
  if (path === 'allowHeaders' && isForbiddenRequestHeader(name, '')) {
    const cookie = /^cookie2?$/i.test(name) ? ' (cookies travel with credentials: true, not as an allowed header)' : '';
    issues.add(
      'forbidden-request-header',
      at,
      `${where} is a forbidden request-header (Fetch §2.2.2): browsers never let a page set it, so it never appears in a preflight${cookie}; remove it`,
    );
    return null;
  }
  if (path === 'exposeHeaders' && isForbiddenResponseHeaderName(name)) {
    issues.add(
      'forbidden-response-header',
      at,
      `${where} is a forbidden response-header name (Fetch §2.2.2): for security reasons, browsers never expose cookies to scripts, whatever the server says; remove it`,
    );
    return null;
  }
  return name.toLowerCase();
}
