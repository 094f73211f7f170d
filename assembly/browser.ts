// The browser build of corset's WebAssembly module (asconfig.json target "browser", size-optimised):
// the table walk of ./index.ts without its canonical-origin scan. A page already carries that check
// in TypeScript (src/origin/canonical-origin.ts, then the platform's URL parser) for its precheck,
// so here every value is UNSURE: src/engine/wasm-core.ts asks the page's check, as it does for
// UNSURE in Node, and calls matchCanonical on the values it proves canonical. Without the scan the
// module uses no SIMD. The batch path (matchStrided) and the bulk-lines path (matchLines,
// consumedBytes) serve Node only and are left out too.
export { heapBase, maxOriginLength, layoutVersion, matchCanonical } from './index';

/** src/engine/wasm-core.ts VERDICT_UNSURE: the caller decides whether the value is canonical. */
const VERDICT_UNSURE: i32 = -3;

/** Every value goes to the caller's canonical check (see above); the arguments are unused. */
export function matchOne(t: usize, s: usize, n: i32): i32 {
  return VERDICT_UNSURE;
}
