// decide()'s decision caches (a rule's slot: its one decision, or the last one a pattern rule
// gave; then a bounded per-origin map) never change an answer: every decision in a sequence of
// requests equals the one a freshly compiled policy (empty caches) gives for the same request.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../src/compile/compile-policy.js';
import type { CorsDecision, CorsPolicyInit, CorsRequest } from '../src/types.js';

const INIT: CorsPolicyInit = {
  origins: ['https://app.example.com', 'https://*.example.org', 'http://localhost:*', 'https://*.b.example.org'],
  methods: ['PUT'],
  allowHeaders: ['x-api-key'],
  exposeHeaders: ['x-total'],
  privateNetwork: true,
  engine: 'js',
};
const TIERED: CorsPolicyInit = {
  origins: '*',
  credentialedOrigins: ['https://*.example.org', 'https://app.example.com'],
  engine: 'js',
};

const ORIGINS = [
  'https://app.example.com',
  'https://a.example.org',
  'https://b.example.org',
  'https://x.b.example.org',
  'https://A.example.org', // not canonical
  'http://localhost:3000',
  'http://localhost:3001',
  'https://evil.example',
  'null',
];

// Preflight header values from small pools, so a tier's last (method, headers) pair is often hit.
const request = fc.record({
  origin: fc.constantFrom(...ORIGINS),
  shape: fc.constantFrom('get', 'put', 'preflight', 'pna'),
  acrm: fc.constantFrom('PUT', 'put', 'GET', 'DELETE', 'B@D', 'x'.repeat(70)),
  acrh: fc.constantFrom<string | null>('x-api-key', 'X-Api-Key, content-type', 'x-other', '', ' , ', 'a b', null, 'x-api-key,'.repeat(120)),
});

function toRequest(r: { origin: string; shape: string; acrm: string; acrh: string | null }): CorsRequest {
  if (r.shape === 'get' || r.shape === 'put') return { method: r.shape.toUpperCase(), origin: r.origin };
  return { method: 'OPTIONS', origin: r.origin, requestMethod: r.acrm, requestHeaders: r.acrh, requestPrivateNetwork: r.shape === 'pna' };
}

const plain = (d: CorsDecision) => ({ ...d, headers: { ...d.headers } });

describe('decide: caches never change an answer', () => {
  for (const [name, init] of [['rule list', INIT], ['tiered', TIERED]] as const) {
    it(`property (${name}): each decision in a sequence equals a fresh policy's (seeded)`, () => {
      let repeats = 0;
      fc.assert(
        fc.property(fc.array(request, { minLength: 1, maxLength: 12 }), (seq) => {
          const policy = compilePolicy(init);
          let prev = '';
          for (const r of seq) {
            const req = toRequest(r);
            const got = policy.decide(req);
            const want = compilePolicy(init).decide(req);
            if (JSON.stringify(plain(got)) !== JSON.stringify(plain(want))) {
              throw new Error(`decide(${JSON.stringify(req)}) after ${JSON.stringify(seq)}: got ${JSON.stringify(got)}; want ${JSON.stringify(want)}`);
            }
            const key = `${r.origin} ${r.shape} ${r.acrm} ${r.acrh}`;
            if (prev === key || (r.shape !== 'get' && r.shape !== 'put' && prev.endsWith(` ${r.acrm} ${r.acrh}`))) repeats++;
            prev = key;
          }
          return true;
        }),
        { seed: 20261125, numRuns: 400 },
      );
      expect(repeats > 20, `${name}: requests repeating the one before: ${repeats}; want over 20 (the slot is hit)`).toBe(true);
    });
  }

  const rows: { desc: string; origins: string[] }[] = [
    { desc: 'one pattern, two origins alternating', origins: ['https://a.example.org', 'https://b.example.org', 'https://a.example.org', 'https://b.example.org'] },
    { desc: 'one origin repeated', origins: ['https://a.example.org', 'https://a.example.org'] },
    { desc: 'an exact rule between pattern matches', origins: ['https://a.example.org', 'https://app.example.com', 'https://a.example.org'] },
    { desc: 'past the per-origin bound (600 distinct, then the first again)', origins: [...Array.from({ length: 600 }, (_, i) => `https://n${i}.example.org`), 'https://n0.example.org'] },
    // Two turns of 1100 distinct origins on one rule: the memo fills, empties, is bypassed for a
    // while (too few hits), and is filled again; the rule's slot misses every time.
    { desc: 'a flood cycling past the bound (memo bypassed, then tried again)', origins: [0, 1].flatMap(() => Array.from({ length: 1100 }, (_, i) => `https://f${i}.example.org`)) },
    { desc: 'a flood then a hot origin again', origins: [...Array.from({ length: 1100 }, (_, i) => `https://g${i}.b.example.org`), 'https://a.example.org', 'https://a.example.org'] },
  ];
  for (const { desc, origins } of rows) {
    it(desc, () => {
      const policy = compilePolicy(INIT);
      for (const origin of origins) {
        const got = policy.decide({ method: 'GET', origin }).headers['access-control-allow-origin'];
        expect(got, `decide(GET ${origin}) ACAO: got ${got}; want ${origin}`).toBe(origin);
      }
    });
  }

  it('a pattern rule repeated: the same frozen decision', () => {
    const policy = compilePolicy(INIT);
    const a = policy.decide({ method: 'GET', origin: 'https://a.example.org' });
    const b = policy.decide({ method: 'GET', origin: 'https://a.example.org' });
    expect(a === b && Object.isFrozen(a), 'decide(GET https://a.example.org) twice: got different objects; want the same frozen one').toBe(true);
  });
});
