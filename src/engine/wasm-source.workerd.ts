// The module in the workerd build (dist/workerd, the `workerd` condition of package.json): the
// browser module as a `.wasm` file beside the script. workerd refuses to compile WebAssembly from
// bytes at any time ("Wasm code generation disallowed by embedder"); a `.wasm` module of the
// Worker is compiled by the runtime when the Worker starts, and its import is a
// WebAssembly.Module. wrangler does this for every imported `*.wasm` (its CompiledWasm rule);
// with esbuild alone, `--loader:.wasm=copy` and the file listed as a `wasm` module in the workerd
// config. scripts/build-web.mjs writes the file and keeps this import as it is.
import compiled from './corset.wasm';
import type { WasmSource } from './wasm-loader.js';

export const wasmSource = (): WasmSource => compiled;
