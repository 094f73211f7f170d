// Getting corset's WebAssembly module running, the part both builds of the engine share (Node's
// ./wasm-core.ts and the browser bundles' ./wasm-engine.browser.ts, each the one owner of its
// instance's memory): take the embedded bytes (or, in the workerd build, the module the runtime
// compiled at startup from its `.wasm` file: ./wasm-source.workerd.ts), compile and instantiate
// synchronously where the platform allows it or asynchronously (`ready()`), check the module was
// built against this table layout and origin cap, and remember for good why it cannot run where
// it cannot.
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import { TABLES_VERSION } from './layout.js';

/** What every build of the module exports (assembly/index.ts, assembly/browser.ts). */
export interface ModuleBasics {
  readonly memory: WebAssembly.Memory;
  readonly layoutVersion: WebAssembly.Global;
  heapBase(): number;
  maxOriginLength(): number;
}

/** One module's loading state, for the build that owns it. */
export interface WasmLoader<R> {
  /**
   * The runtime, instantiating synchronously on first use. null where WebAssembly is missing or
   * refuses (CSP without 'wasm-unsafe-eval', a browser's main-thread limit on sync compilation):
   * then `load()` may still succeed asynchronously.
   */
  sync(): R | null;
  /** Compile and instantiate asynchronously (what browsers require on the main thread). Never rejects. */
  load(): Promise<void>;
  /** Why the module cannot run here, once an attempt has failed for good; null otherwise. */
  why(): string | null;
}

/** The module's own checks: built against the builder's table layout and the origin length cap. */
function checkModule(exports: ModuleBasics): void {
  const layout = exports.layoutVersion.value as number;
  const cap = exports.maxOriginLength();
  if (layout !== TABLES_VERSION || cap !== MAX_ORIGIN_LENGTH) {
    throw new Error(
      `corset: the WASM module reads table layout ${layout} and caps origins at ${cap}; the builder writes layout ${TABLES_VERSION}, src/origin/limits.ts caps at ${MAX_ORIGIN_LENGTH}`,
    );
  }
}

/**
 * The module's bytes, or the module already compiled (workerd compiles a Worker's `.wasm` modules
 * at startup and refuses to compile bytes at any time: "Wasm code generation disallowed by
 * embedder").
 */
export type WasmSource = Uint8Array<ArrayBuffer> | WebAssembly.Module;

/**
 * The loader of the module `source()` gives; `setup` lays out a fresh instance's memory
 * (after the module's checks) and returns the build's runtime.
 */
export function wasmLoader<E extends ModuleBasics, R>(source: () => WasmSource, setup: (exports: E) => R): WasmLoader<R> {
  let runtime: R | null = null;
  let unavailable: string | null = null;
  let loading: Promise<void> | null = null;
  const refused = (err: unknown): string => `WebAssembly refused to compile corset's module (${err instanceof Error ? err.message : String(err)})`;
  const start = (instance: WebAssembly.Instance): R => {
    const exports = instance.exports as unknown as E;
    checkModule(exports);
    return setup(exports);
  };
  /** The platform's WebAssembly, or null (and why) where there is none. */
  const platform = (): typeof WebAssembly | null => {
    const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (wasm === undefined) unavailable = 'WebAssembly is not defined in this environment';
    return wasm ?? null;
  };

  return {
    sync() {
      if (runtime !== null || unavailable !== null) return runtime;
      const wasm = platform();
      if (wasm === null) return null;
      try {
        const s = source();
        runtime = start(new wasm.Instance(s instanceof Uint8Array ? new wasm.Module(s) : s, {}));
      } catch (err) {
        // A CompileError is final (a CSP without 'wasm-unsafe-eval', or a runtime without the
        // SIMD the release module uses): remember it. Anything else (a browser's RangeError for a
        // synchronous compile on the main thread) may still pass through load(): try again then.
        if (typeof wasm.CompileError === 'function' && err instanceof wasm.CompileError) unavailable = refused(err);
      }
      return runtime;
    },
    load() {
      if (runtime !== null || unavailable !== null) return Promise.resolve();
      if (loading !== null) return loading;
      const wasm = platform();
      if (wasm === null) return Promise.resolve();
      loading = (async () => {
        try {
          const s = source();
          const instance = await wasm.instantiate(s instanceof Uint8Array ? await wasm.compile(s) : s, {});
          if (runtime === null) runtime = start(instance);
        } catch (err) {
          unavailable = refused(err);
        } finally {
          loading = null;
        }
      })();
      return loading;
    },
    why: () => unavailable,
  };
}
