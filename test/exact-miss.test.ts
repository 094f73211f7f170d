// The exact-list miss fast path (src/engine/exact-miss.ts exactOnlyMiss): for a list of exact
// origins only, a value the exact-origin map does not hold is answered by the canonical scan
// alone, without the walk. Seeded differential: each engine with the fast path, the same engine
// on the full path (`fastMiss: false`), and the plain reference (test/fuzz/reference.ts) must give
// the same verdict for every origin; decide() must give the matching reason; and the walk must
// really be skipped (a counting walk), so that agreeing proves the fast path right. Origins repeat
// and some policies see more distinct misses than the miss memo holds, so its answers, its
// emptying and its bypass are all held to the reference too; and the RegExp shape check
// (src/engine/plain-origin.ts) is held to the canonical scan and the full URL parser.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { createJsMatcher } from '../src/engine/js-engine.js';
import { matchTables } from '../src/engine/match-tables.js';
import { tableMatcher } from '../src/engine/rule-front.js';
import { exactMissPath, type MissPath } from '../src/engine/exact-miss.js';
import { exactMissPath as browserMissPath } from '../src/engine/exact-miss.browser.js';
import { createWasmMatcher } from '../src/engine/wasm-engine.js';
import { isPlainCanonicalOrigin } from '../src/engine/plain-origin.js';
import { CANONICAL_YES, newOriginScan, scanCanonicalOrigin } from '../src/origin/canonical-origin.js';
import { parseCanonicalOriginSlow } from '../src/origin/origin.js';
import { MATCH_INVALID, MATCH_NONE, type OriginRule } from '../src/policy/rules.js';
import { createRng, generateOrigin, generatePolicy, type Rng } from './fuzz/generate.js';
import { createReference } from './fuzz/reference.js';

const APPS = ['capacitor://localhost', 'tauri://localhost', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'];
/** Values around the app origins and `null`: canonical apps not listed, and non-canonical ones. */
const AROUND = ['ionic://localhost', 'capacitor://localhost:8080', 'Capacitor://localhost', 'capacitor://', 'null', 'NULL', 'capacitor://localhost/', 'https://[::1]', 'https://xn--bcher-kva.example', 'https://a_b.example.com', 'https://example.com:443', 'http://example.com:80'];

/** An exact-only rule list: the fuzz's exact policy with wildcards, globs and `:*` made exact, plus app origins and sometimes `null`. */
function exactOnlyPolicy(rng: Rng, size: number): OriginRule[] {
  const rules: OriginRule[] = [];
  for (const rule of generatePolicy(rng, 'exact', size)) {
    if (rule.kind !== 'tuple') continue;
    const host = rule.host.kind === 'exact' ? rule.host.host : rule.host.kind === 'subdomains' ? rule.host.suffix : rule.host.right || 'glob.example';
    const port = rule.port.kind === 'any' ? { kind: 'exact' as const, port: 8443 } : rule.port;
    const portPart = port.kind === 'exact' ? `:${port.port}` : '';
    rules.push({ kind: 'tuple', index: rules.length, source: `${rule.scheme}://${host}${portPart}`, scheme: rule.scheme, host: { kind: 'exact', host }, port });
  }
  for (const app of APPS) if (rng() < 0.4) rules.push({ kind: 'app', index: rules.length, source: app });
  if (rng() < 0.3) rules.push({ kind: 'null', index: rules.length, source: 'null' });
  return rules;
}

function originsFor(rng: Rng, rules: readonly OriginRule[], count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng();
    if (r < 0.3 && out.length > 0) out.push(out[Math.floor(rng() * out.length)] as string); // repeats: the miss memo answers
    else if (r < 0.38) out.push(AROUND[Math.floor(rng() * AROUND.length)] as string);
    else if (r < 0.42) out.push(APPS[Math.floor(rng() * APPS.length)] as string);
    else out.push(generateOrigin(rng, rules));
  }
  return out;
}

const SIZES = [1, 2, 5, 20, 60, 150];

describe('exact-list miss fast path: fast path vs full path vs reference (seeded)', () => {
  it('match and matchMany agree in both engines, and decide() gives the matching reason', () => {
    const counts = { allowed: 0, none: 0, invalid: 0, origins: 0 };
    for (let p = 0; p < 20; p++) {
      const rng = createRng(0x5eed + p * 7919);
      const rules = exactOnlyPolicy(rng, SIZES[p % SIZES.length] as number);
      const reference = createReference(rules);
      const engines = {
        'js fast': createJsMatcher(rules),
        'js full': createJsMatcher(rules, { fastMiss: false }),
        'wasm fast': createWasmMatcher(rules),
        'wasm full': createWasmMatcher(rules, { fastMiss: false }),
      };
      const policy = compilePolicy({ origins: rules.map((r) => r.source), allowNullOrigin: true });
      // Some policies see more distinct misses than the memo holds: it empties, is skipped, then fills again.
      const origins = originsFor(rng, rules, p % 4 === 3 ? 2000 : 300);
      for (const origin of origins) {
        const want = reference.match(origin);
        counts.origins++;
        if (want >= 0) counts.allowed++;
        else if (want === MATCH_NONE) counts.none++;
        else counts.invalid++;
        for (const [name, m] of Object.entries(engines)) {
          expect(m.match(origin), `${name}.match(${JSON.stringify(origin)}), policy ${p}`).toBe(want);
        }
        const allowed = want >= 0;
        expect(policy.isOriginAllowed(origin), `isOriginAllowed(${JSON.stringify(origin)}), policy ${p}`).toBe(allowed);
        const d = policy.decide({ method: 'GET', origin });
        const reason = allowed ? 'ok' : want === MATCH_INVALID ? 'invalid-origin' : origin === 'null' ? 'null-origin-not-allowed' : 'origin-not-allowed';
        expect(d.reason, `decide(${JSON.stringify(origin)}).reason, policy ${p}`).toBe(reason);
      }
      for (const [name, m] of Object.entries(engines)) {
        const bits = m.matchMany(origins);
        origins.forEach((o, i) => expect(bits[i], `${name}.matchMany[${JSON.stringify(o)}]`).toBe(reference.match(o) >= 0 ? 1 : 0));
      }
    }
    // The generator must reach every verdict, misses above all, or agreeing proves little.
    for (const verdict of ['allowed', 'none', 'invalid'] as const) {
      expect(counts[verdict] / counts.origins, `share of ${verdict}: ${counts[verdict]} of ${counts.origins}`).toBeGreaterThanOrEqual(0.1);
    }
  });

  it('the fast path skips the walk for an exact-only list, and only there', () => {
    const walked = (rules: readonly OriginRule[], fastMiss: boolean, missPath: MissPath | null = exactMissPath): number => {
      let walks = 0;
      const m = tableMatcher(rules, (tables, origin, scan) => {
        walks++;
        return matchTables(tables, origin, scan.hostStart, scan.hostEnd, scan.port);
      }, missPath, { fastMiss });
      walks = 0; // building the exact map may walk its keys; only the matches below count
      for (const o of ['https://miss.example.org', 'https://a.example.com.evil.net', 'http://example.com:8080']) m.match(o);
      return walks;
    };
    const exact: OriginRule[] = [{ kind: 'tuple', index: 0, source: 'https://example.com', scheme: 'https', host: { kind: 'exact', host: 'example.com' }, port: { kind: 'default' } }];
    const anyPort: OriginRule[] = [...exact, { kind: 'tuple', index: 1, source: 'http://example.com:*', scheme: 'http', host: { kind: 'exact', host: 'example.com' }, port: { kind: 'any' } }];
    expect(walked(exact, true), 'exact-only list, fast path: walks').toBe(0);
    expect(walked(exact, false), 'exact-only list, full path: walks').toBe(3);
    expect(walked(anyPort, true), 'a `:*` rule: the walk stays').toBe(3);
    // The browser matcher bundle's form (scripts/build-browser.mjs ENTRY_SWAPS): no miss path.
    expect(browserMissPath, 'the browser form has no miss path').toBeNull();
    expect(walked(exact, true, browserMissPath), 'exact-only list, browser form: walks').toBe(3);
  });
});

describe('isPlainCanonicalOrigin: true only where the scan and the full parser say canonical', () => {
  const rows: { desc: string; input: string; want: boolean }[] = [
    { desc: 'plain https', input: 'https://example.com', want: true },
    { desc: 'http with a port', input: 'http://localhost:3000', want: true },
    { desc: 'port 65535', input: 'https://a.example:65535', want: true },
    { desc: 'port 65536', input: 'https://a.example:65536', want: false },
    { desc: 'default port written', input: 'https://example.com:443', want: false },
    { desc: 'http default port written', input: 'http://example.com:80', want: false },
    { desc: 'https with port 80', input: 'https://example.com:80', want: true },
    { desc: 'leading zero in the port', input: 'https://example.com:0443', want: false },
    { desc: 'punycode label', input: 'https://xn--bcher-kva.example', want: false },
    { desc: 'IPv4', input: 'http://10.0.0.1', want: false },
    { desc: 'last label a number', input: 'https://example.123', want: false },
    { desc: 'trailing dot', input: 'https://example.com.', want: false },
    { desc: 'upper case', input: 'https://Example.com', want: false },
    { desc: 'wss', input: 'wss://example.com', want: false },
    { desc: 'a path', input: 'https://example.com/', want: false },
    { desc: 'a 253-byte host', input: `http://${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, want: true },
    { desc: 'a 254-byte host', input: `http://${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, want: false },
  ];
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      expect(isPlainCanonicalOrigin(input), `isPlainCanonicalOrigin(${JSON.stringify(input)})`).toBe(want);
      if (want) expect(parseCanonicalOriginSlow(input), `the full parser on ${input}`).not.toBeNull();
    });
  }

  it('property: wherever it says true, the scan says YES and the full parser gives the value back', () => {
    const unit = fc.constantFrom(...'abz09-.:_/A'.split(''), 'xn--', '443', '80', '65535', '65536', '.example', '0', 'a'.repeat(70), '.1');
    const input = fc
      .tuple(fc.constantFrom('https://', 'http://', 'wss://', 'HTTP://', 'https:/'), fc.array(unit, { maxLength: 12 }))
      .map(([scheme, parts]) => scheme + parts.join(''));
    const scan = newOriginScan();
    let taken = 0;
    fc.assert(
      fc.property(input, (s) => {
        if (!isPlainCanonicalOrigin(s)) return;
        taken++;
        expect(scanCanonicalOrigin(s, scan), `scanCanonicalOrigin(${JSON.stringify(s)})`).toBe(CANONICAL_YES);
        expect(parseCanonicalOriginSlow(s), `parseCanonicalOriginSlow(${JSON.stringify(s)})`).not.toBeNull();
      }),
      { seed: 1313, numRuns: 20_000 },
    );
    expect(taken, 'values the check said true for').toBeGreaterThan(500);
  });
});
