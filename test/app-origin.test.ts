// Origins of apps and browser extensions (`capacitor://localhost`, `chrome-extension://<id>`):
// the canonical form (src/origin/app-origin.ts, assembly/scan.ts isAppOrigin) against a plain
// reference that also proves every accepted value is its own URL serialization; a seeded
// differential of the JS and WASM engines (match, matchMany, the bulk-lines path) against the
// reference; and what parseOriginHeader, same-site, decide, live policies, the exported matcher,
// `corset audit` and the SQL export do with them.
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from '../src/cli/audit.js';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { createLineMatcher } from '../src/engine/bulk.js';
import { createJsMatcher } from '../src/engine/js-engine.js';
import { createWasmMatcher } from '../src/engine/wasm-engine.js';
import { createLivePolicy } from '../src/live/live-policy.js';
import { isCanonicalAppOrigin } from '../src/origin/app-origin.js';
import { isSameOrigin, parseOriginHeader } from '../src/origin/origin.js';
import { isSameSite, isSchemelesslySameSite, siteOf } from '../src/origin/site.js';
import { exportMatcher } from '../src/policy/export.js';
import { loadMatcher } from '../src/browser/load-matcher.js';
import { MATCH_INVALID, MATCH_NONE, type OriginRule } from '../src/policy/rules.js';
import { validatePolicy } from '../src/policy/validate.js';
import { toSql } from '../src/sql/to-sql.js';
import type { CorsPolicyInit } from '../src/types.js';
import { createReference, isReferenceAppOrigin } from './fuzz/reference.js';

const CHROME_ID = 'abcdefghijklmnopabcdefghijklmnop';
const MOZ_UUID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const SAFARI_UUID = '0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D';

/** Canonical app origins a policy may list (each valid for its platform). */
const LISTABLE = [
  'capacitor://localhost',
  'ionic://localhost',
  'tauri://localhost',
  `chrome-extension://${CHROME_ID}`,
  `moz-extension://${MOZ_UUID}`,
  `safari-web-extension://${SAFARI_UUID}`,
  'myapp://main_window',
  'x-app.v2+beta://a.b-c:8080',
  'capacitor://app.example',
];

// ---------------------------------------------------------------------------------------------
// Generators: app-origin-shaped strings with every near miss
// ---------------------------------------------------------------------------------------------

const SCHEMES = ['capacitor', 'ionic', 'tauri', 'chrome-extension', 'moz-extension', 'safari-web-extension', 'myapp', 'x-app.v2+beta', 'a', 'Capacitor', 'CAPACITOR', '1app', '-app', 'ap_p', 'http', 'https', 'ws', 'wss', 'ftp', 'file', 'data', 'blob', 'javascript', 'about', 'filesystem', 'httpx', 'https2', 'fil', ''];
const SEPARATORS = ['://', '://', '://', '://', ':', ':/', ':///', '//', '://\t', ' ://'];
const HOSTS = [
  'localhost', 'LocalHost', CHROME_ID, CHROME_ID.toUpperCase(), MOZ_UUID, SAFARI_UUID, 'main_window', 'a.b-c', 'app.example', 'a', '_', '-', '1.2.3.4', 'xn--bcher-kva',
  '', '.', 'a.', '.a', 'a..b', 'a%41', 'a b', 'a~b', 'a!b', 'a@b', 'a*b', '*', '[::1]', 'bücher', 'a\u0000b',
  'l'.repeat(63), 'l'.repeat(64), `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`,
];
const PORTS = ['', '', '', ':0', ':1', ':8080', ':65535', ':65536', ':99999', ':00', ':080', ':', ':x', ':*', ':-1', ':8080:1'];
const TAILS = ['', '', '', '', '/', '/index.html', '?q', '#f', ' ', '\n'];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const shaped = fc
  .tuple(pick(SCHEMES), pick(SEPARATORS), pick(HOSTS), pick(PORTS), pick(TAILS))
  .map(([s, sep, h, p, t]) => `${s}${sep}${h}${p}${t}`);
/** One character changed, added or dropped: case flips and stray punctuation. */
const mutated = fc.tuple(shaped, fc.nat(), fc.constantFrom('A', 'a', '.', ':', '/', '_', '-', '%', '0', '\u00e9', '', 'Z')).map(([s, at, c]) => {
  const i = s.length === 0 ? 0 : at % s.length;
  return c === '' ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + c + s.slice(i);
});
const appish = fc.oneof(shaped, shaped, mutated, pick(LISTABLE), fc.string({ maxLength: 40 }));

// ---------------------------------------------------------------------------------------------

describe('canonical app origins: the grammar against a plain reference and the URL parser', () => {
  it('isCanonicalAppOrigin agrees with the reference (which checks each yes against whatwg-url)', () => {
    let yes = 0;
    let no = 0;
    fc.assert(
      fc.property(appish, (s) => {
        const want = isReferenceAppOrigin(s);
        if (want) yes++;
        else no++;
        expect(isCanonicalAppOrigin(s), `isCanonicalAppOrigin(${JSON.stringify(s)}): want ${want}`).toBe(want);
      }),
      { seed: 1111, numRuns: 20_000 },
    );
    // The generator must produce both answers often, or agreeing proves little.
    expect(yes, 'canonical app origins generated').toBeGreaterThan(1000);
    expect(no, 'refused values generated').toBeGreaterThan(1000);
  });

  const rows: { desc: string; input: string; want: boolean }[] = [
    { desc: 'Capacitor', input: 'capacitor://localhost', want: true },
    { desc: 'a port', input: 'tauri://localhost:1420', want: true },
    { desc: 'port 65535', input: 'myapp://a:65535', want: true },
    { desc: 'port 65536 (too large by one)', input: 'myapp://a:65536', want: false },
    { desc: 'port 0', input: 'myapp://a:0', want: true },
    { desc: 'a leading zero', input: 'myapp://a:080', want: false },
    { desc: 'upper case in the host is kept (Safari UUIDs)', input: `safari-web-extension://${SAFARI_UUID}`, want: true },
    { desc: 'upper case in the scheme', input: 'Capacitor://localhost', want: false },
    { desc: 'a trailing slash', input: 'capacitor://localhost/', want: false },
    { desc: 'a path', input: 'capacitor://localhost/index.html', want: false },
    { desc: 'no host', input: 'capacitor://', want: false },
    { desc: 'an empty label', input: 'myapp://a..b', want: false },
    { desc: 'a trailing dot', input: 'myapp://a.', want: false },
    { desc: 'percent-encoding', input: 'myapp://a%41', want: false },
    { desc: 'userinfo', input: 'myapp://u@a', want: false },
    { desc: 'IPv6', input: 'myapp://[::1]', want: false },
    { desc: 'a label of 63', input: `myapp://${'l'.repeat(63)}`, want: true },
    { desc: 'a label of 64 (too long by one)', input: `myapp://${'l'.repeat(64)}`, want: false },
    { desc: 'a host of 253', input: `myapp://${HOSTS[HOSTS.length - 2]}`, want: true },
    { desc: 'a host of 254 (too long by one)', input: `myapp://${HOSTS[HOSTS.length - 1]}`, want: false },
    { desc: 'https is a tuple origin, never an app one', input: 'https://EXAMPLE.com', want: false },
    { desc: 'ws', input: 'ws://a', want: false },
    { desc: 'file', input: 'file://host', want: false },
    { desc: 'about', input: 'about://blank', want: false },
    { desc: 'javascript', input: 'javascript://x', want: false },
    { desc: 'a scheme starting with http', input: 'httpx://a', want: true },
    { desc: 'null', input: 'null', want: false },
  ];
  for (const { desc, input, want } of rows) {
    it(`${desc}: ${JSON.stringify(input)} -> ${want}`, () => {
      expect(isCanonicalAppOrigin(input), `isCanonicalAppOrigin(${JSON.stringify(input)})`).toBe(want);
      expect(isReferenceAppOrigin(input), `reference(${JSON.stringify(input)})`).toBe(want);
    });
  }
});

// ---------------------------------------------------------------------------------------------

/** A seeded policy: some app origins, some web rules, sometimes `null` and a RegExp. */
function policyOf(seed: number): OriginRule[] {
  const rng = fc.sample(fc.tuple(fc.shuffledSubarray(LISTABLE, { minLength: 1 }), fc.boolean(), fc.boolean(), fc.boolean()), { seed, numRuns: 1 })[0] as [string[], boolean, boolean, boolean];
  const [apps, web, withNull, withRegExp] = rng;
  const origins: (string | RegExp)[] = [...apps];
  if (web) origins.splice(1, 0, 'https://a.example', 'https://*.example.net', 'http://localhost:*');
  if (withNull) origins.push('null');
  // A RegExp that spells an app origin: RegExp rules see web origins only, so it never matches one.
  if (withRegExp) origins.unshift(/^capacitor:\/\/localhost$/, /^https:\/\/r[0-9]\.example$/);
  const { policy, issues } = validatePolicy({ origins, allowNullOrigin: withNull } as CorsPolicyInit);
  if (policy === null || policy.origins.kind !== 'list') throw new Error(`policyOf(${seed}): ${JSON.stringify(issues)}`);
  return [...policy.origins.rules];
}

const latin1 = new TextEncoder();

describe('engines: exact app origins in the JS and WASM engines, against the reference (seeded)', () => {
  const webish = fc.constantFrom('https://a.example', 'https://b.example.net', 'https://A.example', 'http://localhost:5173', 'https://r1.example', 'null', 'https://a.example/');
  const origins = fc.array(fc.oneof(appish, appish, webish), { minLength: 1, maxLength: 60 });

  it('match, matchMany and matchLines agree with the reference on every origin', () => {
    const verdicts = { allowed: 0, none: 0, invalid: 0 };
    fc.assert(
      fc.property(fc.nat(), origins, (seed, batch) => {
        const rules = policyOf(seed);
        const reference = createReference(rules);
        const js = createJsMatcher(rules);
        const wasm = createWasmMatcher(rules);
        const wants = batch.map((o) => reference.match(o));
        for (const [i, o] of batch.entries()) {
          const want = wants[i] as number;
          if (want >= 0) verdicts.allowed++;
          else if (want === MATCH_NONE) verdicts.none++;
          else verdicts.invalid++;
          expect(js.match(o), `js.match(${JSON.stringify(o)}), policy seed ${seed}`).toBe(want);
          expect(wasm.match(o), `wasm.match(${JSON.stringify(o)}), policy seed ${seed}`).toBe(want);
        }
        const bits = wants.map((w) => (w >= 0 ? 1 : 0));
        expect([...js.matchMany(batch)], `js.matchMany, policy seed ${seed}`).toEqual(bits);
        expect([...wasm.matchMany(batch)], `wasm.matchMany, policy seed ${seed}`).toEqual(bits);
        // The bulk-lines path (`corset audit`): one line per origin, no line holding LF or CR.
        const lines = batch.filter((o) => !/[\r\n]/.test(o));
        const chunk = latin1.encode(`${lines.join('\n')}\n`);
        if (lines.some((o) => /[^\x00-\x7f]/.test(o))) return; // bytes are not the string's code units
        for (const engine of ['wasm', 'js'] as const) {
          const m = createLineMatcher(rules, engine);
          const got = new Int32Array(lines.length);
          const starts = new Int32Array(lines.length);
          const r = m.matchLines(chunk, true, got, starts);
          expect(r.lines, `${engine}.matchLines line count`).toBe(lines.length);
          expect([...got], `${engine}.matchLines, policy seed ${seed}`).toEqual(lines.map((o) => reference.match(o)));
        }
      }),
      { seed: 2026, numRuns: 300 },
    );
    for (const [verdict, count] of Object.entries(verdicts)) expect(count, `verdict ${verdict} generated`).toBeGreaterThan(200);
  });

  it('an app origin is matched only by an equal app entry: never by a RegExp, a wildcard, or another case', () => {
    const { policy } = validatePolicy({ origins: [/^capacitor:\/\/localhost$/, 'https://*.localhost', 'ionic://localhost'] });
    if (policy === null || policy.origins.kind !== 'list') throw new Error('policy');
    const rules = policy.origins.rules;
    for (const make of [createJsMatcher, createWasmMatcher]) {
      const m = make(rules);
      expect(m.match('capacitor://localhost'), 'a RegExp spelling it').toBe(MATCH_NONE);
      expect(m.match('ionic://localhost')).toBe(2);
      expect(m.match('ionic://LOCALHOST'), 'the host is compared as sent').toBe(MATCH_NONE);
      expect(m.match('Ionic://localhost'), 'an upper-case scheme is never canonical').toBe(MATCH_INVALID);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('parseOriginHeader, same-origin and same-site for app origins', () => {
  it('reads a canonical app origin as its tuple, and refuses every other spelling', () => {
    expect(parseOriginHeader('tauri://localhost:1420')).toEqual({ opaque: false, scheme: 'tauri', host: 'localhost', port: 1420, serialized: 'tauri://localhost:1420' });
    expect(parseOriginHeader(`safari-web-extension://${SAFARI_UUID}`)).toMatchObject({ opaque: false, host: SAFARI_UUID });
    for (const bad of ['Capacitor://localhost', 'capacitor://localhost/', 'capacitor://', 'capacitor:localhost', 'file://host', 'myapp://a:080', 'myapp://a%41']) {
      expect(parseOriginHeader(bad), `parseOriginHeader(${JSON.stringify(bad)})`).toBeNull();
    }
  });

  it('agrees with isCanonicalAppOrigin on every generated value that is not a web origin', () => {
    fc.assert(
      fc.property(appish, (s) => {
        const o = parseOriginHeader(s);
        if (isCanonicalAppOrigin(s)) expect(o?.serialized, `parseOriginHeader(${JSON.stringify(s)})`).toBe(s);
        else if (o !== null) expect(o.opaque || ['http', 'https', 'ws', 'wss', 'ftp'].includes(o.scheme), `parseOriginHeader(${JSON.stringify(s)}) = ${o.serialized}`).toBe(true);
      }),
      { seed: 3333, numRuns: 5000 },
    );
  });

  it('an app origin is same-origin and same site with itself only: never with an https page', () => {
    const cap = parseOriginHeader('capacitor://localhost');
    const cap2 = parseOriginHeader('capacitor://localhost');
    const web = parseOriginHeader('https://localhost');
    const ionic = parseOriginHeader('ionic://localhost');
    if (cap === null || cap2 === null || web === null || ionic === null) throw new Error('parse');
    expect(isSameOrigin(cap, cap2)).toBe(true);
    expect(isSameSite(cap, cap2)).toBe(true);
    expect(isSchemelesslySameSite(cap, cap2)).toBe(true);
    for (const other of [web, ionic, parseOriginHeader('http://localhost'), parseOriginHeader('capacitor://localhost:1')]) {
      if (other === null) throw new Error('parse');
      expect(isSameOrigin(cap, other), `same origin as ${other.serialized}`).toBe(false);
      expect(isSameSite(cap, other), `same site as ${other.serialized}`).toBe(false);
      expect(isSchemelesslySameSite(cap, other), `schemelessly same site as ${other.serialized}`).toBe(false);
      expect(isSchemelesslySameSite(other, cap), `schemelessly same site, the other way (${other.serialized})`).toBe(false);
    }
    expect(siteOf(cap)).toBe('capacitor://localhost');
    // A string is a URL (URL §4.7): a capacitor: URL's origin is opaque, as the URL standard says.
    expect(isSameOrigin('capacitor://localhost', 'capacitor://localhost')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

const get = (origin: string) => ({ method: 'GET', origin });
const preflight = (origin: string) => ({ method: 'OPTIONS', origin, requestMethod: 'PUT', requestHeaders: 'authorization' });

describe('decide() and the policy API with app origins', () => {
  it('a listed app origin gets its own Access-Control-Allow-Origin, with credentials as for https', () => {
    for (const engine of ['wasm', 'js'] as const) {
      const policy = compilePolicy({ origins: ['https://a.example', ...LISTABLE], credentials: true, methods: ['PUT'], allowHeaders: ['authorization'], engine });
      for (const origin of LISTABLE) {
        for (const req of [get(origin), preflight(origin)]) {
          const d = policy.decide(req);
          expect(d.allowed, `${engine} ${req.method} ${origin}: ${d.reason}`).toBe(true);
          expect(d.headers['access-control-allow-origin']).toBe(origin);
          expect(d.headers['access-control-allow-credentials']).toBe('true');
          expect(d.matched).toBe(origin);
        }
        expect(policy.matchOrigin(origin)).toBe(origin);
      }
      expect(policy.decide(get('capacitor://LOCALHOST')).reason).toBe('origin-not-allowed');
      expect(policy.decide(get('capacitor://localhost/')).reason).toBe('invalid-origin');
      expect(policy.decide(get('Capacitor://localhost')).reason).toBe('invalid-origin');
      expect(policy.decide(get('file://localhost')).reason).toBe('invalid-origin');
    }
  });

  it("origins: '*' never answers an app origin (it is listed one by one); a tiered policy credentials a listed one", () => {
    const star = compilePolicy({ origins: '*' });
    for (const origin of LISTABLE) {
      expect(star.decide(get(origin)).reason, `'*' GET ${origin}`).toBe('origin-not-allowed');
      expect(star.decide(preflight(origin)).reason, `'*' preflight ${origin}`).toBe('origin-not-allowed');
      expect(star.isOriginAllowed(origin)).toBe(false);
    }
    expect(star.decide(get('Capacitor://localhost')).reason).toBe('invalid-origin');
    const tiered = compilePolicy({ origins: '*', credentialedOrigins: ['capacitor://localhost'] });
    const d = tiered.decide(get('capacitor://localhost'));
    expect(d.allowed).toBe(true);
    expect(d.headers['access-control-allow-origin']).toBe('capacitor://localhost');
    expect(d.headers['access-control-allow-credentials']).toBe('true');
    expect(tiered.decide(get('ionic://localhost')).reason).toBe('origin-not-allowed');
    expect(tiered.matchOrigins(['capacitor://localhost', 'ionic://localhost', 'https://x.example'])).toEqual(new Uint8Array([1, 0, 1]));
  });

  it('a live policy adds and removes app origins, and asks its resolver about unlisted canonical ones only', async () => {
    const asked: string[] = [];
    const live = createLivePolicy({ origins: ['https://a.example'], credentials: true }, { resolveOrigin: (o) => (asked.push(o), o === 'ionic://localhost') });
    expect(live.decide(get('capacitor://localhost')).reason).toBe('origin-unresolved');
    live.addOrigins(['capacitor://localhost']);
    expect(live.decide(get('capacitor://localhost')).headers['access-control-allow-origin']).toBe('capacitor://localhost');
    expect(() => live.addOrigins(['capacitor://*'])).toThrow(/exact origins/);
    expect(() => live.addOrigins(['chrome-extension://short'])).toThrow(/32 letters a-p/);
    expect(live.removeOrigins(['capacitor://localhost'])).toBe(1);
    const d = await live.decideAsync(get('ionic://localhost'));
    expect(d.allowed).toBe(true);
    await live.decideAsync(get('Ionic://localhost'));
    expect(asked, 'the resolver sees canonical origins only').not.toContain('Ionic://localhost');
    expect(asked).toContain('ionic://localhost');
  });

  it('the exported matcher reads app origins back and answers as the compiled policy', () => {
    const init: CorsPolicyInit = { origins: ['https://a.example', ...LISTABLE, 'https://*.example.net'] };
    const exported = exportMatcher(init);
    expect(exported.origins).toContain('capacitor://localhost');
    const compiled = compilePolicy(init);
    for (const engine of ['wasm', 'js'] as const) {
      const page = loadMatcher(JSON.parse(JSON.stringify(exported)), { engine });
      fc.assert(
        fc.property(appish, (o) => {
          expect(page.matchOrigin(o), `loadMatcher(${engine}).matchOrigin(${JSON.stringify(o)})`).toBe(compiled.matchOrigin(o));
        }),
        { seed: 4444, numRuns: 2000 },
      );
    }
  });

  it('the SQL export lists an app origin as an exact value', () => {
    const sql = toSql({ origins: ['https://a.example', 'capacitor://localhost'] }, { dialect: 'duckdb', column: 'origin' });
    expect(sql).toContain("'capacitor://localhost'");
  });
});

// ---------------------------------------------------------------------------------------------

describe('corset audit with app origins', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'corset-app-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const engine of ['wasm', 'js'] as const) {
    it(`counts allowed, not listed and invalid app origins as decide() does (engine ${engine})`, async () => {
      const init: CorsPolicyInit = { origins: ['https://a.example', 'capacitor://localhost', `chrome-extension://${CHROME_ID}`] };
      const lines = ['capacitor://localhost', 'capacitor://localhost', `chrome-extension://${CHROME_ID}`, 'ionic://localhost', 'Capacitor://localhost', 'capacitor://localhost/', 'https://a.example'];
      const policyFile = path.join(dir, 'policy.json');
      const input = path.join(dir, `lines-${engine}.txt`);
      writeFileSync(policyFile, JSON.stringify(init));
      writeFileSync(input, `${lines.join('\n')}\n`);
      let stdout = '';
      const sink = new Writable({ write: (c, _e, cb) => ((stdout += String(c)), cb()) });
      const code = await runAudit([input, '--policy', policyFile, '--engine', engine, '--json'], { stdout: sink, stderr: new Writable({ write: (_c, _e, cb) => cb() }) });
      expect(code).toBe(0);
      const report = JSON.parse(stdout);
      const policy = compilePolicy(init);
      const want: Record<string, number> = {};
      for (const o of lines) {
        const r = policy.decide(get(o)).reason;
        want[r] = (want[r] ?? 0) + 1;
      }
      expect(want).toEqual({ ok: 4, 'origin-not-allowed': 1, 'invalid-origin': 2 });
      for (const [reason, count] of Object.entries(want)) expect(report.policy.reasons[reason], `audit reason ${reason}`).toBe(count);
    });
  }
});
