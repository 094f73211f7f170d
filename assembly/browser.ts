// The browser build of corset's WebAssembly module (asconfig.json target "browser", size-optimised):
// the table walk of ./index.ts without its canonical-origin scan. A page already carries that check
// in TypeScript (src/origin/canonical-origin.ts, then the platform's URL parser) for its precheck,
// so src/engine/wasm-engine.browser.ts checks and splits an origin there and calls matchSplit here
// on the ones it proves canonical. Without the scan the module uses no SIMD. The scanning entries
// (matchOne, matchCanonical), the batch path (matchStrided) and the bulk-lines path (matchLines,
// consumedBytes) serve Node only and are left out.
import { setSplit } from './scan';
import { matchTables } from './walk';

export { heapBase, maxOriginLength, layoutVersion } from './index';

/**
 * A canonical origin the caller has proved and split: its `n` bytes at `s`, its host
 * [hostStart, hostEnd), its port `port` (-1 for none). The earliest table rule, or NO_RULE
 * (src/engine/layout.ts).
 */
export function matchSplit(t: usize, s: usize, n: i32, hostStart: i32, hostEnd: i32, port: i32): i32 {
  setSplit(s, hostStart, hostEnd, port);
  return matchTables(t, s, n);
}
