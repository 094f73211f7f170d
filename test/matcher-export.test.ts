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
import { loadMatcher, MAX_SOURCE_LENGTH, parseExportedPattern } from '../src/browser/load-matcher.js';
import { COMPILE_USAGE, runCompile } from '../src/cli/compile.js';
import { compilePolicy, lintPolicy } from '../src/compile/compile-policy.js';
import { exportMatcher, type ExportedMatcher } from '../src/policy/export.js';
import { PolicyError } from '../src/policy/issues.js';
import { formatOriginPattern, MAX_PATTERN_LENGTH, parseOriginPattern } from '../src/policy/pattern.js';
import type { OriginRule } from '../src/policy/rules.js';
import { validatePolicy } from '../src/policy/validate.js';
import { MAX_REGEXP_SOURCE_LENGTH } from '../src/policy/regexp-rule.js';
import type { CorsPolicyInit } from '../src/types.js';
import { createRng, generateOrigin } from './fuzz/generate.js';
import { runCli } from './helpers/cli-io.js';

const ENGINES = ['js', 'wasm', 'auto'] as const;

/** What a page receives: the export after a trip through JSON. */
function viaJson(init: CorsPolicyInit): ExportedMatcher {
  return JSON.parse(JSON.stringify(exportMatcher(init))) as ExportedMatcher;
}

/** A mutable deep copy, for tampering. */
type Mutable = { [k: string]: unknown } & { origins: unknown[] | '*'; credentialedOrigins: unknown[] | null };
function copy(e: ExportedMatcher): Mutable {
  return JSON.parse(JSON.stringify(e)) as Mutable;
}

const BASE_INIT: CorsPolicyInit = {
  origins: [
    'https://app.example.com', // 0 exact
    'https://*.Example.org:*', // 1 subdomains, any port (written otherwise than its normal form)
    'http://pr-*.preview.example.net:8080', // 2 glob, exact port
    'null', // 3
    /^https:\/\/[a-z]+\.regexp\.test$/g, // 4
  ],
  allowNullOrigin: true,
};
const BASE = viaJson(BASE_INIT);
const TIERED = viaJson({ origins: '*', credentialedOrigins: ['https://app.example.com'] });

/** The entries of `e.origins`, as a mutable list. */
function entries(e: Mutable): unknown[] {
  return e.origins as unknown[];
}
/** Put `pattern` (a string entry) at origins[0]. */
const setPattern = (pattern: string) => (e: Mutable): void => {
  entries(e)[0] = pattern;
};

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
      version: 2,
      origins: [
        'https://app.example.com',
        { pattern: 'https://*.example.org:*', source: 'https://*.Example.org:*' },
        'http://pr-*.preview.example.net:8080',
        'null',
        { regexp: '^https:\\/\\/[a-z]+\\.regexp\\.test$', flags: '', source: '/^https:\\/\\/[a-z]+\\.regexp\\.test$/g' },
      ],
      credentialedOrigins: null,
      allowNullOrigin: true,
      engine: 'auto',
    });
    expect(TIERED.origins).toBe('*');
    expect(TIERED.credentialedOrigins).toEqual(['https://app.example.com']);
  });

  it('writes each pattern in the normal form the strict parser reads back as the same rule', () => {
    const init: CorsPolicyInit = {
      origins: ['HTTPS://Bücher.Example:443', 'http://[0:0::1]:8080', 'https://A.pr-*-X.example.com:*', 'http://127.0.0.1:080', 'https://*.example.com.'],
    };
    expect(exportMatcher(init).origins).toEqual([
      { pattern: 'https://xn--bcher-kva.example', source: 'HTTPS://Bücher.Example:443' },
      { pattern: 'http://[::1]:8080', source: 'http://[0:0::1]:8080' },
      { pattern: 'https://a.pr-*-x.example.com:*', source: 'https://A.pr-*-X.example.com:*' },
      { pattern: 'http://127.0.0.1', source: 'http://127.0.0.1:080' },
      'https://*.example.com.',
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
  const KEYS = /the export does not have exactly the keys allowNullOrigin,credentialedOrigins,engine,format,origins,version/;
  const rows: { desc: string; mutate: (e: Mutable) => void; want: RegExp | 'ok' }[] = [
    { desc: 'the export untouched', mutate: () => {}, want: 'ok' },
    { desc: 'format', mutate: (e) => (e['format'] = 'corset'), want: /^corset: loadMatcher\(exported\): format is "corset", not "corset-matcher"/ },
    { desc: 'a later version', mutate: (e) => (e['version'] = 3), want: /version is 3, not 2/ },
    { desc: 'version 1 (the earlier format)', mutate: (e) => (e['version'] = 1), want: /version is 1, not 2/ },
    { desc: 'an extra top-level key', mutate: (e) => (e['methods'] = ['PUT']), want: KEYS },
    { desc: 'a missing key', mutate: (e) => delete e['engine'], want: KEYS },
    { desc: 'engine unknown', mutate: (e) => (e['engine'] = 'fast'), want: /engine is "fast", not "auto" or "wasm" or "js"/ },
    { desc: 'allowNullOrigin not a boolean', mutate: (e) => (e['allowNullOrigin'] = 'true'), want: /allowNullOrigin is "true"/ },
    { desc: "origins '*'", mutate: (e) => (e.origins = '*'), want: 'ok' },
    { desc: "origins '**'", mutate: (e) => (e.origins = '**' as '*'), want: /origins is string, not an array/ },
    { desc: 'an empty list', mutate: (e) => (e.origins = []), want: /origins is empty/ },
    { desc: 'origins not an array', mutate: (e) => (e.origins = { 0: 'https://a.test' } as unknown as unknown[]), want: /origins is an object, not an array/ },
    { desc: "credentialedOrigins without origins '*'", mutate: (e) => (e.credentialedOrigins = ['https://a.test']), want: /credentialedOrigins must be null unless origins is "\*"/ },
    { desc: "credentialedOrigins empty, with origins '*'", mutate: (e) => ((e.origins = '*'), (e.credentialedOrigins = [])), want: /credentialedOrigins is empty/ },
    { desc: 'an entry that is a number', mutate: (e) => (entries(e)[0] = 443), want: /origins\[0\] is number, not an object/ },
    { desc: 'an entry that is null', mutate: (e) => (entries(e)[0] = null), want: /origins\[0\] is null, not an object/ },
    { desc: 'an entry with an extra key', mutate: (e) => ((entries(e)[1] as Record<string, unknown>)['credentials'] = true), want: /origins\[1\] does not have exactly the keys pattern,source/ },
    { desc: 'a source too long by one', mutate: (e) => ((entries(e)[1] as Record<string, unknown>)['source'] = 'x'.repeat(MAX_SOURCE_LENGTH + 1)), want: /origins\[1\]\.source is not a string of at most 1024/ },
    { desc: 'a source at the limit', mutate: (e) => ((entries(e)[1] as Record<string, unknown>)['source'] = 'x'.repeat(MAX_SOURCE_LENGTH)), want: 'ok' },
    { desc: 'a pattern too long by one', mutate: setPattern(`https://${'a'.repeat(MAX_SOURCE_LENGTH)}`), want: /origins\[0\] is not a string of at most 1024/ },
    // the pattern's syntax
    { desc: 'scheme upper case', mutate: setPattern('HTTPS://app.example.com'), want: /origins\[0\] is "HTTPS:\/\/app\.example\.com", not http\(s\):\/\/host\[:port\]/ },
    { desc: 'scheme wss', mutate: setPattern('wss://app.example.com'), want: /origins\[0\] is "wss:/ },
    { desc: 'no scheme', mutate: setPattern('app.example.com'), want: /origins\[0\] is "app\.example\.com", not/ },
    { desc: 'two ports', mutate: setPattern('https://example.com:1:2'), want: /origins\[0\] is "https:\/\/example\.com:1:2", not/ },
    { desc: 'a port of -1', mutate: setPattern('https://example.com:-1'), want: /origins\[0\] is "https:\/\/example\.com:-1", not/ },
    { desc: 'a port of 80.5', mutate: setPattern('https://example.com:80.5'), want: /origins\[0\] is .*, not/ },
    { desc: 'a path', mutate: setPattern('https://example.com/x'), want: /origins\[0\] makes "https:\/\/example\.com\/x": not a canonical origin/ },
    // hosts
    { desc: 'exact host upper case', mutate: setPattern('https://App.example.com'), want: /origins\[0\] makes "https:\/\/App\.example\.com": not a canonical origin/ },
    { desc: 'exact host empty', mutate: setPattern('https://'), want: /origins\[0\] makes "https:\/\/"/ },
    { desc: 'exact host non-ASCII (not punycode)', mutate: setPattern('https://bücher.example'), want: /origins\[0\] makes/ },
    { desc: 'exact host punycode', mutate: setPattern('https://xn--bcher-kva.example'), want: 'ok' },
    { desc: 'exact host with `_` (the URL parser keeps it)', mutate: setPattern('https://a_b.example.com'), want: 'ok' },
    { desc: 'exact host IPv4 short form', mutate: setPattern('https://127.1'), want: /origins\[0\] makes "https:\/\/127\.1"/ },
    { desc: 'exact host IPv4', mutate: setPattern('https://127.0.0.1'), want: 'ok' },
    { desc: 'exact host IPv6 uncompressed', mutate: setPattern('https://[0:0:0:0:0:0:0:1]'), want: /origins\[0\] makes/ },
    { desc: 'exact host IPv6', mutate: setPattern('https://[::1]'), want: 'ok' },
    { desc: 'exact host IPv6 with a port', mutate: setPattern('https://[::1]:8443'), want: 'ok' },
    { desc: 'exact host IPv6 with a wildcard', mutate: setPattern('https://[::*]'), want: /origins\[0\]/ },
    { desc: 'exact host with a NUL', mutate: setPattern('https://a\u0000.com'), want: /origins\[0\] makes/ },
    { desc: 'exact host with a lone surrogate', mutate: setPattern('https://a\ud800.com'), want: /origins\[0\] makes/ },
    { desc: 'a label of 63', mutate: setPattern(`https://${L63}.test`), want: 'ok' },
    { desc: 'a label of 64 (too long by one)', mutate: setPattern(`https://${L63}a.test`), want: /origins\[0\] makes .*within DNS limits/ },
    { desc: 'an empty label', mutate: setPattern('https://a..test'), want: /origins\[0\] makes/ },
    { desc: 'a host of 253', mutate: setPattern(`https://${hostOfLength(253)}`), want: 'ok' },
    { desc: 'a host of 254 (too long by one)', mutate: setPattern(`https://${hostOfLength(254)}`), want: /origins\[0\] makes/ },
    { desc: 'a host of 253 plus a trailing dot', mutate: setPattern(`https://${hostOfLength(253)}.`), want: 'ok' },
    // wildcards and globs
    { desc: 'two wildcards', mutate: setPattern('https://*.pr-*.example.com'), want: /origins\[0\] has more than one "\*"/ },
    { desc: 'subdomains over nothing', mutate: setPattern('https://*.'), want: /origins\[0\] has a wildcard over no domain/ },
    { desc: 'subdomains over a dot', mutate: setPattern('https://*..'), want: /origins\[0\] has a wildcard over no domain/ },
    { desc: 'subdomains over an IP address', mutate: setPattern('https://*.0.0.1'), want: /origins\[0\] makes "https:\/\/x\.0\.0\.1"/ },
    { desc: 'subdomains over a suffix of 251 (x. makes 253)', mutate: setPattern(`https://*.${hostOfLength(251)}`), want: 'ok' },
    { desc: 'subdomains over a suffix of 252 (too long by one)', mutate: setPattern(`https://*.${hostOfLength(252)}`), want: /origins\[0\] makes/ },
    { desc: 'a lone * label between others', mutate: setPattern('https://a.*.example.com'), want: /origins\[0\] is not \[a-z0-9-\] around "\*"/ },
    { desc: 'a lone *', mutate: setPattern('https://*'), want: /origins\[0\] is not \[a-z0-9-\] around "\*"/ },
    { desc: 'glob prefix upper case', mutate: setPattern('http://PR-*.preview.example.net'), want: /origins\[0\] is not \[a-z0-9-\]/ },
    { desc: 'glob prefix with `_`', mutate: setPattern('http://pr_*.preview.example.net'), want: /origins\[0\] is not \[a-z0-9-\]/ },
    { desc: 'glob prefix xn--', mutate: setPattern('http://xn--*.preview.example.net'), want: /origins\[0\] is not \[a-z0-9-\]/ },
    { desc: 'glob in the last label', mutate: setPattern('https://example.c*m'), want: /origins\[0\] has a wildcard over no domain/ },
    { desc: 'glob over a dot', mutate: setPattern('https://pr-*..'), want: /origins\[0\] has a wildcard over no domain/ },
    { desc: 'glob over an IP address', mutate: setPattern('https://pr-*.0.0.1'), want: /origins\[0\] makes/ },
    { desc: 'glob label of 63 with the * as one character', mutate: setPattern(`https://${'p'.repeat(62)}*.example.net`), want: 'ok' },
    { desc: 'glob label of 64 (too long by one)', mutate: setPattern(`https://${'p'.repeat(63)}*.example.net`), want: /origins\[0\] makes .*within DNS limits/ },
    { desc: 'glob left upper case', mutate: setPattern('https://A.pr-*.example.net'), want: /origins\[0\] makes/ },
    { desc: 'glob left with labels', mutate: setPattern('https://a.b.pr-*-x.example.net'), want: 'ok' },
    // ports
    { desc: 'port 65535', mutate: setPattern('https://example.com:65535'), want: 'ok' },
    { desc: 'port 65536 (too large by one)', mutate: setPattern('https://example.com:65536'), want: /origins\[0\] makes "https:\/\/example\.com:65536"/ },
    { desc: 'port 0', mutate: setPattern('https://example.com:0'), want: 'ok' },
    { desc: 'a port with a leading zero', mutate: setPattern('https://example.com:08080'), want: /origins\[0\] makes/ },
    { desc: 'the scheme default as an exact port', mutate: setPattern('http://pr-*.preview.example.net:80'), want: /origins\[0\] makes "http:\/\/pr-x\.preview\.example\.net:80"/ },
    { desc: 'any port', mutate: setPattern('http://pr-*.preview.example.net:*'), want: 'ok' },
    // null and RegExp entries
    { desc: 'a null entry without allowNullOrigin', mutate: (e) => (e['allowNullOrigin'] = false), want: /origins\[3\] is not its own source, or is "null" without allowNullOrigin/ },
    { desc: 'a null entry with another source', mutate: (e) => (entries(e)[3] = { pattern: 'null', source: 'https://evil.test' }), want: /origins\[3\] is not its own source/ },
    // app and extension origins: exact, canonical, their own source
    { desc: 'an app origin', mutate: setPattern('capacitor://localhost'), want: 'ok' },
    { desc: 'an extension origin', mutate: setPattern('chrome-extension://abcdefghijklmnopabcdefghijklmnop'), want: 'ok' },
    { desc: 'an app origin with another source', mutate: (e) => (entries(e)[0] = { pattern: 'capacitor://localhost', source: 'https://evil.test' }), want: /origins\[0\] is not its own source/ },
    { desc: 'an app origin with an upper-case scheme', mutate: setPattern('Capacitor://localhost'), want: /origins\[0\] is "Capacitor:\/\/localhost", not http\(s\)/ },
    { desc: 'an app origin with a trailing slash', mutate: setPattern('capacitor://localhost/'), want: /origins\[0\] is "capacitor:\/\/localhost\/", not http\(s\)/ },
    { desc: 'an app origin with a wildcard host', mutate: setPattern('capacitor://*.localhost'), want: /origins\[0\] is "capacitor:\/\/\*\.localhost", not http\(s\)/ },
    { desc: 'a file: origin', mutate: setPattern('file://host'), want: /origins\[0\] is "file:\/\/host", not http\(s\)/ },
    { desc: 'a RegExp with g', mutate: (e) => ((entries(e)[4] as Record<string, unknown>)['flags'] = 'g'), want: /origins\[4\]\.flags is "g", not \[dimsuv\]\*/ },
    { desc: 'a RegExp with y', mutate: (e) => ((entries(e)[4] as Record<string, unknown>)['flags'] = 'iy'), want: /origins\[4\]\.flags is "iy"/ },
    { desc: 'a RegExp with i', mutate: (e) => ((entries(e)[4] as Record<string, unknown>)['flags'] = 'i'), want: 'ok' },
    { desc: 'a RegExp that does not compile', mutate: (e) => ((entries(e)[4] as Record<string, unknown>)['regexp'] = '(unclosed'), want: /origins\[4\]\.regexp does not compile/ },
    { desc: 'a RegExp with duplicate flags', mutate: (e) => ((entries(e)[4] as Record<string, unknown>)['flags'] = 'ii'), want: /origins\[4\]\.regexp does not compile/ },
    { desc: 'a RegExp with an extra key', mutate: (e) => ((entries(e)[4] as Record<string, unknown>)['pattern'] = 'x'), want: /origins\[4\] does not have exactly the keys flags,regexp,source/ },
    {
      desc: 'a RegExp in credentialedOrigins',
      mutate: (e) => {
        e.credentialedOrigins = [entries(e)[4]];
        e.origins = '*';
      },
      want: /credentialedOrigins\[0\] is a RegExp/,
    },
    {
      desc: 'an entry whose getter throws',
      mutate: (e) => Object.defineProperty(entries(e)[1], 'source', { get() { throw new RangeError('boom'); }, enumerable: true }),
      want: /^corset: loadMatcher\(exported\): could not be read \(boom\)/,
    },
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

  it('a RegExp at the validator cap (its /source/ longer than any pattern source) exports and loads', () => {
    const alternatives = `${Array.from({ length: 200 }, (_, i) => `a${i}`).join('|')}|`;
    const fixed = new RegExp('^https://()\\.example\\.com$').source.length;
    const long = new RegExp(`^https://(${alternatives}${'z'.repeat(MAX_REGEXP_SOURCE_LENGTH - fixed - alternatives.length)})\\.example\\.com$`);
    expect(long.source.length).toBe(MAX_REGEXP_SOURCE_LENGTH);
    expect(`/${long.source}/`.length).toBeGreaterThan(MAX_SOURCE_LENGTH);
    const m = loadMatcher(viaJson({ origins: [long] }));
    expect(m.matchOrigin('https://a199.example.com')).toBe(`/${long.source}/`);
    expect(m.isOriginAllowed('https://a200.example.com')).toBe(false);
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

  // The fixed-point property: whatever string sits in an entry, if loadMatcher accepts it as a
  // pattern, the strict parser reads that text back as exactly the rule loadMatcher built, and
  // writes it back unchanged. So an accepted entry allows exactly what its pattern says, never more.
  const piece = fc.constantFrom('a', 'b', 'z', '0', '9', '-', '.', '_', 'A', '*', '*.', ':', '/', '[', ']', '%', 'é', 'xn--', '\u0000', ' ', '\ud800', 'example', 'com', '127', '::1', 'test');
  const word = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
  const hostText = fc.oneof(word, fc.constantFrom('[::1]', '[::ffff:1.2.3.4]', '1.2.3.4', '0x7f.1', 'a.b.', 'xn--bcher-kva.example', '*.example.com', 'pr-*.example.com', 'a.*-x.test'));
  const portText = fc.constantFrom('', '', ':*', ':80', ':443', ':8080', ':0', ':65535', ':65536', ':08', ':-1', ':*:1', ':');
  const schemeText = fc.constantFrom('http', 'https', 'https', 'HTTP', 'ftp');

  it('every pattern it accepts is a fixed point of the strict pattern parser (property)', () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(schemeText, fc.constantFrom('://', '://', ':/'), hostText, portText, (scheme, sep, h, port) => {
        runs++;
        const text = `${scheme}${sep}${h}${port}`;
        const e = copy(BASE);
        e.origins = [text];
        e['allowNullOrigin'] = false;
        try {
          loadMatcher(e as unknown as ExportedMatcher, { engine: 'js' });
        } catch (err) {
          expect((err as Error).message.startsWith('corset: loadMatcher(exported): origins[0] '), String(err)).toBe(true);
          expect(() => parseExportedPattern(text, 'p'), text).toThrow();
          return;
        }
        accepted++;
        const shape = parseExportedPattern(text, 'p');
        const back = parseOriginPattern(text);
        expect(back, `parseOriginPattern(${JSON.stringify(text)}): got ${JSON.stringify(back)}; want the rule loadMatcher built`).toEqual({ rule: shape });
        expect(formatOriginPattern(shape), 'written back unchanged').toBe(text);
      }),
      { seed: 5150, numRuns: 4000 },
    );
    // Not vacuous: a good share of generated patterns must be accepted.
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
        // Structurally, too: each exported pattern reads back as exactly the validated rule.
        for (const rule of rules) {
          if (rule.kind !== 'tuple') continue;
          const text = formatOriginPattern(rule);
          const { kind, scheme, host, port } = rule;
          expect(parseExportedPattern(text, 'p'), `parseExportedPattern(${JSON.stringify(text)}) for ${JSON.stringify(rule.source)}`).toEqual({ kind, scheme, host, port });
        }
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

  it('an invalid policy: exit 3, every error printed, nothing written', async () => {
    const out = path.join(dir, 'never.json');
    const r = await compileCli(write('bad.json', { origins: ['https://*.com', 'null', 'https://example.com/'] }), '--out', out);
    expect(r.code).toBe(3);
    for (const code of ['public-suffix-wildcard', 'null-origin', 'pattern-has-path']) expect(r.stderr).toContain(`error   ${code}`);
    expect(r.stderr).toMatch(/is invalid; nothing written/);
    expect(existsSync(out), 'no output file').toBe(false);
    expect(r.stdout).toBe('');
  });

  const usage: { desc: string; argv: () => string[]; want: RegExp }[] = [
    { desc: 'no file', argv: () => [], want: /compile needs a policy file/ },
    { desc: 'two files', argv: () => ['a.json', 'b.json'], want: /unexpected argument "b\.json"/ },
    { desc: 'an unknown flag', argv: () => ['a.json', '--pretty'], want: /unknown option --pretty/ },
    { desc: '--out without a value', argv: () => [write('ok3.json', POLICY), '--out'], want: /--out needs a value/ },
  ];
  for (const { desc, argv, want } of usage) {
    it(`usage error (exit 2): ${desc}`, async () => {
      const r = await compileCli(...argv());
      expect(r.code, `corset compile ${desc}: got ${r.code}; want 2`).toBe(2);
      expect(r.stderr).toMatch(want);
      expect(r.stderr).toContain('Usage: corset compile');
    });
  }

  const fileRows: { desc: string; argv: () => string[]; code: number; want: RegExp }[] = [
    { desc: 'an unreadable file', argv: () => [path.join(dir, 'missing.json')], code: 3, want: /cannot read policy file .*: no such file/ },
    { desc: 'malformed JSON', argv: () => [write('broken.json', '{ origins: [')], code: 3, want: /broken\.json:1:3: policy file is not valid JSON/ },
    { desc: '--out into a missing directory', argv: () => [write('ok4.json', POLICY), '--out', path.join(dir, 'no', 'such', 'dir.json')], code: 4, want: /cannot write/ },
  ];
  for (const { desc, argv, code, want } of fileRows) {
    it(`a file error (exit ${code}, no usage text): ${desc}`, async () => {
      const r = await compileCli(...argv());
      expect(r.code, `corset compile ${desc}: got ${r.code}; want ${code}`).toBe(code);
      expect(r.stderr).toMatch(want);
      expect(r.stderr).not.toContain('Usage:');
    });
  }

  it('--help prints the usage and exits 0', async () => {
    const r = await compileCli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(COMPILE_USAGE);
  });
});

describe('the docs example (docs/browser.md: exportMatcher on the server, loadMatcher in the page)', () => {
  const readme = readFileSync(new URL('../docs/browser.md', import.meta.url), 'utf8');
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

  it('shows the export of its example policy, byte for byte', () => {
    const init: CorsPolicyInit = { origins: ['https://app.example.com', 'https://*.Example.org:443', 'http://localhost:*'] };
    expect(readme).toContain("`{ origins: ['https://app.example.com', 'https://*.Example.org:443', 'http://localhost:*'] }`");
    expect(readme).toContain(`\`\`\`json\n${JSON.stringify(exportMatcher(init))}\n\`\`\``);
  });
});
