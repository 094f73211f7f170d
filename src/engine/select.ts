// The engine factory the policy compiler calls: which engine runs a compiled rule list.
import type { OriginMatcher, OriginRule } from '../policy/rules.js';
import { createJsMatcher } from './js-engine.js';

export type EngineName = 'wasm' | 'js';

export interface SelectedMatcher {
  readonly matcher: OriginMatcher;
  readonly engine: EngineName;
}

/**
 * Compile `rules` with the engine asked for. `'js'` and `'auto'` give the TypeScript engine.
 * `'wasm'` throws: the WebAssembly engine is not available in this build, and asking for it
 * explicitly must not quietly run something else (DESIGN.md: only `'auto'` falls back).
 */
export function createMatcher(rules: readonly OriginRule[], engine: 'auto' | 'wasm' | 'js'): SelectedMatcher {
  switch (engine) {
    case 'js':
    case 'auto':
      return { matcher: createJsMatcher(rules), engine: 'js' };
    case 'wasm':
      throw new Error('corset: engine "wasm" is not available in this build; use engine "auto" or "js"');
    default:
      throw new TypeError(`corset: createMatcher(engine): engine must be "auto", "wasm" or "js", got ${JSON.stringify(engine)}`);
  }
}
