// The browser build of corset's WebAssembly module (asconfig.json target "browser", size-optimised):
// the same code as ./index.ts, exporting only what src/engine/wasm-core.ts calls. A page matches
// single origins and batches; the bulk-lines path (matchLines, consumedBytes) serves `corset
// audit` in Node only, so it is left out here and the optimiser drops it.
export { heapBase, maxOriginLength, layoutVersion, matchOne, matchCanonical, matchStrided } from './index';
