// decide(), the CORS protocol on the server side, against hand-built validated policies and a plain
// reference matcher written here (so these tests need neither the validator nor an engine; the
// whole pipeline is covered by test/compile.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDecide, MAX_METHOD_LENGTH, type Decide } from '../src/decide/decide.js';
import { DECISION_REASONS } from '../src/decide/reasons.js';
import { newExtraOrigin, type ExtraDenial, type ExtraOrigin, type ExtraOrigins } from '../src/decide/extra-origins.js';
import { VARY_PREFLIGHT } from '../src/decide/headers.js';
import { MAX_ORIGIN_LENGTH } from '../src/origin/limits.js';
import { parseOrigin, parseOriginHeader } from '../src/origin/origin.js';
import {
  MATCH_INVALID,
  MATCH_NONE,
  type OriginMatcher,
  type OriginRule,
  type OriginSet,
  type ValidatedPolicy,
} from '../src/policy/rules.js';
import type { CorsDecision, CorsRequest } from '../src/types.js';
import { linearRegExpRule } from '../src/policy/linear-regexp.js';

// ---------------------------------------------------------------------------------------------
// A reference matcher and policy builders
// ---------------------------------------------------------------------------------------------

/** `scheme://host[:port]`, `scheme://*.suffix[:port]`, `:*` ports, `null`, or a RegExp. */
function rule(index: number, source: string | RegExp): OriginRule {
  if (source instanceof RegExp) return linearRegExpRule(index, String(source), source);
  if (source === 'null') return { kind: 'null', index, source };
  const m = /^(https?):\/\/([^:]+)(?::(\*|\d+))?$/.exec(source);
  if (m === null) throw new Error(`rule(${source}): not a test pattern`);
  const [, scheme, host, port] = m as unknown as [string, 'http' | 'https', string, string | undefined];
  return {
    kind: 'tuple',
    index,
    source,
    scheme,
    host: host.startsWith('*.') ? { kind: 'subdomains', suffix: host.slice(2) } : { kind: 'exact', host },
    port: port === undefined ? { kind: 'default' } : port === '*' ? { kind: 'any' } : { kind: 'exact', port: Number(port) },
  };
}

function rules(...sources: (string | RegExp)[]): OriginRule[] {
  return sources.map((s, i) => rule(i, s));
}

/** A plain reference for OriginMatcher: canonical check by parseOriginHeader, then a linear scan. */
function referenceMatcher(list: readonly OriginRule[]): OriginMatcher {
  const match = (o: string): number => {
    if (o === 'null') return list.find((r) => r.kind === 'null')?.index ?? MATCH_NONE;
    const origin = parseOriginHeader(o);
    if (origin === null || origin.opaque) return MATCH_INVALID;
    for (const r of list) {
      if (r.kind === 'regexp' && r.regexp.test(o)) return r.index;
      if (r.kind !== 'tuple' || r.scheme !== origin.scheme) continue;
      const hostOk =
        r.host.kind === 'exact'
          ? origin.host === r.host.host
          : r.host.kind === 'subdomains' && origin.host.endsWith(`.${r.host.suffix}`);
      const portOk =
        r.port.kind === 'any' || (r.port.kind === 'default' ? origin.port === null : origin.port === r.port.port);
      if (hostOk && portOk) return r.index;
    }
    return MATCH_NONE;
  };
  return { match, matchMany: (os) => Uint8Array.from(os, (o) => (match(o) >= 0 ? 1 : 0)) };
}

const BASE: ValidatedPolicy = {
  origins: { kind: 'any' },
  credentials: false,
  credentialedOrigins: null,
  methods: [],
  allowHeaders: [],
  exposeHeaders: [],
  maxAge: null,
  privateNetwork: false,
  preflightStatus: 204,
  deniedPreflightStatus: 403,
  allowNullOrigin: false,
  engine: 'js',
};

function decideFor(over: Partial<ValidatedPolicy>, extra: ExtraOrigins | null = null): Decide {
  const policy: ValidatedPolicy = { ...BASE, ...over };
  return createDecide(policy, {
    origins: policy.origins.kind === 'list' ? referenceMatcher(policy.origins.rules) : null,
    credentialed: policy.credentialedOrigins === null ? null : referenceMatcher(policy.credentialedOrigins),
    extra,
  });
}

/** A live policy's origins beside the rules (src/decide/extra-origins.ts), by fixed answers. */
const ADDED = 'https://added.example';
const EXTRA_ANSWERS = new Map<string, ExtraOrigin | ExtraDenial>([
  [ADDED, newExtraOrigin(ADDED)],
  ['https://pending.example', 'origin-unresolved'],
  ['https://slow.example', 'resolver-timeout'],
  ['https://broken.example', 'resolver-error'],
]);
const EXTRA: ExtraOrigins = {
  first: (origin) => {
    const e = EXTRA_ANSWERS.get(origin);
    return typeof e === 'object' && !e.shadowed ? e : undefined;
  },
  lookup: (origin) => EXTRA_ANSWERS.get(origin) ?? null,
};

const listOf = (...sources: (string | RegExp)[]): OriginSet => ({ kind: 'list', rules: rules(...sources) });
const ORIGINS = listOf('https://app.example.com', 'https://*.example.org', 'http://localhost:*');

const POLICIES = {
  public: decideFor({
    methods: ['PUT', 'PATCH'],
    allowHeaders: ['X-Api-Key', 'Content-Type'],
    exposeHeaders: ['X-Total'],
    maxAge: 600,
  }),
  list: decideFor({
    origins: ORIGINS,
    methods: ['PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['x-api-key', 'content-type'],
    exposeHeaders: ['x-total'],
    maxAge: 600,
  }),
  minimal: decideFor({ origins: ORIGINS }),
  credentials: decideFor({
    origins: ORIGINS,
    credentials: true,
    methods: ['PUT'],
    allowHeaders: ['x-api-key', 'authorization'],
    exposeHeaders: ['x-total'],
  }),
  credentialsStars: decideFor({
    origins: ORIGINS,
    credentials: true,
    methods: '*',
    allowHeaders: '*',
    exposeHeaders: '*',
  }),
  stars: decideFor({ origins: ORIGINS, methods: '*', allowHeaders: '*', exposeHeaders: '*' }),
  starsAndAuthorization: decideFor({ origins: ORIGINS, allowHeaders: ['*', 'authorization'] }),
  tiered: decideFor({
    credentialedOrigins: rules('https://app.example.com'),
    methods: '*',
    allowHeaders: '*',
    exposeHeaders: '*',
    maxAge: 60,
  }),
  optionsMethod: decideFor({ origins: ORIGINS, methods: ['OPTIONS'] }),
  privateNetwork: decideFor({ origins: ORIGINS, privateNetwork: true }),
  nullAllowed: decideFor({ origins: listOf('https://app.example.com', 'null'), allowNullOrigin: true }),
  statuses: decideFor({ origins: ORIGINS, preflightStatus: 200, deniedPreflightStatus: 401 }),
  regexp: decideFor({ origins: listOf(/^https:\/\/[a-z]+\.example\.net$/) }),
  // origins '*' with credentials: validation refuses it; decide still never pairs * with credentials.
  starWithCredentials: decideFor({ credentials: true }),
  live: decideFor({ origins: ORIGINS, credentials: true }, EXTRA),
  liveTiered: decideFor({ credentialedOrigins: rules('https://app.example.com'), maxAge: 60 }, EXTRA),
} satisfies Record<string, Decide>;
type PolicyName = keyof typeof POLICIES;

const APP = 'https://app.example.com';
const VARY_ORIGIN = { vary: 'origin' };
const VARY_PF = { vary: VARY_PREFLIGHT };

const get = (origin: string | null | undefined, extra: Partial<CorsRequest> = {}): CorsRequest => ({
  method: 'GET',
  origin,
  ...extra,
});
const preflight = (origin: string, requestMethod: string, extra: Partial<CorsRequest> = {}): CorsRequest => ({
  method: 'OPTIONS',
  origin,
  requestMethod,
  ...extra,
});

/** An allowed preflight answer of `list` for APP, as a base for rows. */
const LIST_PREFLIGHT = {
  'access-control-allow-origin': APP,
  'access-control-allow-methods': 'PUT, PATCH, DELETE',
  'access-control-allow-headers': 'x-api-key, content-type',
  'access-control-max-age': '600',
  vary: VARY_PREFLIGHT,
};
const LIST_ACTUAL = { 'access-control-allow-origin': APP, 'access-control-expose-headers': 'x-total', vary: 'origin' };
const MIN_PREFLIGHT = { 'access-control-allow-origin': APP, vary: VARY_PREFLIGHT };

type Want = Partial<Omit<CorsDecision, 'headers'>> & { headers?: Record<string, string> };
interface Row {
  desc: string;
  policy: PolicyName;
  req: CorsRequest;
  want: Want;
}

const ok = (headers: Record<string, string>, matched: string | null = APP): Want => ({
  kind: 'actual',
  allowed: true,
  reason: 'ok',
  matched,
  status: null,
  headers,
});
const okPreflight = (headers: Record<string, string>, matched: string | null = APP, status = 204): Want => ({
  kind: 'preflight',
  allowed: true,
  reason: 'ok',
  matched,
  status,
  headers,
});
const denied = (reason: keyof typeof DECISION_REASONS): Want => ({
  kind: 'actual',
  allowed: false,
  reason,
  matched: null,
  status: null,
  headers: VARY_ORIGIN,
});
const deniedPreflight = (reason: keyof typeof DECISION_REASONS, status = 403): Want => ({
  kind: 'preflight',
  allowed: false,
  reason,
  matched: null,
  status,
  headers: VARY_PF,
});

// ---------------------------------------------------------------------------------------------
// Decision tables
// ---------------------------------------------------------------------------------------------

/** Actual-response headers when the policy configures nothing else. */
function VARY_ORIGIN_ACAO(origin: string): Record<string, string> {
  return { 'access-control-allow-origin': origin, vary: 'origin' };
}
const STARS_PREFLIGHT = {
  'access-control-allow-origin': APP,
  'access-control-allow-methods': '*',
  'access-control-allow-headers': '*',
  vary: VARY_PREFLIGHT,
};
const CREDENTIALS_PREFLIGHT = {
  'access-control-allow-origin': APP,
  'access-control-allow-credentials': 'true',
  'access-control-allow-methods': 'PUT',
  'access-control-allow-headers': 'x-api-key, authorization',
  vary: VARY_PREFLIGHT,
};

const HUGE = 'x'.repeat(100 * 1024);
const LONGEST_ORIGIN = `https://${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.:65535`;

const ROWS: Record<string, Row[]> = {
  'not-cors': [
    { desc: 'GET without Origin', policy: 'list', req: get(undefined), want: { kind: 'not-cors', allowed: true, reason: 'not-cors', headers: VARY_ORIGIN } },
    { desc: 'Origin null (absent, not "null")', policy: 'list', req: get(null), want: { kind: 'not-cors', reason: 'not-cors', headers: VARY_ORIGIN } },
    { desc: 'origin key missing altogether', policy: 'public', req: { method: 'POST' }, want: { kind: 'not-cors', headers: VARY_ORIGIN } },
    { desc: 'OPTIONS + ACRM without Origin is no preflight', policy: 'list', req: { method: 'OPTIONS', requestMethod: 'PUT' }, want: { kind: 'not-cors', status: null } },
  ],
  'preflight or actual': [
    { desc: 'OPTIONS + Origin + ACRM is a preflight', policy: 'list', req: preflight(APP, 'PUT'), want: okPreflight(LIST_PREFLIGHT) },
    { desc: 'lower-case "options" normalises to a preflight', policy: 'list', req: { ...preflight(APP, 'PUT'), method: 'options' }, want: okPreflight(LIST_PREFLIGHT) },
    { desc: 'OPTIONS + Origin without ACRM is an actual request (OPTIONS not allowed)', policy: 'list', req: { method: 'OPTIONS', origin: APP }, want: denied('method-not-allowed') },
    { desc: 'plain OPTIONS allowed when the policy lists OPTIONS', policy: 'optionsMethod', req: { method: 'OPTIONS', origin: APP }, want: ok(VARY_ORIGIN_ACAO(APP)) },
    { desc: 'POST + ACRM is an actual request', policy: 'list', req: { method: 'POST', origin: APP, requestMethod: 'PUT' }, want: ok(LIST_ACTUAL) },
    { desc: 'ACRM present but empty: a preflight with an invalid method', policy: 'list', req: preflight(APP, ''), want: deniedPreflight('invalid-method') },
  ],
  methods: [
    { desc: 'safelisted GET with no methods configured', policy: 'minimal', req: preflight(APP, 'GET'), want: okPreflight(MIN_PREFLIGHT) },
    { desc: 'safelisted HEAD', policy: 'minimal', req: preflight(APP, 'HEAD'), want: okPreflight(MIN_PREFLIGHT) },
    { desc: 'safelisted POST', policy: 'minimal', req: preflight(APP, 'POST'), want: okPreflight(MIN_PREFLIGHT) },
    { desc: '"get" normalises to GET', policy: 'minimal', req: preflight(APP, 'get'), want: okPreflight(MIN_PREFLIGHT) },
    { desc: 'PUT not configured', policy: 'minimal', req: preflight(APP, 'PUT'), want: deniedPreflight('method-not-allowed') },
    { desc: 'PATCH configured, "PATCH" requested', policy: 'list', req: preflight(APP, 'PATCH'), want: okPreflight(LIST_PREFLIGHT) },
    { desc: 'PATCH configured, "patch" requested (not normalised, case-sensitive)', policy: 'list', req: preflight(APP, 'patch'), want: deniedPreflight('method-not-allowed') },
    { desc: 'DELETE configured, "delete" requested (normalised)', policy: 'list', req: preflight(APP, 'delete'), want: okPreflight(LIST_PREFLIGHT) },
    { desc: 'ACRM not a token', policy: 'list', req: preflight(APP, 'GE T'), want: deniedPreflight('invalid-method') },
    { desc: 'ACRM with a NUL', policy: 'list', req: preflight(APP, 'PUT\u0000'), want: deniedPreflight('invalid-method') },
    { desc: 'ACRM at the length cap (a token, not allowed)', policy: 'list', req: preflight(APP, 'X'.repeat(MAX_METHOD_LENGTH)), want: deniedPreflight('method-not-allowed') },
    { desc: 'ACRM over the length cap by one', policy: 'list', req: preflight(APP, 'X'.repeat(MAX_METHOD_LENGTH + 1)), want: deniedPreflight('invalid-method') },
    { desc: 'ACRM of 100 KB', policy: 'stars', req: preflight(APP, HUGE), want: deniedPreflight('invalid-method') },
    { desc: 'methods * allows any token', policy: 'stars', req: preflight(APP, 'PROPFIND'), want: okPreflight(STARS_PREFLIGHT) },
    { desc: 'methods * never allows a forbidden method', policy: 'stars', req: preflight(APP, 'CONNECT'), want: deniedPreflight('method-not-allowed') },
    { desc: 'methods * with credentials is literal: PUT refused', policy: 'credentialsStars', req: preflight(APP, 'PUT'), want: deniedPreflight('method-not-allowed') },
    { desc: 'methods * with credentials: safelisted allowed, no * sent', policy: 'credentialsStars', req: preflight(APP, 'GET'), want: okPreflight({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', vary: VARY_PREFLIGHT }) },
    { desc: 'actual PUT allowed by the list', policy: 'list', req: { method: 'PUT', origin: APP }, want: ok(LIST_ACTUAL) },
    { desc: 'actual PROPFIND not in the list', policy: 'list', req: { method: 'PROPFIND', origin: APP }, want: denied('method-not-allowed') },
    { desc: 'actual method not a token', policy: 'list', req: { method: 'G E T', origin: APP }, want: denied('invalid-method') },
    { desc: 'actual method of 100 KB', policy: 'list', req: { method: HUGE, origin: APP }, want: denied('invalid-method') },
  ],
  'request headers': [
    { desc: 'listed names, mixed case and spaces', policy: 'list', req: preflight(APP, 'PUT', { requestHeaders: 'X-API-Key, content-type' }), want: okPreflight(LIST_PREFLIGHT) },
    { desc: 'duplicates and empty elements', policy: 'list', req: preflight(APP, 'PUT', { requestHeaders: ' x-api-key ,, X-API-KEY ,' }), want: okPreflight(LIST_PREFLIGHT) },
    { desc: 'empty value lists nothing', policy: 'list', req: preflight(APP, 'PUT', { requestHeaders: '' }), want: okPreflight(LIST_PREFLIGHT) },
    { desc: 'a name not allowed', policy: 'list', req: preflight(APP, 'PUT', { requestHeaders: 'x-api-key,x-other' }), want: deniedPreflight('headers-not-allowed') },
    { desc: 'a safelisted name (accept) must still be allowed', policy: 'list', req: preflight(APP, 'GET', { requestHeaders: 'accept' }), want: deniedPreflight('headers-not-allowed') },
    { desc: 'not a list of names', policy: 'list', req: preflight(APP, 'PUT', { requestHeaders: 'x api' }), want: deniedPreflight('invalid-request-headers') },
    { desc: 'lone surrogate in a name', policy: 'stars', req: preflight(APP, 'PUT', { requestHeaders: 'x-\udfff' }), want: deniedPreflight('invalid-request-headers') },
    { desc: '1 MB of commas and spaces', policy: 'list', req: preflight(APP, 'PUT', { requestHeaders: ', '.repeat(512 * 1024) }), want: deniedPreflight('request-headers-too-long') },
    { desc: 'allowHeaders * covers any name and sends *', policy: 'stars', req: preflight(APP, 'PUT', { requestHeaders: 'x-anything,x-else' }), want: okPreflight(STARS_PREFLIGHT) },
    { desc: 'allowHeaders * does not cover authorization', policy: 'stars', req: preflight(APP, 'PUT', { requestHeaders: 'x-a,Authorization' }), want: deniedPreflight('headers-not-allowed') },
    { desc: '* plus authorization listed', policy: 'starsAndAuthorization', req: preflight(APP, 'GET', { requestHeaders: 'authorization,x-a' }), want: okPreflight({ 'access-control-allow-origin': APP, 'access-control-allow-headers': '*, authorization', vary: VARY_PREFLIGHT }) },
    { desc: 'allowHeaders * with credentials is literal', policy: 'credentialsStars', req: preflight(APP, 'GET', { requestHeaders: 'x-anything' }), want: deniedPreflight('headers-not-allowed') },
    { desc: 'authorization allowed by name with credentials', policy: 'credentials', req: preflight(APP, 'PUT', { requestHeaders: 'authorization' }), want: okPreflight(CREDENTIALS_PREFLIGHT) },
    { desc: 'ACRH ignored on an actual request', policy: 'list', req: get(APP, { requestHeaders: 'x-other' }), want: ok(LIST_ACTUAL) },
  ],
  credentials: [
    { desc: 'actual: exact origin, credentials, expose list, vary', policy: 'credentials', req: get(APP), want: ok({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'x-total', vary: 'origin' }) },
    { desc: 'preflight: credentials on the preflight too', policy: 'credentials', req: preflight(APP, 'PUT'), want: okPreflight(CREDENTIALS_PREFLIGHT) },
    { desc: 'exposeHeaders * with credentials sends nothing', policy: 'credentialsStars', req: get(APP), want: ok({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', vary: 'origin' }) },
    { desc: 'a listed origin without credentials: exact origin, no ACAC', policy: 'list', req: get(APP), want: ok(LIST_ACTUAL) },
  ],
  tiered: [
    { desc: 'credentialed origin: exact, credentials, vary', policy: 'tiered', req: get(APP), want: ok({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', vary: 'origin' }) },
    { desc: 'any other origin: * anonymously, still vary', policy: 'tiered', req: get('https://other.example'), want: ok({ 'access-control-allow-origin': '*', 'access-control-expose-headers': '*', vary: 'origin' }, '*') },
    { desc: 'other origin preflight: wildcards apply', policy: 'tiered', req: preflight('https://other.example', 'PUT', { requestHeaders: 'x-a' }), want: okPreflight({ 'access-control-allow-origin': '*', 'access-control-allow-methods': '*', 'access-control-allow-headers': '*', 'access-control-max-age': '60', vary: VARY_PREFLIGHT }, '*') },
    { desc: 'credentialed origin preflight: * is literal, PUT refused', policy: 'tiered', req: preflight(APP, 'PUT'), want: deniedPreflight('method-not-allowed') },
    { desc: 'credentialed origin preflight for GET: no * sent', policy: 'tiered', req: preflight(APP, 'GET'), want: okPreflight({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', 'access-control-max-age': '60', vary: VARY_PREFLIGHT }) },
    { desc: 'invalid origin', policy: 'tiered', req: get('https://App.example.com'), want: denied('invalid-origin') },
    { desc: '"null" is never in *', policy: 'tiered', req: get('null'), want: denied('null-origin-not-allowed') },
  ],
  public: [
    { desc: 'actual: * and expose list, no vary', policy: 'public', req: get('https://anyone.example'), want: ok({ 'access-control-allow-origin': '*', 'access-control-expose-headers': 'X-Total' }, '*') },
    { desc: 'preflight: * and the configured lists as written', policy: 'public', req: preflight('https://anyone.example', 'PATCH', { requestHeaders: 'x-api-key' }), want: okPreflight({ 'access-control-allow-origin': '*', 'access-control-allow-methods': 'PUT, PATCH', 'access-control-allow-headers': 'X-Api-Key, Content-Type', 'access-control-max-age': '600', vary: VARY_PREFLIGHT }, '*') },
    { desc: 'non-canonical origin refused even under *', policy: 'public', req: get('https://anyone.example:443'), want: denied('invalid-origin') },
    { desc: '* with credentials (refused by validation): * and no credentials', policy: 'starWithCredentials', req: get('https://anyone.example'), want: ok({ 'access-control-allow-origin': '*' }, '*') },
    { desc: '"null" refused under *', policy: 'public', req: get('null'), want: denied('null-origin-not-allowed') },
    { desc: 'preflight from "null" under *', policy: 'public', req: preflight('null', 'PUT'), want: deniedPreflight('null-origin-not-allowed') },
  ],
  origins: [
    { desc: 'not in the list', policy: 'list', req: get('https://evil.example'), want: denied('origin-not-allowed') },
    { desc: 'look-alike suffix', policy: 'list', req: get('https://app.example.com.evil.net'), want: denied('origin-not-allowed') },
    { desc: 'look-alike prefix', policy: 'list', req: get('https://evilapp.example.com'), want: denied('origin-not-allowed') },
    { desc: 'subdomain wildcard, two labels deep', policy: 'list', req: get('https://a.b.example.org'), want: ok({ ...LIST_ACTUAL, 'access-control-allow-origin': 'https://a.b.example.org' }, 'https://*.example.org') },
    { desc: 'subdomain wildcard never the apex', policy: 'list', req: get('https://example.org'), want: denied('origin-not-allowed') },
    { desc: 'localhost any port', policy: 'list', req: get('http://localhost:5173'), want: ok({ ...LIST_ACTUAL, 'access-control-allow-origin': 'http://localhost:5173' }, 'http://localhost:*') },
    { desc: 'http where https is listed', policy: 'list', req: get('http://app.example.com'), want: denied('origin-not-allowed') },
    { desc: 'RegExp rule', policy: 'regexp', req: get('https://abc.example.net'), want: ok({ 'access-control-allow-origin': 'https://abc.example.net', vary: 'origin' }, '/^https:\\/\\/[a-z]+\\.example\\.net$/') },
    { desc: 'preflight from a refused origin', policy: 'list', req: preflight('https://evil.example', 'PUT'), want: deniedPreflight('origin-not-allowed') },
    { desc: 'the longest canonical origin (268) is read', policy: 'list', req: get(LONGEST_ORIGIN), want: denied('origin-not-allowed') },
  ],
  'invalid origins': [
    { desc: 'trailing slash', policy: 'list', req: get(`${APP}/`), want: denied('invalid-origin') },
    { desc: 'default port written out', policy: 'list', req: get(`${APP}:443`), want: denied('invalid-origin') },
    { desc: 'upper-case scheme', policy: 'list', req: get('HTTPS://app.example.com'), want: denied('invalid-origin') },
    { desc: 'upper-case host', policy: 'list', req: get('https://App.example.com'), want: denied('invalid-origin') },
    { desc: 'empty string', policy: 'list', req: get(''), want: denied('invalid-origin') },
    { desc: 'one over the longest origin (269)', policy: 'list', req: get(`${LONGEST_ORIGIN}5`), want: denied('invalid-origin') },
    { desc: '100 KB', policy: 'list', req: get(HUGE), want: denied('invalid-origin') },
    { desc: '100 KB preflight', policy: 'public', req: preflight(`https://${HUGE}`, 'PUT'), want: deniedPreflight('invalid-origin') },
    { desc: 'NUL', policy: 'list', req: get(`${APP}\u0000`), want: denied('invalid-origin') },
    { desc: 'lone surrogate', policy: 'public', req: get('https://\ud800.example.com'), want: denied('invalid-origin') },
    { desc: 'non-ASCII host (canonical is punycode)', policy: 'public', req: get('https://b\u00fccher.example'), want: denied('invalid-origin') },
    { desc: 'comma list of origins', policy: 'list', req: get(`${APP}, https://evil.example`), want: denied('invalid-origin') },
    { desc: 'userinfo', policy: 'public', req: get('https://user@app.example.com'), want: denied('invalid-origin') },
    { desc: '"null" without allowNullOrigin', policy: 'list', req: get('null'), want: denied('null-origin-not-allowed') },
    { desc: '"null" with allowNullOrigin and a null rule', policy: 'nullAllowed', req: get('null'), want: ok({ 'access-control-allow-origin': 'null', vary: 'origin' }, 'null') },
    { desc: '"NULL" is not "null"', policy: 'nullAllowed', req: get('NULL'), want: denied('invalid-origin') },
  ],
  statuses: [
    { desc: 'allowed preflight: configured status', policy: 'statuses', req: preflight(APP, 'GET'), want: okPreflight(MIN_PREFLIGHT, APP, 200) },
    { desc: 'denied preflight: configured status', policy: 'statuses', req: preflight('https://evil.example', 'GET'), want: deniedPreflight('origin-not-allowed', 401) },
    { desc: 'denied actual request: no status', policy: 'statuses', req: get('https://evil.example'), want: denied('origin-not-allowed') },
  ],
  'private network': [
    { desc: 'asked, policy does not grant', policy: 'list', req: preflight(APP, 'PUT', { requestPrivateNetwork: true }), want: deniedPreflight('private-network-not-allowed') },
    { desc: 'asked, policy grants', policy: 'privateNetwork', req: preflight(APP, 'GET', { requestPrivateNetwork: true }), want: okPreflight({ ...MIN_PREFLIGHT, 'access-control-allow-private-network': 'true' }) },
    { desc: 'not asked: no grant sent', policy: 'privateNetwork', req: preflight(APP, 'GET', { requestPrivateNetwork: false }), want: okPreflight(MIN_PREFLIGHT) },
    { desc: 'never on an actual response', policy: 'privateNetwork', req: get(APP, { requestPrivateNetwork: true }), want: ok(VARY_ORIGIN_ACAO(APP)) },
  ],
  'live extras': [
    { desc: 'a rule still answers first', policy: 'live', req: get(APP), want: ok({ 'access-control-allow-origin': APP, 'access-control-allow-credentials': 'true', vary: 'origin' }) },
    { desc: 'an added origin: allowed, matched names it', policy: 'live', req: get(ADDED), want: ok({ 'access-control-allow-origin': ADDED, 'access-control-allow-credentials': 'true', vary: 'origin' }, ADDED) },
    { desc: 'an added origin preflight', policy: 'live', req: preflight(ADDED, 'GET'), want: okPreflight({ 'access-control-allow-origin': ADDED, 'access-control-allow-credentials': 'true', vary: VARY_PREFLIGHT }, ADDED) },
    { desc: 'an added origin is still held to the methods', policy: 'live', req: preflight(ADDED, 'DELETE'), want: deniedPreflight('method-not-allowed') },
    { desc: 'not resolved yet', policy: 'live', req: get('https://pending.example'), want: denied('origin-unresolved') },
    { desc: 'resolver timed out', policy: 'live', req: get('https://slow.example'), want: denied('resolver-timeout') },
    { desc: 'resolver failed (preflight)', policy: 'live', req: preflight('https://broken.example', 'GET'), want: deniedPreflight('resolver-error') },
    { desc: 'neither rules nor extras', policy: 'live', req: get('https://other.example'), want: denied('origin-not-allowed') },
    { desc: 'a non-canonical look-alike of an added origin', policy: 'live', req: get('https://ADDED.example'), want: denied('invalid-origin') },
    { desc: 'tiered: an added origin joins credentialedOrigins', policy: 'liveTiered', req: get(ADDED), want: ok({ 'access-control-allow-origin': ADDED, 'access-control-allow-credentials': 'true', vary: 'origin' }, ADDED) },
    { desc: 'tiered: an unresolved origin stays public', policy: 'liveTiered', req: get('https://pending.example'), want: ok({ 'access-control-allow-origin': '*', vary: 'origin' }, '*') },
    { desc: 'tiered: a failed resolver leaves the public answer', policy: 'liveTiered', req: get('https://broken.example'), want: ok({ 'access-control-allow-origin': '*', vary: 'origin' }, '*') },
  ],
  'same-origin': [
    { desc: 'URL with path and query', policy: 'list', req: get(APP, { url: `${APP}/api/items?q=1` }), want: { kind: 'same-origin', allowed: true, reason: 'same-origin', matched: null, status: null, headers: VARY_ORIGIN } },
    { desc: 'URL is the origin itself', policy: 'list', req: get(APP, { url: APP }), want: { kind: 'same-origin' } },
    { desc: 'URL with the default port written out', policy: 'list', req: get(APP, { url: `${APP}:443/x` }), want: { kind: 'same-origin' } },
    { desc: 'URL with an upper-case host', policy: 'list', req: get(APP, { url: 'https://APP.example.com/' }), want: { kind: 'same-origin' } },
    { desc: 'same origin, origin not in the policy', policy: 'list', req: get('https://self.example', { url: 'https://self.example/' }), want: { kind: 'same-origin', allowed: true } },
    { desc: 'same origin under a public policy still varies', policy: 'public', req: get('https://self.example', { url: 'https://self.example/' }), want: { kind: 'same-origin', headers: VARY_ORIGIN } },
    { desc: 'preflight-shaped same-origin OPTIONS: no status', policy: 'list', req: preflight(APP, 'PUT', { url: `${APP}/x` }), want: { kind: 'same-origin', status: null } },
    { desc: 'look-alike URL host is cross-origin', policy: 'list', req: get(APP, { url: 'https://app.example.com.evil.net/' }), want: ok(LIST_ACTUAL) },
    { desc: 'userinfo in the URL is cross-origin', policy: 'list', req: get(APP, { url: 'https://app.example.com@evil.net/' }), want: ok(LIST_ACTUAL) },
    { desc: 'other port is cross-origin', policy: 'list', req: get(APP, { url: 'https://app.example.com:8443/' }), want: ok(LIST_ACTUAL) },
    { desc: 'other scheme is cross-origin', policy: 'list', req: get(APP, { url: 'http://app.example.com/' }), want: ok(LIST_ACTUAL) },
    { desc: 'without url: decided as cross-origin', policy: 'list', req: get(APP), want: ok(LIST_ACTUAL) },
    { desc: 'unparsable url: decided as cross-origin', policy: 'list', req: get(APP, { url: 'not a url' }), want: ok(LIST_ACTUAL) },
    { desc: '"null" is never same-origin', policy: 'nullAllowed', req: get('null', { url: 'https://app.example.com/' }), want: ok({ 'access-control-allow-origin': 'null', vary: 'origin' }, 'null') },
    { desc: 'non-canonical Origin is invalid, not same-origin', policy: 'list', req: get('https://APP.example.com', { url: `${APP}/` }), want: denied('invalid-origin') },
    { desc: '100 KB url', policy: 'list', req: get(APP, { url: `${APP}/${HUGE}` }), want: { kind: 'same-origin' } },
    { desc: '100 KB url with a tab (full parser, on the authority only)', policy: 'list', req: get(APP, { url: `${APP}/\t${HUGE}` }), want: { kind: 'same-origin' } },
    { desc: '100 KB url with an upper-case host', policy: 'list', req: get(APP, { url: `https://APP.example.com/${HUGE}` }), want: { kind: 'same-origin' } },
    { desc: 'extra slashes after the scheme', policy: 'list', req: get(APP, { url: 'https:///app.example.com/x' }), want: { kind: 'same-origin' } },
    { desc: 'backslashes (a special URL reads them as /)', policy: 'list', req: get(APP, { url: 'https://\\app.example.com\\x' }), want: { kind: 'same-origin' } },
    { desc: 'leading space, stripped by the parser', policy: 'list', req: get(APP, { url: ' https://app.example.com/x' }), want: { kind: 'same-origin' } },
    { desc: 'trailing spaces and no path', policy: 'list', req: get(APP, { url: 'https://app.example.com  ' }), want: { kind: 'same-origin' } },
    { desc: '"https:x://..." has host x', policy: 'list', req: get(APP, { url: 'https:x://app.example.com/' }), want: ok(LIST_ACTUAL) },
    { desc: 'a 1000-character userinfo is dropped before parsing: same-origin', policy: 'list', req: get(APP, { url: `https://${'u'.repeat(1000)}@app.example.com/` }), want: { kind: 'same-origin' } },
    { desc: 'an authority past the origin part cap (1100-character userinfo) is not read: cross-origin', policy: 'list', req: get(APP, { url: `https://${'u'.repeat(1100)}@app.example.com/` }), want: ok(LIST_ACTUAL) },
    { desc: 'a host part longer than the origin part cap: decided cross-origin', policy: 'list', req: get(APP, { url: `https://app.example.com${'.'.repeat(1100)}/` }), want: ok(LIST_ACTUAL) },
  ],
};

function show(req: CorsRequest): string {
  return JSON.stringify(req, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}...(${v.length})` : v));
}

for (const [group, rows] of Object.entries(ROWS)) {
  describe(`decide: ${group}`, () => {
    for (const { desc, policy, req, want } of rows) {
      it(desc, () => {
        const got = POLICIES[policy](req);
        for (const [key, value] of Object.entries(want)) {
          const field = key as keyof CorsDecision;
          expect(got[field], `${policy}.decide(${show(req)}).${field}: got ${JSON.stringify(got[field])}; want ${JSON.stringify(value)}`).toEqual(value);
        }
      });
    }
  });
}

// Every reason code appears in some row: the closed set is exercised, not just declared.
describe('DECISION_REASONS', () => {
  it('every code has a description and a table row', () => {
    const used = new Set(Object.values(ROWS).flat().map((r) => r.want.reason));
    for (const [code, text] of Object.entries(DECISION_REASONS)) {
      expect(text.length, `DECISION_REASONS[${code}]: description`).toBeGreaterThan(10);
      expect(used.has(code), `DECISION_REASONS[${code}]: no table row decides it`).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Caching, immutability, totality
// ---------------------------------------------------------------------------------------------

describe('decide: decisions built once', () => {
  it('repeats of one request give the same frozen decision', () => {
    const a = POLICIES.list(get(APP));
    const b = POLICIES.list(get(APP));
    expect(a, 'list.decide(GET app) twice: same object').toBe(b);
    expect(Object.isFrozen(a) && Object.isFrozen(a.headers), 'decision and headers frozen').toBe(true);
  });
  it('a wildcard rule answers each origin with its own ACAO, past the cache bound', () => {
    for (let i = 0; i < 1300; i++) {
      const origin = `https://n${i % 700}.example.org`;
      const got = POLICIES.list(get(origin)).headers['access-control-allow-origin'];
      expect(got, `list.decide(GET ${origin}) ACAO: got ${got}; want ${origin}`).toBe(origin);
    }
  });
  it('a preflight and an actual request for one origin get different records', () => {
    const a = POLICIES.list(get(APP));
    const p = POLICIES.list(preflight(APP, 'PUT'));
    const pn = POLICIES.privateNetwork(preflight(APP, 'GET', { requestPrivateNetwork: true }));
    const pp = POLICIES.privateNetwork(preflight(APP, 'GET'));
    expect([a.kind, p.kind], 'kinds').toEqual(['actual', 'preflight']);
    expect('access-control-allow-private-network' in pp.headers, 'no PNA grant cached into the plain preflight').toBe(false);
    expect(pn.headers['access-control-allow-private-network'], 'PNA grant').toBe('true');
  });
});

describe('decide: untyped callers', () => {
  const decide = POLICIES.list as (req: unknown) => CorsDecision;
  const rows: { desc: string; req: unknown; want: RegExp }[] = [
    { desc: 'req null', req: null, want: /decide\(req\): req must be/ },
    { desc: 'req a string', req: 'GET', want: /decide\(req\): req must be/ },
    { desc: 'method missing', req: { origin: APP }, want: /req\.method must be a string, got undefined/ },
    { desc: 'method a number', req: { method: 1, origin: APP }, want: /req\.method must be a string, got number/ },
    { desc: 'origin a number', req: { method: 'GET', origin: 42 }, want: /req\.origin/ },
    { desc: 'requestMethod an object', req: { method: 'OPTIONS', origin: APP, requestMethod: {} }, want: /req\.requestMethod/ },
    { desc: 'requestHeaders an array', req: { method: 'OPTIONS', origin: APP, requestMethod: 'GET', requestHeaders: ['x'] }, want: /req\.requestHeaders/ },
    { desc: 'url a number', req: { method: 'GET', origin: APP, url: 1 }, want: /req\.url/ },
    { desc: 'requestPrivateNetwork a string', req: { method: 'GET', origin: APP, requestPrivateNetwork: 'true' }, want: /req\.requestPrivateNetwork/ },
  ];
  for (const { desc, req, want } of rows) {
    it(desc, () => {
      expect(() => decide(req), `list.decide(${String(JSON.stringify(req))}): want TypeError ${want}`).toThrow(TypeError);
      expect(() => decide(req)).toThrow(want);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const ORIGIN_POOL = [
  APP,
  'https://a.example.org',
  'https://b.c.example.org',
  'http://localhost:3000',
  'https://evil.example',
  'https://app.example.com.evil.net',
  'https://other.example',
  'null',
  'https://App.example.com',
  'https://app.example.com/',
  '',
  'https://\ud800',
];
const METHOD_POOL = ['GET', 'POST', 'HEAD', 'PUT', 'PATCH', 'patch', 'delete', 'OPTIONS', 'PROPFIND', 'CONNECT', 'G T', ''];
const HEADERS_POOL = ['x-api-key', 'content-type', 'authorization', 'x-other', 'X-API-KEY , ,x-a', 'a b', ''];

const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(',', ' ', '\t', 'a', '-', '\u0000'), maxLength: 60 }),
);
const originArb = fc.oneof(fc.constantFrom(...ORIGIN_POOL), anyString);
const requestArb = fc.record(
  {
    method: fc.oneof(fc.constantFrom(...METHOD_POOL), anyString),
    origin: fc.option(originArb, { nil: undefined }),
    requestMethod: fc.option(fc.oneof(fc.constantFrom(...METHOD_POOL), anyString), { nil: null }),
    requestHeaders: fc.option(fc.oneof(fc.constantFrom(...HEADERS_POOL), anyString), { nil: undefined }),
    requestPrivateNetwork: fc.boolean(),
    url: fc.option(fc.constantFrom(`${APP}/x`, 'https://self.example/', 'nonsense'), { nil: undefined }),
  },
  { requiredKeys: ['method'] },
);
const policyArb = fc.constantFrom(...(Object.keys(POLICIES) as PolicyName[]));

/** The one documented exception to "vary: origin": the purely public policy's allowed answer. */
function isPublicStarAnswer(policy: PolicyName, d: CorsDecision): boolean {
  return (policy === 'public' || policy === 'starWithCredentials') && d.allowed && d.kind === 'actual' && d.headers['access-control-allow-origin'] === '*';
}

describe('decide: properties (seeded)', () => {
  it('total: never throws on string input of any content', () => {
    fc.assert(
      fc.property(policyArb, requestArb, (policy, req) => {
        POLICIES[policy](req);
      }),
      { seed: 20260601, numRuns: 2000 },
    );
  });

  it('a denied decision never carries an access-control-allow-* header', () => {
    fc.assert(
      fc.property(policyArb, requestArb, (policy, req) => {
        const d = POLICIES[policy](req);
        if (d.allowed) return;
        const leaked = Object.keys(d.headers).filter((h) => h.startsWith('access-control-allow-'));
        expect(leaked, `${policy}.decide(${show(req)}) denied (${d.reason}) with ${leaked.join(', ')}`).toEqual([]);
      }),
      { seed: 20260602, numRuns: 2000 },
    );
  });

  it('when the origin changes the headers, the decisions vary on origin (public * answer excepted)', () => {
    fc.assert(
      fc.property(policyArb, requestArb, originArb, fc.option(originArb, { nil: undefined }), (policy, req, o1, o2) => {
        const d1 = POLICIES[policy]({ ...req, origin: o1 });
        const d2 = POLICIES[policy]({ ...req, origin: o2 });
        if (JSON.stringify(d1.headers) === JSON.stringify(d2.headers)) return;
        for (const [o, d] of [[o1, d1], [o2, d2]] as const) {
          if (isPublicStarAnswer(policy, d)) continue;
          const vary = (d.headers['vary'] ?? '').split(',').map((s) => s.trim());
          expect(vary, `${policy}.decide(${show({ ...req, origin: o })}): headers depend on the origin; vary ${JSON.stringify(d.headers['vary'])}`).toContain('origin');
        }
      }),
      { seed: 20260603, numRuns: 2000 },
    );
  });

  it('header names are lower-case; ACAO is * or the request origin; * never with credentials', () => {
    fc.assert(
      fc.property(policyArb, requestArb, (policy, req) => {
        const d = POLICIES[policy](req);
        const where = `${policy}.decide(${show(req)})`;
        for (const name of Object.keys(d.headers)) expect(name, `${where}: header name`).toBe(name.toLowerCase());
        const acao = d.headers['access-control-allow-origin'];
        if (acao !== undefined) expect([`*`, req.origin], `${where}: ACAO`).toContain(acao);
        if (d.headers['access-control-allow-credentials'] !== undefined) {
          for (const h of ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-expose-headers']) {
            expect(d.headers[h], `${where}: ${h} with credentials`).not.toBe('*');
          }
        }
        if (d.kind !== 'preflight') {
          for (const h of ['access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age']) {
            expect(d.headers[h], `${where}: ${h} on a non-preflight`).toBeUndefined();
          }
        } else {
          expect(d.headers['access-control-expose-headers'], `${where}: ACEH on a preflight`).toBeUndefined();
        }
      }),
      { seed: 20260604, numRuns: 2000 },
    );
  });
});

describe('decide: same-origin detection agrees with the full URL parser (seeded)', () => {
  const part = (xs: string[]) => fc.constantFrom(...xs);
  const urlArb = fc
    .tuple(
      part(['https', 'HTTPS', 'http', ' https', 'ht\ttps', 'blob:https', 'foo', 'wss']),
      part(['://', ':///', ':\\\\', ':/', '://\t/', ':', ':x://']),
      part(['', 'u@', 'u:p@', '@']),
      part(['app.example.com', 'APP.example.com', 'app.example.com.', 'app.example.com ', 'a\tpp.example.com', 'other.example', '[::1]', '127.0.0.1', '']),
      part(['', ':443', ':8443', ':0443', ':', ':x']),
      part(['', '/', '?', '#', '\\', ' ']),
      fc.string({ unit: fc.constantFrom('a', '/', '\t', '@', ':', '%', ' ', '?', '#', '\\'), maxLength: 12 }),
    )
    .map((xs) => xs.join(''));
  const originArb = part([APP, 'http://app.example.com', 'https://app.example.com.', 'https://app.example.com:8443', 'https://other.example', 'http://[::1]', 'http://127.0.0.1']);
  it('decide(...).kind is same-origin exactly when parseOrigin(url) serializes to the Origin', () => {
    fc.assert(
      fc.property(urlArb, originArb, (url, origin) => {
        const own = parseOrigin(url);
        const want = own !== null && !own.opaque && own.serialized === origin;
        const got = POLICIES.list(get(origin, { url })).kind === 'same-origin';
        expect(got, `list.decide(${show(get(origin, { url }))}): same-origin ${got}; parseOrigin says ${want}`).toBe(want);
      }),
      { seed: 20260605, numRuns: 400 },
    );
  });
});

it('MAX_ORIGIN_LENGTH is the cap the rows above are built on', () => {
  expect(LONGEST_ORIGIN.length, 'LONGEST_ORIGIN.length').toBe(MAX_ORIGIN_LENGTH);
});
