// The one string hash of the compiled tables: 32-bit FNV-1a over the key's bytes (every key and
// every origin that reaches a table is ASCII, so a UTF-16 code unit is the byte). The builder, the
// TypeScript engine and assembly/ compute it identically; tests hold them to each other.
//
// FNV-1a is not collision-resistant, and it need not be: the tables are built from the policy
// (trusted), an attacker only probes them, and every hash hit is confirmed by an exact byte
// compare. A collision costs one extra compare, never a wrong answer.

import { FNV_OFFSET, FNV_PRIME } from './layout.js';

export { FNV_OFFSET, FNV_PRIME };

/** One FNV-1a step: xor the byte in, multiply by the prime (mod 2^32, signed result). */
export function fnvStep(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME);
}

/** FNV-1a over the code units `s[start..end)`, continuing from `hash`. */
export function fnvRange(hash: number, s: string, start: number, end: number): number {
  let h = hash;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** The starting hash of a trie edge key: the parent node's id mixed into the offset basis. */
export function edgeSeed(parent: number): number {
  return Math.imul(FNV_OFFSET ^ parent, FNV_PRIME);
}

/**
 * The first slot probed for a hash in a table of `mask + 1` slots (a power of two). The high bits
 * are folded in because FNV's low bits alone cluster on keys that differ only at the end.
 */
export function slotOf(hash: number, mask: number): number {
  return (hash ^ (hash >>> 15)) & mask;
}
