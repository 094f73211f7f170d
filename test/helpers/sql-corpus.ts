// Shared by the SQL differential tests (test/sql-*.test.ts): the policies with RegExp rules,
// tiers and `origins: '*'`, the values that hit them, and the one allowed difference.
import fc from 'fast-check';
import { CANONICAL_UNSURE, newOriginScan, scanCanonicalOrigin } from '../../src/origin/canonical-origin.js';
import type { CorsPolicy, CorsPolicyInit } from '../../src/types.js';

/** RegExp rules, tiers and `*`, on every engine. */
export const EXTRA_POLICIES: readonly CorsPolicyInit[] = [
  { origins: [/^https:\/\/(?:app|admin)\.example\.com$/, 'https://*.example.com', 'https://example.com'] },
  { origins: [/^https:\/\/[a-z0-9-]+\.preview\.test$/i, /^HTTP:\/\/LOCALHOST:\d{4}$/i, 'https://app-1.preview.test'] },
  { origins: [/^https?:\/\/tenant-[0-9]{1,3}\.example\.com(?::8443)?$/, /^https:\/\/(?<env>dev|stg)\.api\.test$/, 'https://api.test:*'] },
  { origins: ['https://x.corp.test', /^https:\/\/.*\.corp\.test$/, /^https:\/\/[[:alpha:]]{2,3}\.example\.org$/] },
  { origins: [/^https:\/\/\w+\.example\.org\b/, /^http:\/\/[^.]+\.b\.c\.d\.e\.testz/], allowUnanchoredRegExp: true },
  { origins: '*' },
  { origins: '*', credentialedOrigins: ['https://app.example.com', 'https://*.example.com'] },
  { origins: '*', credentialedOrigins: ['https://*.api.test', 'https://[::1]', 'https://*.example.org'] },
];

export const EXTRA_HOSTS = ['dev.api.test', 'stg.api.test', 'qa.api.test', 'tenant-12.example.com', 'tenant-1234.example.com', 'ab.example.org',
  'abcd.example.org', 'a1.example.org', 'my-app.preview.test', 'APP.preview.test', 'a_b.corp.test', 'xn--bcher-kva.corp.test', 'admin.example.com',
  '1.2.3.4', '1.2.3', '0x7f.0.0.1', '256.1.1.1', 'a.0x1f', 'a.12', 'localhost', '[::1]', 'a..corp.test', 'x.corp.test.'];

/** A seeded mix of origins that hit the policies above, look-alikes, non-canonical forms and garbage. */
export function extraOriginArb(baseHosts: readonly string[]): fc.Arbitrary<string> {
  const hosts = [...baseHosts, ...EXTRA_HOSTS];
  const scheme = fc.constantFrom('https://', 'https://', 'https://', 'https://', 'http://', 'ws://', 'wss://', 'ftp://', 'HTTPS://', '', 'http://');
  const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
  const host = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...EXTRA_HOSTS, 'a.corp.test', 'a.preview.test', 'ab.example.org', 'localhost') },
    { weight: 2, arbitrary: fc.constantFrom(...hosts) },
    { weight: 3, arbitrary: fc.tuple(label, fc.constantFrom(...hosts)).map(([l, h]) => `${l}.${h}`) },
    { weight: 1, arbitrary: fc.integer({ min: 120, max: 130 }).map((n) => `${'a.'.repeat(n)}com`) },
  );
  const port = fc.constantFrom('', '', '', ':8443', ':80', ':443', ':21', ':3000', ':3000', ':0', ':08', ':65535', ':65536', ':');
  const tail = fc.constantFrom('', '', '', '', '', '/', '\n', 'x');
  return fc.oneof(
    { weight: 9, arbitrary: fc.tuple(scheme, host, port, tail).map(([s, h, p, t]) => s + h + p + t) },
    { weight: 1, arbitrary: fc.constantFrom('null', 'NULL', '', 'https://ex\u00e4mple.com', 'https://a.example.com\u212a') },
  );
}

const scan = newOriginScan();

/**
 * Whether an SQL answer (allowed, matched pattern) is corset's, or the one documented
 * difference (docs/sql.md): on a value the fast scan leaves to the URL parser (UNSURE: IPv6,
 * `xn--` labels, empty labels, `_`), the SQL may deny, or allow by a later pattern, what corset
 * allows. The SQL never allows what corset denies.
 */
export function agrees(policy: CorsPolicy, v: string, allowed: boolean, matched: string | null): boolean {
  if (allowed === policy.isOriginAllowed(v) && matched === policy.matchOrigin(v)) return true;
  return policy.isOriginAllowed(v) && scanCanonicalOrigin(v, scan) === CANONICAL_UNSURE;
}
