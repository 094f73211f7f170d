// The precompiled path of the browser matcher bundle: exportMatcher (server) -> JSON ->
// loadMatcher (page). Held to three things:
//   1. loadMatcher answers exactly as compilePolicy on the same init (a seeded differential
//      property test over generated policies and origins, every engine);
//   2. loadMatcher refuses every export a validator could not have made (a table of tampered
//      exports with boundary rows, and a property: every rule it accepts is a fixed point of the
//      strict pattern parser, so no edited rule matches more than the pattern it reads as);
//   3. exportMatcher refuses what compilePolicy refuses, and its output survives JSON;
//   4. `corset compile` (runCompile) writes exactly that export, or says why not.
import fc from 'fast-check';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMatcher, MAX_SOURCE_LENGTH } from '../src/browser/load-matcher.js';
import { COMPILE_USAGE, runCompile } from '../src/cli/compile.js';
import { compilePolicy, lintPolicy } from '../src/policy/compile.js';
import { exportMatcher, type ExportedMatcher } from '../src/policy/export.js';
import { PolicyError } from '../src/policy/issues.js';
import { formatOriginPattern, MAX_PATTERN_LENGTH, parseOriginPattern } from '../src/policy/pattern.js';
import type { HostSpec, OriginRule, PortSpec } from '../src/policy/rules.js';
import { validatePolicy } from '../src/policy/validate.js';
import type { CorsPolicyInit } from '../src/types.js';
import { createRng, generateOrigin } from './fuzz/generate.js';
import { runCli } from './helpers/cli-io.js';

const ENGINES = ['js', 'wasm', 'auto'] as const;

/** What a page receives: the export after a trip through JSON. */
function viaJson(init: CorsPolicyInit): ExportedMatcher {
  return JSON.parse(JSON.stringify(exportMatcher(init))) as ExportedMatcher;
}

/** A mutable deep copy, for tampering. */
type Mutable = { [k: string]: unknown } & { origins: Record<string, unknown>[]; credentialedOrigins: Record<string, unknown>[] | null };
function copy(e: ExportedMatcher): Mutable {
  return JSON.parse(JSON.stringify(e)) as Mutable;
}

const BASE_INIT: CorsPolicyInit = {
  origins: [
    'https://app.example.com', // 0 exact
    'https://*.Example.org:*', // 1 subdomains, any port
    'http://pr-*.preview.example.net:8080', // 2 glob, exact port
    'null', // 3
    /^https:\/\/[a-z]+\.regexp\.test$/g, // 4
  ],
  allowNullOrigin: true,
};
const BASE = viaJson(BASE_INIT);
const TIERED = viaJson({ origins: '*', credentialedOrigins: ['https://app.example.com'] });

function rule(e: Mutable, i: number): Record<string, unknown> {
  return e.origins[i] as Record<string, unknown>;
}
function host(e: Mutable, i: number): Record<string, unknown> {
  return rule(e, i)['host'] as Record<string, unknown>;
}
function port(e: Mutable, i: number): Record<string, unknown> {
  return rule(e, i)['port'] as Record<string, unknown>;
}

const L63 = 'a'.repeat(63);
/** A host of exactly `n` characters (n >= 5): labels of 63 and one shorter, ending in `.test`. */
function hostOfLength(n: number): string {
  const labels: string[] = [];
  let left = n - '.test'.length;
  while (left > 64) {
    labels.push(L63);
    left -= 64;
  }
  labels.push('b'.repeat(left));
  return `${labels.join('.')}.test`;
}

describe('exportMatcher', () => {
  it('exports the validated rules, normalised, as JSON', () => {
    expect(BASE).toEqual({
      format: 'corset-matcher',
      version: 1,
      anyOrigin: false,
      origins: [
        { kind: 'tuple', index: 0, source: 'https://app.example.com', scheme: 'https', host: { kind: 'exact', host: 'app.example.com' }, port: { kind: 'default' } },
        { kind: 'tuple', index: 1, source: 'https://*.Example.org:*', scheme: 'https', host: { kind: 'subdomains', suffix: 'example.org' }, port: { kind: 'any' } },
        {
          kind: 'tuple',
          index: 2,
          source: 'http://pr-*.preview.example.net:8080',
          scheme: 'http',
          host: { kind: 'glob', left: '', prefix: 'pr-', suffix: '', right: 'preview.example.net' },
          port: { kind: 'exact', port: 8080 },
        },
        { kind: 'null', index: 3, source: 'null' },
        { kind: 'regexp', index: 4, source: '/^https:\\/\\/[a-z]+\\.regexp\\.test$/g', pattern: '^https:\\/\\/[a-z]+\\.regexp\\.test$', flags: '' },
      ],
      credentialedOrigins: null,
      allowNullOrigin: true,
      engine: 'auto',
    });
    expect(TIERED.anyOrigin).toBe(true);
    expect(TIERED.origins).toEqual([]);
    expect(TIERED.credentialedOrigins).toEqual([
      { kind: 'tuple', index: 0, source: 'https://app.example.com', scheme: 'https', host: { kind: 'exact', host: 'app.example.com' }, port: { kind: 'default' } },
    ]);
  });

  it('is plain data: the same after a trip through JSON (no RegExp, no functions, no undefined)', () => {
    for (const init of [BASE_INIT, { origins: '*' as const, credentialedOrigins: ['https://app.example.com'] }]) {
      const e = exportMatcher(init);
      expect(JSON.parse(JSON.stringify(e))).toStrictEqual(e);
    }
  });

  const refusals: { desc: string; init: unknown }[] = [
    { desc: 'a public-suffix wildcard', init: { origins: ['https://*.com'] } },
    { desc: 'null without allowNullOrigin', init: { origins: ['null'] } },
    { desc: '* with credentials', init: { origins: '*', credentials: true } },
    { desc: 'a pattern with a path', init: { origins: ['https://example.com/'] } },
    { desc: 'not an object', init: 'https://example.com' },
    { desc: 'an unknown option (a method-level error still refuses the export)', init: { origins: '*', methods: ['TRACE'] } },
  ];
  for (const { desc, init } of refusals) {
    it(`refuses what compilePolicy refuses: ${desc}`, () => {
      let got: unknown = null;
      try {
        exportMatcher(init as CorsPolicyInit);
      } catch (err) {
        got = err;
      }
      expect(got, `exportMatcher(${desc}): got ${String(got)}; want a PolicyError`).toBeInstanceOf(PolicyError);
      const want = lintPolicy(init as CorsPolicyInit).filter((i) => i.severity === 'error');
      expect((got as PolicyError).issues.filter((i) => i.severity === 'error')).toEqual(want);
    });
  }

  it('refuses a compiled CorsPolicy with a TypeError that says what to pass', () => {
    const compiled = compilePolicy({ origins: ['https://app.example.com'] });
    expect(() => exportMatcher(compiled as unknown as CorsPolicyInit)).toThrow(/^corset: exportMatcher\(init\): got a compiled CorsPolicy/);
  });
});

describe('loadMatcher: refuses every export a validator could not have made', () => {
  const rows: { desc: string; mutate: (e: Mutable) => void; want: RegExp | 'ok' }[] = [
    { desc: 'the export untouched', mutate: () => {}, want: 'ok' },
    { desc: 'format', mutate: (e) => (e['format'] = 'corset'), want: /^corset: loadMatcher\(exported\): format is "corset", not "corset-matcher"/ },
    { desc: 'a later version', mutate: (e) => (e['version'] = 2), want: /version is 2, not 1/ },
    { desc: 'an extra top-level key', mutate: (e) => (e['methods'] = ['PUT']), want: /the export does not have exactly 7 keys/ },
    { desc: 'a missing key', mutate: (e) => delete e['engine'], want: /the export does not have exactly 7 keys/ },
    { desc: 'engine unknown', mutate: (e) => (e['engine'] = 'fast'), want: /engine is "fast", not "auto" or "wasm" or "js"/ },
    { desc: 'anyOrigin not a boolean', mutate: (e) => (e['anyOrigin'] = 'false'), want: /anyOrigin is "false"/ },
    { desc: 'anyOrigin with rules', mutate: (e) => (e['anyOrigin'] = true), want: /origins must be \[\] exactly when anyOrigin is true/ },
    { desc: 'an empty list without anyOrigin', mutate: (e) => (e.origins = []), want: /origins must be \[\] exactly when anyOrigin is true/ },
    { desc: 'origins not an array', mutate: (e) => (e['origins'] = { 0: {} } as unknown as Record<string, unknown>[]), want: /origins is an object, not an array/ },
    { desc: 'credentialedOrigins without anyOrigin', mutate: (e) => (e.credentialedOrigins = [e.origins[0]!]), want: /credentialedOrigins must be null, or non-empty with anyOrigin/ },
    { desc: 'a rule index out of place', mutate: (e) => (rule(e, 1)['index'] = 0), want: /origins\[1\]\.index is 0, not its position 1/ },
    { desc: 'a rule index as a string', mutate: (e) => (rule(e, 0)['index'] = '0'), want: /origins\[0\]\.index is "0"/ },
    { desc: 'an unknown rule kind', mutate: (e) => (rule(e, 0)['kind'] = 'any'), want: /origins\[0\]\.kind is "any"/ },
    { desc: 'an extra key in a rule', mutate: (e) => (rule(e, 0)['credentials'] = true), want: /origins\[0\] does not have exactly 6 keys/ },
    { desc: 'a BigInt index', mutate: (e) => (rule(e, 0)['index'] = 0n), want: /origins\[0\]\.index is bigint/ },
    { desc: 'scheme upper case', mutate: (e) => (rule(e, 0)['scheme'] = 'HTTPS'), want: /origins\[0\]\.scheme is "HTTPS", not "http" or "https"/ },
    { desc: 'scheme ws', mutate: (e) => (rule(e, 0)['scheme'] = 'wss'), want: /origins\[0\]\.scheme is "wss"/ },
    { desc: 'source too long by one', mutate: (e) => (rule(e, 0)['source'] = 'x'.repeat(MAX_SOURCE_LENGTH + 1)), want: /origins\[0\]\.source is not a string of at most 1024/ },
    { desc: 'source at the limit', mutate: (e) => (rule(e, 0)['source'] = 'x'.repeat(MAX_SOURCE_LENGTH)), want: 'ok' },
    // hosts
    { desc: 'exact host upper case', mutate: (e) => (host(e, 0)['host'] = 'App.example.com'), want: /origins\[0\]\.host makes "https:\/\/App\.example\.com": not a canonical origin/ },
    { desc: 'exact host with a path', mutate: (e) => (host(e, 0)['host'] = 'example.com/x'), want: /origins\[0\]\.host makes/ },
    { desc: 'exact host with a port', mutate: (e) => (host(e, 0)['host'] = 'example.com:1'), want: /origins\[0\]\.host makes/ },
    { desc: 'exact host IPv6 with a port', mutate: (e) => (host(e, 0)['host'] = '[::1]:80'), want: /origins\[0\]\.host makes/ },
    { desc: 'exact host empty', mutate: (e) => (host(e, 0)['host'] = ''), want: /origins\[0\]\.host makes "https:\/\/"/ },
    { desc: 'exact host with a wildcard', mutate: (e) => (host(e, 0)['host'] = '*.example.com'), want: /origins\[0\]\.host makes/ },
    { desc: 'exact host non-ASCII (not punycode)', mutate: (e) => (host(e, 0)['host'] = 'bücher.example'), want: /origins\[0\]\.host makes/ },
    { desc: 'exact host punycode', mutate: (e) => (host(e, 0)['host'] = 'xn--bcher-kva.example'), want: 'ok' },
    { desc: 'exact host with `_` (the URL parser keeps it)', mutate: (e) => (host(e, 0)['host'] = 'a_b.example.com'), want: 'ok' },
    { desc: 'exact host IPv4 short form', mutate: (e) => (host(e, 0)['host'] = '127.1'), want: /origins\[0\]\.host makes "https:\/\/127\.1"/ },
    { desc: 'exact host IPv4', mutate: (e) => (host(e, 0)['host'] = '127.0.0.1'), want: 'ok' },
    { desc: 'exact host IPv6 uncompressed', mutate: (e) => (host(e, 0)['host'] = '[0:0:0:0:0:0:0:1]'), want: /origins\[0\]\.host makes/ },
    { desc: 'exact host IPv6', mutate: (e) => (host(e, 0)['host'] = '[::1]'), want: 'ok' },
    { desc: 'exact host with a NUL', mutate: (e) => (host(e, 0)['host'] = 'a\u0000.com'), want: /origins\[0\]\.host makes/ },
    { desc: 'exact host with a lone surrogate', mutate: (e) => (host(e, 0)['host'] = 'a\ud800.com'), want: /origins\[0\]\.host makes/ },
    { desc: 'a label of 63', mutate: (e) => (host(e, 0)['host'] = `${L63}.test`), want: 'ok' },
    { desc: 'a label of 64 (too long by one)', mutate: (e) => (host(e, 0)['host'] = `${L63}a.test`), want: /origins\[0\]\.host makes .*within DNS limits/ },
    { desc: 'an empty label', mutate: (e) => (host(e, 0)['host'] = 'a..test'), want: /origins\[0\]\.host makes/ },
    { desc: 'a host of 253', mutate: (e) => (host(e, 0)['host'] = hostOfLength(253)), want: 'ok' },
    { desc: 'a host of 254 (too long by one)', mutate: (e) => (host(e, 0)['host'] = hostOfLength(254)), want: /origins\[0\]\.host makes/ },
    { desc: 'a host of 253 plus a trailing dot', mutate: (e) => (host(e, 0)['host'] = `${hostOfLength(253)}.`), want: 'ok' },
    { desc: 'a host kind unknown', mutate: (e) => (host(e, 0)['kind'] = 'any'), want: /origins\[0\]\.host\.kind is "any"/ },
    { desc: 'a host spec with a key of another kind', mutate: (e) => (host(e, 0)['suffix'] = 'example.com'), want: /origins\[0\]\.host does not have exactly 2 keys/ },
    { desc: 'subdomains over nothing', mutate: (e) => (host(e, 1)['suffix'] = ''), want: /origins\[1\]\.host\.suffix is empty/ },
    { desc: 'subdomains over a dot', mutate: (e) => (host(e, 1)['suffix'] = '.'), want: /origins\[1\]\.host\.suffix is empty/ },
    { desc: 'subdomains over an IP address', mutate: (e) => (host(e, 1)['suffix'] = '0.0.1'), want: /origins\[1\]\.host makes "https:\/\/x\.0\.0\.1"/ },
    { desc: 'subdomains with a wildcard in the suffix', mutate: (e) => (host(e, 1)['suffix'] = '*.org'), want: /origins\[1\]\.host makes/ },
    { desc: 'subdomains suffix of 251 (x. makes 253)', mutate: (e) => (host(e, 1)['suffix'] = hostOfLength(251)), want: 'ok' },
    { desc: 'subdomains suffix of 252 (too long by one)', mutate: (e) => (host(e, 1)['suffix'] = hostOfLength(252)), want: /origins\[1\]\.host makes/ },
    { desc: 'glob with both sides empty', mutate: (e) => (host(e, 2)['prefix'] = ''), want: /origins\[2\]\.host is not \[a-z0-9-\] around "\*"/ },
    { desc: 'glob prefix upper case', mutate: (e) => (host(e, 2)['prefix'] = 'PR-'), want: /origins\[2\]\.host is not \[a-z0-9-\]/ },
    { desc: 'glob prefix with a dot (two labels)', mutate: (e) => (host(e, 2)['prefix'] = 'a.pr-'), want: /origins\[2\]\.host is not \[a-z0-9-\]/ },
    { desc: 'glob prefix with `_`', mutate: (e) => (host(e, 2)['prefix'] = 'pr_'), want: /origins\[2\]\.host is not \[a-z0-9-\]/ },
    { desc: 'glob prefix xn--', mutate: (e) => (host(e, 2)['prefix'] = 'xn--'), want: /origins\[2\]\.host is not \[a-z0-9-\]/ },
    { desc: 'glob over no domain', mutate: (e) => (host(e, 2)['right'] = ''), want: /origins\[2\]\.host\.right is empty/ },
    { desc: 'glob over an IP address', mutate: (e) => (host(e, 2)['right'] = '0.0.1'), want: /origins\[2\]\.host makes/ },
    { desc: 'glob label of 63 with the * as one character', mutate: (e) => (host(e, 2)['prefix'] = 'p'.repeat(62)), want: 'ok' },
    { desc: 'glob label of 64 (too long by one)', mutate: (e) => (host(e, 2)['prefix'] = 'p'.repeat(63)), want: /origins\[2\]\.host makes .*within DNS limits/ },
    { desc: 'glob left upper case', mutate: (e) => (host(e, 2)['left'] = 'A'), want: /origins\[2\]\.host makes/ },
    { desc: 'glob left with labels', mutate: (e) => (host(e, 2)['left'] = 'a.b'), want: 'ok' },
    // ports
    { desc: 'port 65535', mutate: (e) => (port(e, 2)['port'] = 65535), want: 'ok' },
    { desc: 'port 65536 (too large by one)', mutate: (e) => (port(e, 2)['port'] = 65536), want: /origins\[2\]\.port\.port is not an integer from 0 to 65535/ },
    { desc: 'port 0', mutate: (e) => (port(e, 2)['port'] = 0), want: 'ok' },
    { desc: 'port -1', mutate: (e) => (port(e, 2)['port'] = -1), want: /origins\[2\]\.port\.port is not an integer/ },
    { desc: 'port 80.5', mutate: (e) => (port(e, 2)['port'] = 80.5), want: /origins\[2\]\.port\.port is not an integer/ },
    { desc: 'port as a string', mutate: (e) => (port(e, 2)['port'] = '8080'), want: /origins\[2\]\.port\.port is not an integer/ },
    { desc: 'the scheme default as an exact port', mutate: (e) => (port(e, 2)['port'] = 80), want: /origins\[2\]\.host makes "http:\/\/pr-x\.preview\.example\.net:80"/ },
    { desc: 'a port kind unknown', mutate: (e) => (port(e, 0)['kind'] = 'range'), want: /origins\[0\]\.port\.kind is "range"/ },
    { desc: 'a default port with a number', mutate: (e) => (port(e, 0)['port'] = 8080), want: /origins\[0\]\.port does not have exactly 1 keys/ },
    // null and RegExp rules
    { desc: 'a null rule without allowNullOrigin', mutate: (e) => (e['allowNullOrigin'] = false), want: /origins\[3\] is a null rule without allowNullOrigin/ },
    { desc: 'a null rule with another source', mutate: (e) => (rule(e, 3)['source'] = 'https://evil.test'), want: /origins\[3\] is a null rule/ },
    { desc: 'a RegExp with g', mutate: (e) => (rule(e, 4)['flags'] = 'g'), want: /origins\[4\]\.flags is "g", not \[dimsuv\]\*/ },
    { desc: 'a RegExp with y', mutate: (e) => (rule(e, 4)['flags'] = 'iy'), want: /origins\[4\]\.flags is "iy"/ },
    { desc: 'a RegExp with i', mutate: (e) => (rule(e, 4)['flags'] = 'i'), want: 'ok' },
    { desc: 'a RegExp that does not compile', mutate: (e) => (rule(e, 4)['pattern'] = '(unclosed'), want: /origins\[4\]\.pattern does not compile/ },
    { desc: 'a RegExp with duplicate flags', mutate: (e) => (rule(e, 4)['flags'] = 'ii'), want: /origins\[4\]\.pattern does not compile/ },
    { desc: 'a RegExp in credentialedOrigins', mutate: (e) => {
      e['anyOrigin'] = true;
      e.credentialedOrigins = [{ ...rule(e, 4), index: 0 }];
      e.origins = [];
    }, want: /credentialedOrigins\[0\] is a RegExp/ },
    { desc: 'a rule that is null', mutate: (e) => (e.origins[0] = null as unknown as Record<string, unknown>), want: /origins\[0\] is null, not an object/ },
    { desc: 'a rule whose getter throws', mutate: (e) => Object.defineProperty(e.origins[0], 'source', { get() { throw new RangeError('boom'); }, enumerable: true }), want: /^corset: loadMatcher\(exported\): could not be read \(boom\)/ },
  ];
  for (const { desc, mutate, want } of rows) {
    it(desc, () => {
      const e = copy(BASE);
      mutate(e);
      let got: unknown = null;
      try {
        loadMatcher(e as unknown as ExportedMatcher, { engine: 'js' });
      } catch (err) {
        got = err;
      }
      if (want === 'ok') {
        expect(got, `loadMatcher(${desc}): got ${String(got)}; want a matcher`).toBeNull();
      } else {
        expect(got, `loadMatcher(${desc}): got no error; want ${want}`).toBeInstanceOf(Error);
        const message = (got as Error).message;
        expect(message, `loadMatcher(${desc}): got ${message}; want ${want}`).toMatch(want);
        expect(message.startsWith('corset: loadMatcher(exported): '), message).toBe(true);
      }
    });
  }

  it('a RegExp longer than any pattern source exports and loads (the validator has no cap on them)', () => {
    const long = new RegExp(`^https://(${Array.from({ length: 300 }, (_, i) => `a${i}`).join('|')})\\.example\\.com$`);
    expect(long.source.length).toBeGreaterThan(MAX_SOURCE_LENGTH);
    const m = loadMatcher(viaJson({ origins: [long] }));
    expect(m.matchOrigin('https://a299.example.com')).toBe(`/${long.source}/`);
    expect(m.isOriginAllowed('https://a300.example.com')).toBe(false);
  });

  it('a non-object export is a TypeError naming the argument', () => {
    for (const value of [undefined, null, 'x', 1, [], true]) {
      expect(() => loadMatcher(value as unknown as ExportedMatcher), String(value)).toThrow(TypeError);
      expect(() => loadMatcher(value as unknown as ExportedMatcher), String(value)).toThrow(/^corset: loadMatcher\(exported\): exported must be/);
    }
  });

  it('the source cap is the pattern parser\'s', () => {
    expect(MAX_SOURCE_LENGTH).toBe(MAX_PATTERN_LENGTH);
  });

  // The fixed-point property: whatever strings sit in a host spec, if loadMatcher accepts the
  // rule, the strict parser reads the rule's own pattern text back as exactly that rule. So an
  // accepted rule allows exactly what its pattern says, and never more.
  const piece = fc.constantFrom('a', 'b', 'z', '0', '9', '-', '.', '_', 'A', '*', ':', '/', '[', ']', '%', 'é', 'xn--', '\u0000', ' ', '\ud800', 'example', 'com', '127', '::1', 'test');
  const word = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
  const hostSpec: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    fc.record({ kind: fc.constant('exact'), host: fc.oneof(word, fc.constantFrom('[::1]', '[::ffff:1.2.3.4]', '1.2.3.4', '0x7f.1', 'a.b.', 'xn--bcher-kva.example')) }),
    fc.record({ kind: fc.constant('subdomains'), suffix: word }),
    fc.record({ kind: fc.constant('glob'), left: word, prefix: word, suffix: word, right: word }),
  );
  const portSpec: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    fc.constant({ kind: 'default' }),
    fc.constant({ kind: 'any' }),
    fc.record({ kind: fc.constant('exact'), port: fc.oneof(fc.integer({ min: -2, max: 70000 }), fc.constantFrom(80, 443, 65535, 65536)) }),
  );

  it('every tuple rule it accepts is a fixed point of the strict pattern parser (property)', () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.constantFrom('http', 'https'), hostSpec, portSpec, (scheme, h, p) => {
        runs++;
        const e = copy(BASE);
        e.origins = [{ kind: 'tuple', index: 0, source: 'written', scheme, host: h, port: p }];
        e['allowNullOrigin'] = false;
        try {
          loadMatcher(e as unknown as ExportedMatcher, { engine: 'js' });
        } catch (err) {
          expect((err as Error).message.startsWith('corset: loadMatcher(exported): '), String(err)).toBe(true);
          return;
        }
        accepted++;
        const shape = { kind: 'tuple', scheme, host: h as HostSpec, port: p as PortSpec } as const;
        const text = formatOriginPattern(shape);
        const back = parseOriginPattern(text);
        expect(back, `parseOriginPattern(${JSON.stringify(text)}): got ${JSON.stringify(back)}; want the rule loadMatcher accepted`).toEqual({ rule: shape });
      }),
      { seed: 5150, numRuns: 3000 },
    );
    // Not vacuous: a good share of generated rules must be accepted.
    expect(accepted / runs, `accepted ${accepted} of ${runs}`).toBeGreaterThan(0.05);
  });
});

// ---------------------------------------------------------------------------------------------
// Differential: loadMatcher(export) against compilePolicy(init), every engine
// ---------------------------------------------------------------------------------------------

const SCHEMES = ['https://', 'http://', 'HTTPS://'];
const DOMAINS = ['example.com', 'app.example.com', 'Example.COM', 'test.org', 'a.test.org', 'xn--bcher-kva.example', 'bücher.example', 'localhost', 'a_b.example.com', 'example.com.'];
const HOSTS = [...DOMAINS, '127.0.0.1', '[::1]'];
const PORTS = ['', '', '', ':443', ':80', ':8080', ':*', ':0', ':65535'];
const BASES = ['example.com', 'test.org', 'localhost', 'dev.example.com', 'example.com.'];

const entry: fc.Arbitrary<string | RegExp> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...SCHEMES), fc.constantFrom(...HOSTS), fc.constantFrom(...PORTS)).map(([s, h, p]) => `${s}${h}${p}`) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...SCHEMES), fc.constantFrom(...BASES), fc.constantFrom(...PORTS)).map(([s, b, p]) => `${s}*.${b}${p}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...SCHEMES), fc.constantFrom('', 'a.'), fc.constantFrom('pr-', '', 'app'), fc.constantFrom('', '-x', '1'), fc.constantFrom(...BASES), fc.constantFrom(...PORTS))
      .filter(([, , pre, suf]) => pre + suf !== '')
      .map(([s, l, pre, suf, b, p]) => `${s}${l}${pre}*${suf}.${b}${p}`),
  },
  { weight: 1, arbitrary: fc.constant('null') },
  { weight: 1, arbitrary: fc.constantFrom(/^https:\/\/[a-z]+\.example\.com$/, /^http:\/\/localhost:\d+$/, /example/, /^HTTPS:\/\/A\.TEST\.ORG$/i, /^https:\/\/.*$/g) },
);

const policyInit: fc.Arbitrary<CorsPolicyInit> = fc.oneof(
  fc.record({ origins: fc.array(entry, { minLength: 1, maxLength: 8 }), allowNullOrigin: fc.boolean() }),
  fc.record({ origins: fc.constant('*' as const), allowNullOrigin: fc.boolean() }),
  fc.record({
    origins: fc.constant('*' as const),
    credentialedOrigins: fc.array(entry.filter((x): x is string => typeof x === 'string' && !x.startsWith('http://')), { minLength: 1, maxLength: 5 }),
    allowNullOrigin: fc.boolean(),
  }),
);

const FIXED_ORIGINS = ['', 'null', 'NULL', '*', 'https://', 'https://app.example.com', 'https://app.example.com/', 'https://a.app.example.com', 'http://localhost:5173', 'https://a.test.org:8080', 'https://x.example.com.', `https://${'a'.repeat(300)}.com`, 'https://\u0000.com', 'https://\ud800.com', 'https://bücher.example', 'https://xn--bcher-kva.example'];

describe('loadMatcher answers as compilePolicy (differential property, every engine)', () => {
  it('isOriginAllowed, matchOrigin and matchOrigins agree on generated policies and origins', () => {
    let policies = 0;
    let allowed = 0;
    let total = 0;
    fc.assert(
      fc.property(policyInit, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (init, seed) => {
        const { policy } = validatePolicy(init);
        fc.pre(policy !== null);
        policies++;
        const rules: OriginRule[] = [...(policy!.origins.kind === 'list' ? policy!.origins.rules : []), ...(policy!.credentialedOrigins ?? [])];
        const rng = createRng(seed);
        const origins = [...FIXED_ORIGINS, ...Array.from({ length: 60 }, () => generateOrigin(rng, rules))];
        const exported = viaJson(init);
        for (const engine of ENGINES) {
          const want = compilePolicy({ ...init, engine });
          const got = loadMatcher(exported, { engine });
          expect(got.engine, `engine ${engine}`).toBe(want.engine);
          for (const origin of origins) {
            const w = want.matchOrigin(origin);
            expect(got.matchOrigin(origin), `[${engine}] matchOrigin(${JSON.stringify(origin)}) for ${String(init.origins)}: want ${w}`).toBe(w);
            expect(got.isOriginAllowed(origin), `[${engine}] isOriginAllowed(${JSON.stringify(origin)})`).toBe(want.isOriginAllowed(origin));
            total++;
            if (w !== null) allowed++;
          }
          expect([...got.matchOrigins(origins)], `[${engine}] matchOrigins`).toEqual([...want.matchOrigins(origins)]);
        }
      }),
      { seed: 424242, numRuns: 150 },
    );
    expect(policies, 'valid policies generated').toBeGreaterThan(60);
    // Not vacuous: both verdicts occur often.
    expect(allowed / total, `allowed ${allowed} of ${total}`).toBeGreaterThan(0.1);
    expect(allowed / total, `allowed ${allowed} of ${total}`).toBeLessThan(0.9);
  });

  it('the exported engine is used unless overridden', () => {
    expect(loadMatcher(viaJson({ origins: ['https://a.test.org'], engine: 'js' })).engine).toBe('js');
    expect(loadMatcher(viaJson({ origins: ['https://a.test.org'], engine: 'wasm' })).engine).toBe('wasm');
    expect(loadMatcher(viaJson({ origins: ['https://a.test.org'], engine: 'wasm' }), { engine: 'js' }).engine).toBe('js');
  });
});

describe('the loaded matcher is total over strings', () => {
  const matchers = ENGINES.map((engine) => [engine, loadMatcher(BASE, { engine })] as const);
  const rows: { desc: string; input: string; want: string | null }[] = [
    { desc: 'empty', input: '', want: null },
    { desc: '100 KB', input: `https://${'a'.repeat(100 * 1024)}.com`, want: null },
    { desc: 'the longest origin (268) plus one', input: `https://${'a.'.repeat(125)}example.org:65535x`, want: null },
    { desc: 'NUL', input: 'https://app.example.com\u0000', want: null },
    { desc: 'non-ASCII', input: 'https://äpp.example.com', want: null },
    { desc: 'lone surrogate', input: 'https://\ud800.example.org', want: null },
    { desc: 'an exact hit', input: 'https://app.example.com', want: 'https://app.example.com' },
    { desc: 'a subdomain on any port', input: 'https://a.b.example.org:8443', want: 'https://*.Example.org:*' },
    { desc: 'the apex is not a subdomain', input: 'https://example.org', want: null },
    { desc: 'a glob on its port', input: 'http://pr-12.preview.example.net:8080', want: 'http://pr-*.preview.example.net:8080' },
    { desc: 'a glob on another port', input: 'http://pr-12.preview.example.net', want: null },
    { desc: 'null, allowed', input: 'null', want: 'null' },
    { desc: 'the RegExp', input: 'https://abc.regexp.test', want: '/^https:\\/\\/[a-z]+\\.regexp\\.test$/g' },
  ];
  for (const [engine, m] of matchers) {
    for (const { desc, input, want } of rows) {
      it(`[${engine}] ${desc}`, () => {
        expect(m.matchOrigin(input), `matchOrigin(${JSON.stringify(input.slice(0, 60))}): want ${want}`).toBe(want);
        expect(m.isOriginAllowed(input)).toBe(want !== null);
        expect([...m.matchOrigins([input])]).toEqual([want === null ? 0 : 1]);
      });
    }
    it(`[${engine}] a non-string is a TypeError naming the argument`, () => {
      expect(() => m.isOriginAllowed(1 as unknown as string)).toThrow(/^corset: isOriginAllowed\(origin\): origin must be a string, got number/);
      expect(() => m.matchOrigin(undefined as unknown as string)).toThrow(/^corset: matchOrigin\(origin\): origin must be a string/);
      expect(() => m.matchOrigins('x' as unknown as string[])).toThrow(/^corset: matchOrigins\(origins\): origins must be an array/);
      expect(() => m.matchOrigins(['x', 2] as unknown as string[])).toThrow(/^corset: matchOrigins\(origins\[1\]\): origins\[1\] must be a string/);
    });
  }
  it('a tiered policy names the credentialed entry, then "*"', () => {
    const m = loadMatcher(TIERED);
    expect(m.matchOrigin('https://app.example.com')).toBe('https://app.example.com');
    expect(m.matchOrigin('https://other.example.com')).toBe('*');
    expect(m.matchOrigin('null')).toBeNull();
    expect(m.matchOrigin('https://other.example.com/')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// corset compile
// ---------------------------------------------------------------------------------------------

function compileCli(...argv: string[]) {
  return runCli(runCompile, argv);
}

describe('corset compile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'corset-compile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, body: unknown): string => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
    return file;
  };
  const POLICY = { origins: ['https://app.example.com', 'https://*.example.org', 'http://localhost:*'], credentials: true, maxAge: 600 };

  it('writes the export of a valid policy to stdout, and it loads', async () => {
    const r = await compileCli(write('ok.json', POLICY));
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    const got = JSON.parse(r.stdout) as ExportedMatcher;
    expect(got).toEqual(exportMatcher(POLICY));
    const m = loadMatcher(got);
    expect(m.matchOrigin('https://a.example.org')).toBe('https://*.example.org');
    expect(m.isOriginAllowed('https://example.org')).toBe(false);
  });

  it('--out writes the file and says so on stderr', async () => {
    const out = path.join(dir, 'matcher.json');
    const r = await compileCli(write('ok2.json', POLICY), '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^corset: wrote .*matcher\.json \(\d+ bytes\) from /);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(exportMatcher(POLICY));
  });

  it('prints warnings and still writes', async () => {
    const r = await compileCli(write('warn.json', { ...POLICY, maxAge: 10000 }));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning max-age-capped at maxAge/);
    expect(JSON.parse(r.stdout)).toEqual(exportMatcher(POLICY));
  });

  it('an invalid policy: exit 1, every error printed, nothing written', async () => {
    const out = path.join(dir, 'never.json');
    const r = await compileCli(write('bad.json', { origins: ['https://*.com', 'null', 'https://example.com/'] }), '--out', out);
    expect(r.code).toBe(1);
    for (const code of ['public-suffix-wildcard', 'null-origin', 'pattern-has-path']) expect(r.stderr).toContain(`error   ${code}`);
    expect(r.stderr).toMatch(/is invalid; nothing written/);
    expect(existsSync(out), 'no output file').toBe(false);
    expect(r.stdout).toBe('');
  });

  const usage: { desc: string; argv: () => string[]; want: RegExp }[] = [
    { desc: 'no file', argv: () => [], want: /compile needs a policy file/ },
    { desc: 'two files', argv: () => ['a.json', 'b.json'], want: /unexpected argument "b\.json"/ },
    { desc: 'an unknown flag', argv: () => ['a.json', '--json'], want: /unknown option --json/ },
    { desc: 'an unreadable file', argv: () => [path.join(dir, 'missing.json')], want: /cannot read policy file/ },
    { desc: 'malformed JSON', argv: () => [write('broken.json', '{ origins: [')], want: /is not valid JSON/ },
    { desc: '--out without a value', argv: () => [write('ok3.json', POLICY), '--out'], want: /--out needs a value/ },
    { desc: '--out into a missing directory', argv: () => [write('ok4.json', POLICY), '--out', path.join(dir, 'no', 'such', 'dir.json')], want: /cannot write/ },
  ];
  for (const { desc, argv, want } of usage) {
    it(`usage error (exit 2): ${desc}`, async () => {
      const r = await compileCli(...argv());
      expect(r.code, `corset compile ${desc}: got ${r.code}; want 2`).toBe(2);
      expect(r.stderr).toMatch(want);
      expect(r.stderr).toContain('Usage: corset compile');
    });
  }

  it('--help prints the usage and exits 0', async () => {
    const r = await compileCli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(COMPILE_USAGE);
  });
});

describe('the README example (In the browser: exportMatcher on the server, loadMatcher in the page)', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  it('shows what the code answers', () => {
    const init: CorsPolicyInit = { origins: ['https://app.example.com', 'https://*.example.org', 'http://localhost:*'], credentials: true };
    expect(readme).toContain("const init = { origins: ['https://app.example.com', 'https://*.example.org', 'http://localhost:*'], credentials: true };");
    const matcher = loadMatcher(JSON.parse(JSON.stringify(exportMatcher(init))) as ExportedMatcher);
    expect(matcher.engine).toBe('wasm');
    expect(readme).toContain("matcher.matchOrigin('https://a.b.example.org');  // 'https://*.example.org'");
    expect(matcher.matchOrigin('https://a.b.example.org')).toBe('https://*.example.org');
    expect(readme).toContain("matcher.isOriginAllowed('https://example.org');  // false");
    expect(matcher.isOriginAllowed('https://example.org')).toBe(false);
    expect(readme).toContain("matcher.matchOrigins(['http://localhost:5173', 'https://evil.example']);  // Uint8Array [1, 0]");
    expect([...matcher.matchOrigins(['http://localhost:5173', 'https://evil.example'])]).toEqual([1, 0]);
  });
});
