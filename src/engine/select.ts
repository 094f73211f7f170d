// The engine factory the policy compiler calls: which engine runs a compiled rule list.
//
// `auto` (measured with `npm run bench:engine`, see the README's "Engines"): the WebAssembly
// engine for every policy with table rules (exact, `:*`, `*.`, glob). An exact hit costs the same
// in both engines (one Map lookup on the header string, before either engine runs); everything
// else (misses, look-alikes, wildcards, globs, ports) costs 1.5x to 3.5x more in the TypeScript
// engine. A policy without table rules (only RegExp or `null` entries, or `origins: '*'`) gains
// nothing from WebAssembly and stays in TypeScript. Where WebAssembly cannot run, `auto` is the
// TypeScript engine, with the same answers.
import type { OriginMatcher, OriginRule } from '../policy/rules.js';
import { createJsMatcher } from './js-engine.js';
import { createWasmMatcher, wasmAvailable } from './wasm-engine.js';

export type EngineName = 'wasm' | 'js';

export interface SelectedMatcher {
  readonly matcher: OriginMatcher;
  readonly engine: EngineName;
}

/** The engine `auto` would pick for `rules` where both can run. */
export function preferredEngine(rules: readonly OriginRule[]): EngineName {
  return rules.some((rule) => rule.kind === 'tuple') ? 'wasm' : 'js';
}

/**
 * Compile `rules` with the engine asked for. `'wasm'` throws where WebAssembly cannot run (or
 * refuses a synchronous compile before `ready()` has resolved): asking for it explicitly must
 * not quietly run something else (DESIGN.md: only `'auto'` falls back).
 */
export function createMatcher(rules: readonly OriginRule[], engine: 'auto' | 'wasm' | 'js'): SelectedMatcher {
  switch (engine) {
    case 'js':
      return { matcher: createJsMatcher(rules), engine: 'js' };
    case 'wasm':
      return { matcher: createWasmMatcher(rules), engine: 'wasm' };
    case 'auto':
      if (preferredEngine(rules) === 'wasm' && wasmAvailable()) return { matcher: createWasmMatcher(rules), engine: 'wasm' };
      return { matcher: createJsMatcher(rules), engine: 'js' };
    default:
      throw new TypeError(`corset: createMatcher(engine): engine must be "auto", "wasm" or "js", got ${JSON.stringify(engine)}`);
  }
}
