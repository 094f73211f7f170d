// Shared by the SQL differential tests (test/sql-*.test.ts): the policies with RegExp rules,
// tiers and `origins: '*'`, the values that hit them, and the one allowed difference.
import fc from 'fast-check';
import { CANONICAL_UNSURE, newOriginScan, scanCanonicalOrigin } from '../../src/origin/canonical-origin.js';
import type { CorsPolicy, CorsPolicyInit } from '../../src/types.js';
import type { OriginRule } from '../../src/policy/rules.js';
import { validatePolicy } from '../../src/policy/validate.js';
import { createRng, generateOrigin, generatePolicy, POLICY_SHAPES, type PolicyShape } from '../fuzz/generate.js';

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

// ---------------------------------------------------------------------------------------------
// The corpus every SQL engine is held to (test/sql-differential.test.ts): hand-written policies,
// the RegExp/tier policies above, a long exact list with patterns between its runs, and seeded
// generated policies of every shape (test/fuzz/generate.ts), validated and kept as written.
// ---------------------------------------------------------------------------------------------

export interface SqlCase {
  readonly name: string;
  readonly init: CorsPolicyInit;
  /** The rules, for origins generated near them (test/fuzz/generate.ts generateOrigin). */
  readonly near: readonly OriginRule[];
}

const HAND_POLICIES: readonly CorsPolicyInit[] = [
  { origins: ['https://app.example.com', 'http://localhost:3000', 'https://[::1]', 'http://127.0.0.1:8080', "https://o'brien.test"] },
  { origins: ['https://*.example.com', 'https://example.com'] },
  { origins: ['https://app-*.preview.test', 'http://*.example.org:*'] },
  { origins: ['https://api.test:*', 'null', 'https://*.api.test'], allowNullOrigin: true },
  { origins: ['null', 'https://x*.corp.test'], allowNullOrigin: true },
  { origins: ['https://*.b.c.d.e.test:8443', 'https://a.b.c.d.e.test:8443', 'http://*-web.corp.test'] },
  { origins: ['capacitor://localhost', 'https://app.example.com', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'] },
];

/**
 * Exact origins in runs between patterns (each run one IN list in the SQL), some written in a
 * non-canonical spelling (matched gives the spelling), some listed twice (the earliest answers).
 */
function longExactPolicy(): CorsPolicyInit {
  const origins: string[] = [];
  for (let i = 0; i < 40; i++) origins.push(`https://t${i}.tenant.example`);
  origins.push('https://HOST7.tenant.example:443', 'https://t3.tenant.example', 'https://*.preview.example');
  for (let i = 40; i < 80; i++) origins.push(i % 10 === 0 ? `HTTPS://T${i}.Tenant.Example` : `https://t${i}.tenant.example`);
  origins.push('https://pr-1.preview.example', 'https://t*.tenant.example:8443', 'https://t5.tenant.example:8443');
  for (let i = 80; i < 120; i++) origins.push(`http://t${i}.tenant.example:${3000 + i}`);
  return { origins };
}

/** A generated rule list as a policy: the entries the validator accepts, as they are written. */
function generatedCase(shape: PolicyShape, seed: number): SqlCase {
  const rules = generatePolicy(createRng(seed), shape, 24);
  const entries = rules.map((r) => (r.kind === 'regexp' ? r.regexp : r.source));
  const allowNullOrigin = entries.includes('null');
  const { issues } = validatePolicy({ origins: entries, allowNullOrigin });
  const bad = new Set(issues.filter((i) => i.severity === 'error').map((i) => Number(/^origins\[(\d+)\]/.exec(i.path)?.[1] ?? -1)));
  const kept = entries.filter((_, i) => !bad.has(i));
  return { name: `generated ${shape} #${seed}`, init: { origins: kept, allowNullOrigin }, near: rules };
}

export function sqlPolicyCorpus(): SqlCase[] {
  const hand = [...HAND_POLICIES, ...EXTRA_POLICIES, longExactPolicy()].map((init, i) => {
    const v = validatePolicy(init).policy;
    if (v === null) throw new Error(`sql corpus policy ${i} does not validate`);
    const near = v.origins.kind === 'list' ? v.origins.rules : (v.credentialedOrigins ?? []);
    return { name: `policy ${i}: ${JSON.stringify(init.origins).slice(0, 80)}`, init, near };
  });
  const generated = POLICY_SHAPES.flatMap((shape, k) => [generatedCase(shape, 1500 + k), generatedCase(shape, 2500 + k)]);
  return [...hand, ...generated.filter((c) => Array.isArray(c.init.origins) && c.init.origins.length > 0)];
}

const CORPUS_HOSTS = ['example.com', 'app.example.com', 'a.b.example.com', 'example.org', 'x.example.org', 'preview.test', 'app-1.preview.test',
  'api.test', 'v1.api.test', 'xn--bcher-kva.example.com', 'x.corp.test', 'b.c.d.e.test', 'localhost', '127.0.0.1', '[::1]', 'a_b.example.com',
  'A.example.com', 'a..example.com', 'example.com.', "o'brien.test", 't7.tenant.example', 'host7.tenant.example', 'pr-1.preview.example'];

/**
 * `n` seeded values: a third from the adversarial arbitrary above (look-alikes, case, ports,
 * IDNA, long labels, garbage), two thirds generated near one of the corpus's rules
 * (test/fuzz/generate.ts: label boundaries, empty labels, trailing dots, punycode, non-ASCII,
 * NUL, `*`, `_`, values past the length cap).
 */
export function sqlCorpusValues(corpus: readonly SqlCase[], n: number, seed: number): string[] {
  const third = Math.floor(n / 3);
  const out = fc.sample(extraOriginArb(CORPUS_HOSTS), { numRuns: third, seed });
  const rng = createRng(seed);
  while (out.length < n) {
    const c = corpus[Math.floor(rng() * corpus.length)] as SqlCase;
    out.push(generateOrigin(rng, c.near));
  }
  return out;
}
