// The browser build of corset's WebAssembly module (asconfig.json target "browser", size-optimised):
// the same code as ./index.ts, exporting only what src/engine/wasm-core.ts calls. A page matches
// one origin per call (src/engine/wasm-engine.browser.ts); the batch path in scratch slots
// (matchStrided) and the bulk-lines path (matchLines, consumedBytes) serve Node only, so they are
// left out here and the optimiser drops them.
export { heapBase, maxOriginLength, layoutVersion, matchOne, matchCanonical } from './index';
