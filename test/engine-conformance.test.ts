// The shared conformance suite (test/fixtures/engine-cases.ts), run once per engine.
import { describe, expect, it } from 'vitest';
import { createJsMatcher } from '../src/engine/js-engine.js';
import { createWasmMatcher } from '../src/engine/wasm-engine.js';
import { MATCH_INVALID, MATCH_NONE, type OriginMatcher, type OriginRule } from '../src/policy/rules.js';
import { ENGINE_CASES, type Want } from './fixtures/engine-cases.js';

interface EngineUnderTest {
  readonly name: string;
  readonly create: (rules: readonly OriginRule[]) => OriginMatcher;
}

const ENGINES: readonly EngineUnderTest[] = [
  { name: 'js', create: createJsMatcher },
  { name: 'wasm', create: createWasmMatcher },
];

function wantCode(want: Want): number {
  if (want === 'none') return MATCH_NONE;
  if (want === 'invalid') return MATCH_INVALID;
  return want;
}

function show(code: number): string {
  if (code === MATCH_NONE) return 'none';
  if (code === MATCH_INVALID) return 'invalid';
  return `rule ${code}`;
}

function quote(origin: string): string {
  return origin.length > 80 ? `${JSON.stringify(origin.slice(0, 60))}…(${origin.length} chars)` : JSON.stringify(origin);
}

for (const engine of ENGINES) {
  describe(`engine ${engine.name}: conformance`, () => {
    for (const c of ENGINE_CASES) {
      it(c.desc, () => {
        const matcher = engine.create(c.rules);
        const want = wantCode(c.want);
        const got = matcher.match(c.origin);
        expect(got, `match(${quote(c.origin)}): got ${show(got)}; want ${show(want)}`).toBe(want);
        const batch = matcher.matchMany(['null', c.origin, c.origin]);
        const wantBit = want >= 0 ? 1 : 0;
        expect(batch[1], `matchMany([${quote(c.origin)}])[1]: got ${batch[1]}; want ${wantBit}`).toBe(wantBit);
        expect(batch[2], `matchMany(...)[2] (repeat): got ${batch[2]}; want ${wantBit}`).toBe(wantBit);
      });
    }

    it('an empty rule list allows nothing', () => {
      const matcher = engine.create([]);
      for (const origin of ['https://example.com', 'null', 'http://localhost:3000']) {
        const got = matcher.match(origin);
        expect(got, `match(${quote(origin)}): got ${show(got)}; want none`).toBe(MATCH_NONE);
      }
    });

    it('matchMany of an empty batch is empty', () => {
      expect(engine.create([]).matchMany([]).length).toBe(0);
    });
  });
}
