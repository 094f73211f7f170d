// The one string hash of the compiled tables, computed identically by the builder, the TypeScript
// engine and assembly/ (the differential fuzz holds them to each other): FNV-1a over 32-bit
// little-endian words, then over the 0-3 bytes left, one at a time. A word per multiply keeps
// the multiply chain (3-4 cycles each) at a quarter of byte-wise FNV's; slotOf() then avalanches
// the high bits (which a multiply never carries down) into the slot index with murmur3's fmix32.
// Every key and every origin that reaches a table is ASCII, so a UTF-16 code unit is the byte.
//
// The hash is not collision-resistant, and need not be: the tables are built from the policy
// (trusted), an attacker only probes them, and every hash hit is confirmed by an exact byte
// compare. A collision costs one extra compare, never a wrong answer.
import { EDGE_MIX, FMIX_1, FMIX_2, FNV_OFFSET, FNV_PRIME } from './layout.js';

export { FNV_OFFSET, FNV_PRIME };

/** The word of `s[i..i+4)`, little-endian. */
function wordAt(s: string, i: number): number {
  return s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
}

/**
 * The hash of `s[start..end)`, continuing from `hash`: whole words from `start`, then the bytes
 * left. `hashRange(FNV_OFFSET, s, 0, n)` is the hash of a key; `start` must be where the caller's
 * word stream stands (0, or a multiple of 4 from it).
 */
export function hashRange(hash: number, s: string, start: number, end: number): number {
  let h = hash;
  let i = start;
  for (; i + 4 <= end; i += 4) h = Math.imul(h ^ wordAt(s, i), FNV_PRIME);
  for (; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** The hash of a whole key. */
export function hashKey(s: string): number {
  return hashRange(FNV_OFFSET, s, 0, s.length);
}

/**
 * The hash of a trie edge: the hash of its label, with the parent node's id mixed in, so that a
 * label's hash does not depend on the node it is looked up under.
 */
export function edgeHash(parent: number, labelHash: number): number {
  return labelHash ^ Math.imul(parent, EDGE_MIX);
}

/** The first slot probed for a hash in a table of `mask + 1` slots (a power of two). */
export function slotOf(hash: number, mask: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, FMIX_1);
  h ^= h >>> 13;
  h = Math.imul(h, FMIX_2);
  h ^= h >>> 16;
  return h & mask;
}
