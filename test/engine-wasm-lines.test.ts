// The bulk bytes path of the WASM engine (matchLines): LF-separated origins in, one verdict per
// line out, equal to match() on each line as a string, across chunk boundaries.
import { describe, expect, it } from 'vitest';
import { createWasmMatcher } from '../src/engine/wasm-engine.js';
import { MATCH_INVALID, MATCH_NONE } from '../src/policy/rules.js';
import { exact, glob, nul, re, rules, sub } from './fixtures/engine-cases.js';

const enc = new TextEncoder();
const POLICY = rules(
  exact('https', 'example.com'),
  sub('https', 'example.net'),
  glob('https', { prefix: 'pr-', right: 'example.org' }),
  exact('http', '[::1]', '*'),
  re(/^https:\/\/regexp\.example$/),
  nul(),
  exact('https', 'xn--bcher-kva.example'),
);

const LINES = [
  'https://example.com',
  'https://a.example.net',
  'https://pr-1.example.org',
  'http://[::1]:8080', // the full parser (IPv6)
  'https://regexp.example', // a RegExp rule
  'null',
  'https://xn--bcher-kva.example', // the full parser (punycode)
  'https://evil.example',
  'https://Example.com', // not canonical
  '',
  'https://bücher.example', // non-ASCII bytes
  'https://example.com ', // trailing space
  'https://_a.example.net', // the full parser says canonical; not a DNS label
  'x'.repeat(400), // past the length cap
];

/** Verdicts of all of `text` through matchLines, cutting the input at `cuts` like a stream would. */
function viaLines(m: ReturnType<typeof createWasmMatcher>, bytes: Uint8Array, cuts: number[]): number[] {
  const out: number[] = [];
  const verdicts = new Int32Array(4);
  const starts = new Int32Array(4);
  let carry = new Uint8Array(0);
  const pieces = [...cuts, bytes.length].map((end, k, all) => bytes.subarray(k === 0 ? 0 : (all[k - 1] as number), end));
  pieces.forEach((piece, k) => {
    let chunk = new Uint8Array(carry.length + piece.length);
    chunk.set(carry);
    chunk.set(piece, carry.length);
    const final = k === pieces.length - 1;
    for (;;) {
      const { lines, consumed } = m.matchLines(chunk, final, verdicts, starts);
      for (let i = 0; i < lines; i++) out.push(verdicts[i] as number);
      chunk = chunk.subarray(consumed);
      if (lines === 0 || chunk.length === 0) break;
    }
    carry = chunk.slice();
  });
  return out;
}

describe('WASM matchLines', () => {
  const m = createWasmMatcher(POLICY);
  const want = LINES.map((line) => m.match(line));

  it('the verdicts are what match() says for each line', () => {
    expect(want.slice(0, 7), 'the allowed lines').toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(want.slice(7), 'the rest').toEqual([MATCH_NONE, MATCH_INVALID, MATCH_INVALID, MATCH_INVALID, MATCH_INVALID, MATCH_NONE, MATCH_INVALID]);
    const bytes = enc.encode(`${LINES.join('\n')}\n`);
    expect(viaLines(m, bytes, [])).toEqual(want);
  });

  it('CRLF line ends and a last line without LF', () => {
    const bytes = enc.encode(LINES.join('\r\n'));
    expect(viaLines(m, bytes, [])).toEqual(want);
  });

  it('every cut point of the stream gives the same verdicts', () => {
    const bytes = enc.encode(`${LINES.slice(0, 9).join('\n')}\n`);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(viaLines(m, bytes, [cut]), `cut at byte ${cut}`).toEqual(want.slice(0, 9));
    }
  });

  it('a line longer than the scratch region is invalid without being copied whole', () => {
    const bytes = enc.encode(`https://example.com\n${'a'.repeat(300_000)}\nhttps://a.example.net`);
    expect(viaLines(m, bytes, [])).toEqual([0, MATCH_INVALID, 1]);
  });

  it('many lines in one call, past the per-call line limit', () => {
    const text = Array.from({ length: 40_000 }, (_, i) => (i % 3 === 0 ? `https://x${i}.example.net` : i % 3 === 1 ? 'https://example.com' : `https://n${i}.example`)).join('\n');
    const verdicts = new Int32Array(40_000);
    const starts = new Int32Array(40_000);
    const { lines, consumed } = m.matchLines(enc.encode(text), true, verdicts, starts);
    expect(lines).toBe(40_000);
    expect(consumed).toBe(text.length);
    for (let i = 0; i < 40_000; i++) {
      const wantV = i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : MATCH_NONE;
      if (verdicts[i] !== wantV) expect(verdicts[i], `line ${i}`).toBe(wantV);
    }
    expect(starts[1]).toBe('https://x0.example.net\n'.length);
  });
});
