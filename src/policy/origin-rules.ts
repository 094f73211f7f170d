// The origin entries of a policy (`origins`, `credentialedOrigins`): each string, RegExp or
// `"null"` entry checked and turned into an OriginRule (src/policy/rules.ts), with the security
// refusals (public-suffix wildcards, http:// with credentials) and the overlap lints per list.
import type { HostSpec, OriginRule, TupleRule } from './rules.js';
import { registrableDomain } from '../origin/site.js';
import { describeType, quote } from './issues.js';
import { canonicalExactRule, formatOriginPattern, parseOriginPattern } from './pattern.js';
import { errorText, type Issues } from './issue-collector.js';
import { isRegExp, validateOriginRegExp } from './regexp-rule.js';
import { lintDuplicatesAndShadows } from './overlap-lints.js';
import { validateAppOrigin } from './app-origin-rule.js';
import { rememberExactIndex } from './exact-index.js';

/** The flags that decide what the origin entries may be. */
export interface OriginContext {
  readonly credentials: boolean;
  readonly allowNullOrigin: boolean;
  readonly allowInsecureOrigins: boolean;
  readonly allowPublicSuffixWildcards: boolean;
  readonly allowUnanchoredRegExp: boolean;
}

/**
 * Validate one list of origin entries (`origins`, or `credentialedOrigins` with credentials on
 * and RegExps refused). Returns the rules, or null when an entry is in error.
 */
export function validateOriginList(
  list: readonly unknown[],
  listPath: 'origins' | 'credentialedOrigins',
  context: OriginContext,
  allowRegExp: boolean,
  issues: Issues,
): readonly OriginRule[] | null {
  const before = issues.errors;
  const rules: OriginRule[] = [];
  const n = list.length;
  if (n === 0) {
    issues.add(
      'origins-empty',
      listPath,
      `corset: ${listPath}: [] allows no cross-origin request at all${listPath === 'origins' ? ' (same-origin requests never need CORS)' : ''}; list the origins to allow`,
    );
  }
  for (let i = 0; i < n; i++) {
    const path = `${listPath}[${i}]`;
    let entry: unknown;
    try {
      entry = list[i];
    } catch (e) {
      issues.add('policy-unreadable', path, `corset: ${path}: reading it threw: ${errorText(e)}`);
      continue;
    }
    const rule =
      typeof entry === 'string'
        ? validateOriginString(entry, i, path, context, issues)
        : isRegExp(entry)
          ? allowRegExp
            ? validateOriginRegExp(entry, i, path, context, issues)
            : refuseRegExpWithCredentials(entry, path, issues)
          : refuseOriginType(entry, path, allowRegExp, issues);
    if (rule !== null) rules.push(rule);
  }
  const exactIndex = lintDuplicatesAndShadows(rules, listPath, issues);
  if (issues.errors !== before) return null;
  const frozen = Object.freeze(rules);
  if (exactIndex !== null) rememberExactIndex(frozen, exactIndex);
  return frozen;
}

function refuseOriginType(entry: unknown, path: string, allowRegExp: boolean, issues: Issues): null {
  issues.add(
    'invalid-type',
    path,
    `corset: ${path}: must be an origin pattern string${allowRegExp ? ' or a RegExp' : ''}, got ${describeType(entry)}`,
  );
  return null;
}

function refuseRegExpWithCredentials(entry: RegExp, path: string, issues: Issues): null {
  issues.add(
    'invalid-type',
    path,
    `corset: ${path}: ${quote(entry)} is a RegExp: for security reasons, credentialedOrigins takes exact origins and wildcard patterns only, whose meaning corset can check`,
  );
  return null;
}

function validateOriginString(entry: string, index: number, path: string, context: OriginContext, issues: Issues): OriginRule | null {
  // The common case first: an exact https origin (or http without credentials) in canonical form,
  // which no check below can refuse (public suffixes concern wildcards; the insecure-origin rule,
  // http with credentials, takes the full path).
  const canonical = canonicalExactRule(entry, index);
  if (canonical !== null && (canonical.scheme === 'https' || !context.credentials)) return canonical;
  // Built only for a message: most entries of a long list have none.
  const where = (): string => `corset: ${path}: ${quote(entry)}`;
  if (entry === '*') {
    issues.add(
      'wildcard-in-list',
      path,
      path.startsWith('credentialedOrigins')
        ? `${where()} is not a pattern: for security reasons, credentials are never given to every origin; list the origins`
        : `${where()} inside the list is not a pattern: to allow every origin, write origins: '*' (the whole value)`,
    );
    return null;
  }
  if (entry === 'null') {
    if (!context.allowNullOrigin) {
      issues.add(
        'null-origin',
        path,
        `${where()}: for security reasons, the opaque origin is refused unless allowNullOrigin: true: any page can send \`Origin: null\` (a sandboxed iframe, a data: URL, a redirect), so allowing it allows anyone`,
      );
      return null;
    }
    return { kind: 'null', index, source: entry };
  }
  if (entry.length === 4 && entry.toLowerCase() === 'null') {
    issues.add('pattern-unparsable', path, `${where()}: the opaque origin is written "null", in lower case, as browsers send it`);
    return null;
  }
  const parsed = parseOriginPattern(entry);
  if ('error' in parsed) {
    // Not http(s): maybe the exact origin of an app or extension (./app-origin-rule.ts).
    const code = parsed.error.code;
    const app = code === 'pattern-scheme' || code === 'pattern-no-scheme' ? validateAppOrigin(entry, index, path, issues) : undefined;
    if (app !== undefined) return app;
    issues.add(parsed.error.code, path, `${where()} ${parsed.error.message}`);
    return null;
  }
  const { scheme, host, port } = parsed.rule;
  const rule: TupleRule = { kind: 'tuple', index, source: entry, scheme, host, port };
  let ok = true;

  // Wildcards over a public suffix (the PSL via tldts, private section included).
  const base = wildcardBase(rule.host);
  if (base !== null && !context.allowPublicSuffixWildcards && isPublicSuffixOrTopLevel(base)) {
    ok = false;
    const written = formatOriginPattern(rule);
    issues.add(
      'public-suffix-wildcard',
      path,
      `${where()}: for security reasons, a wildcard may not range over the public suffix ${quote(base)}: anyone can register a name under it (${written} allows sites owned by strangers); name your own domain (https://*.yourname.${base}), or set allowPublicSuffixWildcards: true if every name under it is yours`,
    );
  }

  // http:// with credentials: anyone on the network path can impersonate the origin.
  if (context.credentials && rule.scheme === 'http' && !isLoopbackHost(rule.host) && !context.allowInsecureOrigins) {
    ok = false;
    issues.add(
      'insecure-origin',
      path,
      `${where()}: for security reasons, an http:// origin gets no credentials: anyone on the network path can impersonate it and read the response; use https://, or set allowInsecureOrigins: true (loopback hosts such as localhost and 127.0.0.1 are exempt)`,
    );
  }
  return ok ? rule : null;
}

/** The fixed domain a wildcard ranges over: `*.S` gives S, a glob gives its right part. */
function wildcardBase(host: HostSpec): string | null {
  if (host.kind === 'subdomains') return host.suffix;
  if (host.kind === 'glob') return host.right;
  return null;
}

/**
 * A domain with no registrable domain of its own (URL §3.2, via the PSL with private domains):
 * a public suffix (`com`, `co.uk`, `github.io`) or a lone unknown top-level label. `localhost`
 * is exempt: its names are all loopback (RFC 6761 §6.3).
 */
function isPublicSuffixOrTopLevel(domain: string): boolean {
  if (isLocalhostName(domain)) return false;
  return registrableDomain(domain) === null;
}

/** `localhost`, `localhost.`, and names under them. */
function isLocalhostName(host: string): boolean {
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  return bare === 'localhost' || bare.endsWith('.localhost');
}

/**
 * Secure Contexts §3.1 "Is origin potentially trustworthy?", the loopback steps: the host is in
 * 127.0.0.0/8 or is ::1, or is `localhost`, `localhost.` or a name under them. For a wildcard,
 * every host it matches must be loopback.
 */
function isLoopbackHost(host: HostSpec): boolean {
  switch (host.kind) {
    case 'exact':
      return host.host === '[::1]' || isLocalhostName(host.host) || /^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(host.host);
    case 'subdomains':
      return isLocalhostName(host.suffix);
    case 'glob':
      return isLocalhostName(host.right);
  }
}
