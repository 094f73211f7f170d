// The module the browser build of the engine (./wasm-engine.browser.ts) instantiates: its bytes,
// embedded (the browser bundles and dist/web carry the browser module in hex). The workerd build
// (dist/workerd) puts ./wasm-source.workerd.ts in its place: a `.wasm` file that workerd and
// wrangler compile when the Worker starts.
import { wasmBytes } from './wasm-binary.generated.js';
import type { WasmSource } from './wasm-loader.js';

export const wasmSource: () => WasmSource = wasmBytes;
