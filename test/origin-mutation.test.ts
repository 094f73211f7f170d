// The adversary's view of an allow-list: start from an origin the policy allows and change it a
// little (a character inserted, deleted or replaced, case, an extra label, a port, a look-alike
// dot, a percent-encoding), the way an attacker registers `example.com.evil.net` or sends
// `https://EXAMPLE.com`. Every mutant is judged on both engines against the plain reference of
// test/fuzz/reference.ts (one anchored native RegExp per rule, the full URL parser for "is this
// canonical", a loop in `origins` order), through isOriginAllowed, matchOrigin and decide(), and
// no call may take long: the corpus holds RegExp rules whose backtracking form is exponential.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { MATCH_INVALID, MATCH_NONE, type OriginRule } from '../src/policy/rules.js';
import { validatePolicy } from '../src/policy/validate.js';
import type { CorsPolicy } from '../src/types.js';
import { createReference } from './fuzz/reference.js';

interface CorpusPolicy {
  name: string;
  origins: (string | RegExp)[];
  /** Origins the policy allows, the seeds the mutants start from. */
  allowed: string[];
  /**
   * For the reference only: a RegExp that accepts the same language without backtracking, in
   * place of the one at that index (native RegExp would take seconds on the mutants, which is the
   * point of the rule being in the corpus).
   */
  linearEquivalents?: Record<number, RegExp>;
}

const CORPUS: CorpusPolicy[] = [
  {
    name: 'exact origins',
    origins: ['https://app.example.com', 'http://localhost:3000', 'https://xn--bcher-kva.example', 'https://[::1]:8443', 'https://127.0.0.1'],
    allowed: ['https://app.example.com', 'http://localhost:3000', 'https://xn--bcher-kva.example', 'https://[::1]:8443', 'https://127.0.0.1'],
  },
  {
    name: 'subdomain wildcards',
    origins: ['https://*.example.com', 'https://*.api.example.org:8443', 'http://*.internal.test'],
    allowed: ['https://a.example.com', 'https://a-b.c9.example.com', 'https://x.api.example.org:8443', 'http://dev.internal.test'],
  },
  {
    name: 'globs in one label',
    origins: ['https://pr-*.preview.example.com', 'https://*-staging.example.net', 'https://shop-*.example.io'],
    allowed: ['https://pr-1.preview.example.com', 'https://pr-feature-x.preview.example.com', 'https://eu-staging.example.net', 'https://shop-de.example.io'],
  },
  {
    name: 'ports',
    origins: ['http://localhost:*', 'https://example.com:*', 'https://*.dev.example.com:*'],
    allowed: ['http://localhost:5173', 'http://localhost', 'https://example.com', 'https://example.com:8443', 'https://a.dev.example.com:3000'],
  },
  {
    name: 'RegExp rules (with forms that backtrack exponentially in a backtracking engine)',
    origins: [
      /^https:\/\/([a-z0-9]+)+\.example\.com$/,
      /^https:\/\/(a|a)*\.example\.org$/,
      /^https:\/\/(foo|bar)\.example\.io(:8443)?$/,
      /^https:\/\/[a-z0-9-]+\.tenant\.example$/i,
    ],
    allowed: ['https://abc123.example.com', 'https://aaaa.example.org', 'https://a.example.org', 'https://foo.example.io:8443', 'https://bar.example.io', 'https://t-1.tenant.example'],
    linearEquivalents: { 0: /^https:\/\/[a-z0-9]+\.example\.com$/, 1: /^https:\/\/a*\.example\.org$/ },
  },
  {
    name: 'a mix in origins order',
    origins: ['https://app.example.com', 'https://*.example.com', /^https:\/\/[a-z]+\.example\.com$/, 'https://example.com:*'],
    allowed: ['https://app.example.com', 'https://b.example.com', 'https://example.com:444', 'https://example.com'],
  },
];

/** Characters an attacker reaches for: separators, look-alikes, case, controls, non-ASCII. */
const ALPHABET = ['.', '-', '_', ':', '/', '@', '%', '?', '#', '\\', ' ', '\t', '\u0000', 'A', 'Z', 'a', '0', '9', 'ı', 'ß', 'é', '\u3002', '\uff0e', '\u200b', '*'];
const LOOKALIKE_DOTS = ['\u3002', '\uff0e', '\uff61', '%2e', '%2E', '\u2024', '..', ''];
const PORTS = [':443', ':80', ':0', ':1', ':65535', ':65536', ':8443', ':00443', ':', ':-1', ':+80'];
const LABELS = ['evil.', 'a.', 'xn--80ak6aa92e.', 'EVIL.', '-.', 'a_b.'];

type Mutation = (s: string) => string;

const at = (s: string, i: number): number => (s.length === 0 ? 0 : i % (s.length + 1));
/** Where the host starts, or 0. */
const hostStart = (s: string): number => {
  const i = s.indexOf('://');
  return i < 0 ? 0 : i + 3;
};
/** Where the port or the end of the host is. */
const hostEnd = (s: string): number => {
  const start = hostStart(s);
  const close = s.indexOf(']', start);
  const colon = s.indexOf(':', close < 0 ? start : close);
  return colon < 0 ? s.length : colon;
};

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // insert, delete, replace one character anywhere
  fc.tuple(fc.nat(), fc.constantFrom(...ALPHABET)).map(([i, c]): Mutation => (s) => s.slice(0, at(s, i)) + c + s.slice(at(s, i))),
  fc.nat().map((i): Mutation => (s) => (s.length === 0 ? s : s.slice(0, i % s.length) + s.slice((i % s.length) + 1))),
  fc.tuple(fc.nat(), fc.constantFrom(...ALPHABET)).map(([i, c]): Mutation => (s) => (s.length === 0 ? c : s.slice(0, i % s.length) + c + s.slice((i % s.length) + 1))),
  // case: a run upper-cased
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 8 })).map(([i, n]): Mutation => (s) => s.slice(0, at(s, i)) + s.slice(at(s, i), at(s, i) + n).toUpperCase() + s.slice(at(s, i) + n)),
  // labels: one more in front, a suffix domain after (example.com.evil.net), the dot dropped (evilexample.com)
  fc.constantFrom(...LABELS).map((l): Mutation => (s) => s.slice(0, hostStart(s)) + l + s.slice(hostStart(s))),
  fc.constantFrom('.evil.net', '.', '.com', '-evil', 'x').map((tail): Mutation => (s) => s.slice(0, hostEnd(s)) + tail + s.slice(hostEnd(s))),
  fc.constant<Mutation>((s) => s.slice(0, hostStart(s)) + 'evil' + s.slice(hostStart(s))),
  // ports: added, changed, dropped
  fc.constantFrom(...PORTS).map((p): Mutation => (s) => s.slice(0, hostEnd(s)) + p),
  fc.constant<Mutation>((s) => s.slice(0, hostEnd(s))),
  // a look-alike for one of the host's dots
  fc.tuple(fc.nat(), fc.constantFrom(...LOOKALIKE_DOTS)).map(([i, d]): Mutation => (s) => {
    const dots: number[] = [];
    for (let k = hostStart(s); k < s.length; k++) if (s[k] === '.') dots.push(k);
    if (dots.length === 0) return s;
    const k = dots[i % dots.length] as number;
    return s.slice(0, k) + d + s.slice(k + 1);
  }),
  // one character percent-encoded
  fc.nat().map((i): Mutation => (s) => {
    if (s.length === 0) return s;
    const k = i % s.length;
    return `${s.slice(0, k)}%${s.charCodeAt(k).toString(16).padStart(2, '0').toUpperCase()}${s.slice(k + 1)}`;
  }),
  // scheme changes
  fc.constantFrom('http', 'https', 'HTTPS', 'wss', 'ftp', 'https:', '').map((scheme): Mutation => (s) => {
    const i = s.indexOf('://');
    return i < 0 ? s : scheme + s.slice(i);
  }),
  // a long run (towards the length cap and past it): the exponential inputs of the RegExp rules
  fc.tuple(fc.nat(), fc.integer({ min: 16, max: 300 }), fc.constantFrom('a', '1', 'a.', '-')).map(([i, n, c]): Mutation => (s) => {
    const k = hostStart(s) + (s.length > hostStart(s) ? i % (s.length - hostStart(s)) : 0);
    return s.slice(0, k) + c.repeat(n) + s.slice(k);
  }),
);

/** The per-call bound: generous for a shared machine, and far below what backtracking costs (seconds). */
const CALL_BOUND_MS = 100;

function rulesOf(origins: (string | RegExp)[]): readonly OriginRule[] {
  const { policy, issues } = validatePolicy({ origins });
  if (policy === null || policy.origins.kind !== 'list') throw new Error(`corpus policy does not validate: ${JSON.stringify(issues)}`);
  return policy.origins.rules;
}

describe('origins mutated from allowed origins, on both engines, against the reference', () => {
  for (const corpus of CORPUS) {
    describe(corpus.name, () => {
      const referenceOrigins = corpus.origins.map((entry, i) => corpus.linearEquivalents?.[i] ?? entry);
      const reference = createReference(rulesOf(referenceOrigins));
      const written = (index: number): string | null => {
        if (index === MATCH_NONE || index === MATCH_INVALID) return null;
        const entry = corpus.origins[index] as string | RegExp;
        return typeof entry === 'string' ? entry : String(entry);
      };
      const engines: [string, CorsPolicy][] = [
        ['js', compilePolicy({ origins: corpus.origins, engine: 'js' })],
        ['wasm', compilePolicy({ origins: corpus.origins, engine: 'wasm' })],
      ];

      it('every seed is allowed by the reference and by both engines (or the mutants prove little)', () => {
        for (const seed of corpus.allowed) {
          expect(reference.match(seed), seed).toBeGreaterThanOrEqual(0);
          for (const [name, policy] of engines) expect(policy.isOriginAllowed(seed), `${name}: ${seed}`).toBe(true);
        }
      });

      it('every mutant gets the reference answer, quickly, from isOriginAllowed, matchOrigin and decide()', () => {
        let slowest = 0;
        let allowedMutants = 0;
        let deniedMutants = 0;
        fc.assert(
          fc.property(fc.constantFrom(...corpus.allowed), fc.array(mutation, { minLength: 1, maxLength: 3 }), (seed, mutations) => {
            const mutant = mutations.reduce((s, m) => m(s), seed);
            const want = reference.match(mutant);
            const wantAllowed = want >= 0;
            if (wantAllowed) allowedMutants++;
            else deniedMutants++;
            for (const [name, policy] of engines) {
              const t0 = performance.now();
              const allowed = policy.isOriginAllowed(mutant);
              const matched = policy.matchOrigin(mutant);
              const decision = policy.decide({ method: 'GET', origin: mutant });
              const took = performance.now() - t0;
              slowest = Math.max(slowest, took);
              const what = `${name}: ${JSON.stringify(mutant)} (from ${seed})`;
              expect(allowed, what).toBe(wantAllowed);
              expect(matched, what).toBe(written(want));
              expect(decision.allowed, what).toBe(wantAllowed);
              if (!wantAllowed) expect(decision.reason, what).toBe(want === MATCH_INVALID ? 'invalid-origin' : 'origin-not-allowed');
              expect(took, `${what}: ${took.toFixed(1)} ms for three calls`).toBeLessThan(CALL_BOUND_MS);
            }
          }),
          { seed: 0x5eed16, numRuns: 2000 },
        );
        // Mutants must land on both sides, or the comparison says little about one of them.
        expect(deniedMutants, 'mutants the reference denies').toBeGreaterThan(250);
        expect(allowedMutants, 'mutants the reference still allows').toBeGreaterThan(25);
        expect(slowest).toBeLessThan(CALL_BOUND_MS);
      });
    });
  }
});
