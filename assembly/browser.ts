// The browser build of corset's WebAssembly module (asconfig.json target "browser", size-optimised):
// the table walk of ./index.ts without its canonical-origin scan. A page already carries that check
// in TypeScript (src/origin/canonical-origin.ts, then the platform's URL parser) for its precheck,
// so src/engine/wasm-engine.browser.ts checks an origin there and calls matchCanonical here on the
// ones it proves canonical. Without the scan the module uses no SIMD. The scan-and-match entry
// (matchOne), the batch path (matchStrided) and the bulk-lines path (matchLines, consumedBytes)
// serve Node only and are left out.
export { heapBase, maxOriginLength, layoutVersion, matchCanonical } from './index';
