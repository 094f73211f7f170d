// ready(): the public way to wait for the WebAssembly engine (DESIGN.md, "Public API"). Browsers
// refuse to compile large modules synchronously on the main thread; Node does not mind, so there
// the engine is usable at once and ready() resolves immediately. Where WebAssembly is missing or
// forbidden (a CSP without 'wasm-unsafe-eval'), ready() still resolves: `engine: 'auto'` then
// compiles policies with the TypeScript engine, and `engine: 'wasm'` throws.
import { loadWasm } from './wasm-engine.js';

/** Resolves once the WASM engine can run, or once it is known that it cannot. Never rejects. */
export function ready(): Promise<void> {
  return loadWasm();
}
