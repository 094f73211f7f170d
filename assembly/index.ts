// corset's WebAssembly module: the origin matcher over the compiled tables. Only numbers cross
// the boundary (addresses, lengths, verdicts); src/engine/wasm-engine.ts is the one module on the
// TypeScript side that owns the memory: it uploads the tables, writes origins into a scratch
// region, and reads the verdicts. Nothing here allocates: the module has no heap (runtime stub,
// never called), and memory above __heap_base belongs to the TypeScript side.
//
// Verdicts: a rule index (>= 0), or one of the negative codes below.
import { NO_RULE } from '../src/engine/layout';
import { CANONICAL_NO, CANONICAL_UNSURE, isAppOrigin, MAX_ORIGIN_LENGTH, scanCanonicalOrigin, splitCanonical } from './scan';
import { matchTables } from './walk';

/** A canonical origin (or `null`) that no table rule allows. */
const VERDICT_NONE: i32 = -1;
/** Not a canonical serialized origin. */
const VERDICT_INVALID: i32 = -2;
/** The fast scan cannot decide: the caller asks the full URL parser, then calls matchCanonical. */
const VERDICT_UNSURE: i32 = -3;
/** Exactly `null`: the caller answers with its `null` rule. */
const VERDICT_NULL: i32 = -4;
/**
 * A canonical origin of an app or extension (`capacitor://localhost`): the caller compares it with
 * the policy's app origins, exact strings that no table holds (src/origin/app-origin.ts).
 */
const VERDICT_APP: i32 = -5;

const NEWLINE: u32 = 0x0a;
const CR: u32 = 0x0d;

/** The first address the TypeScript side may use (nothing of ours lives above it). */
export function heapBase(): usize {
  return __heap_base;
}

/** The length cap this module was built with; the boundary checks it equals its own. */
export function maxOriginLength(): i32 {
  return MAX_ORIGIN_LENGTH;
}

/** The layout version this module reads; the boundary checks it equals the builder's. */
export { TABLES_VERSION as layoutVersion } from '../src/engine/layout';

@inline function verdictOf(rule: i32): i32 {
  return rule == NO_RULE ? VERDICT_NONE : rule;
}

/** One `Origin` value of `n` bytes at `s` against the tables at `t`. */
export function matchOne(t: usize, s: usize, n: i32): i32 {
  if (n > MAX_ORIGIN_LENGTH) return VERDICT_INVALID;
  if (n == 4 && load<u32>(s) == 0x6c6c756e) return VERDICT_NULL; // 'null'
  const canonical = scanCanonicalOrigin(s, n);
  if (canonical == CANONICAL_NO) return isAppOrigin(s, n) ? VERDICT_APP : VERDICT_INVALID;
  if (canonical == CANONICAL_UNSURE) return VERDICT_UNSURE;
  return verdictOf(matchTables(t, s, n));
}

/** A value the full parser has proved canonical (after VERDICT_UNSURE). */
export function matchCanonical(t: usize, s: usize, n: i32): i32 {
  splitCanonical(s, n);
  return verdictOf(matchTables(t, s, n));
}

/**
 * A batch of values in fixed-size slots: value k has `load<i32>(lengths + 4k)` bytes at
 * `base + k * stride`. Writes one i32 verdict per value at `out`.
 */
export function matchStrided(t: usize, base: usize, stride: i32, lengths: usize, count: i32, out: usize): void {
  for (let k = 0; k < count; k++) {
    const at = <usize>k << 2;
    store<i32>(out + at, matchOne(t, base + <usize>(k * stride), load<i32>(lengths + at)));
  }
}

let consumed: i32 = 0;

/**
 * The index of the first LF in [from, length), or length. Eight bytes at a time ("has zero byte",
 * after xor with 0x0a in every byte); the lowest flagged byte is exact.
 */
function nextNewline(input: usize, from: i32, length: i32): i32 {
  let i = from;
  while (i + 8 <= length) {
    const x = load<u64>(input + <usize>i) ^ 0x0a0a0a0a0a0a0a0a;
    const found = (x - 0x0101010101010101) & ~x & 0x8080808080808080;
    if (found != 0) return i + <i32>(ctz(found) >> 3);
    i += 8;
  }
  while (i < length && <u32>load<u8>(input + <usize>i) != NEWLINE) i++;
  return i;
}

/** How many input bytes the last matchLines call consumed (whole lines only). */
export function consumedBytes(): i32 {
  return consumed;
}

/**
 * Many values at once: the `length` bytes at `input` are lines ending in LF (a CR before it is
 * dropped). For each line, writes the verdict and the line's start offset as two i32 at `out`,
 * up to `maxLines` lines. A last line without LF counts only when `final` is non-zero; otherwise
 * it is left for the next call. Returns the number of lines; consumedBytes() says where it stopped.
 */
export function matchLines(t: usize, input: usize, length: i32, out: usize, maxLines: i32, final: i32): i32 {
  let pos = 0;
  let lines = 0;
  while (lines < maxLines && pos < length) {
    const end = nextNewline(input, pos, length);
    if (end == length && final == 0) break;
    let n = end - pos;
    if (n > 0 && <u32>load<u8>(input + <usize>(end - 1)) == CR) n--;
    const at = out + (<usize>lines << 3);
    store<i32>(at, matchOne(t, input + <usize>pos, n));
    store<i32>(at, pos, 4);
    lines++;
    pos = end + 1;
  }
  consumed = pos > length ? length : pos;
  return lines;
}
