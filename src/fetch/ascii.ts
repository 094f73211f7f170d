// Infra §4.3 "byte-case-insensitive" comparison, the one way Fetch compares method and header
// names: only A-Z fold to a-z (so `ſ` or `K` never match `s` or `k`). One place for the fold,
// which every name check on the per-request path uses; char-code loops, no allocation.

/** The code unit `c` with A-Z folded to a-z. */
export function lowerCode(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/**
 * Whether `s[start, start + lower.length)` equals `lower` (lower-case ASCII) byte-case-insensitively.
 * Past the end of `s` a code unit reads NaN and never matches, so a short `s` gives false.
 */
export function matchesLowerAt(s: string, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if (lowerCode(s.charCodeAt(start + i)) !== lower.charCodeAt(i)) return false;
  return true;
}
