// The WebAssembly engine as the browser bundles load it (scripts/build-browser.mjs puts this module
// in place of ./wasm-engine.ts): the shared boundary of ./wasm-core.ts with one table slot. A page
// holds a handful of policies, asks about a few origins at a time and never reads logs, so it has
// no region allocator, no eviction, no batches in scratch slots (matchMany is one match per
// origin, as in the TypeScript engine), no bulk-lines path and no memory counters.
//
// The slot: the table space (from the runtime's tablesAt) holds the tables of the matcher that
// ran last. A matcher whose tables are not there copies them in before its call (growing memory
// if they are larger than any before), so memory is bounded by the fixed part plus the largest
// table a page has compiled, however many policies come and go; nothing needs freeing when a
// matcher is dropped. The cost is one copy of the tables when a page alternates between policies.
import type { OriginMatcher, OriginRule } from '../policy/rules.js';
import type { OriginTables } from './tables.js';
import { matchEach } from './rule-front.js';
import { createWasmCore, growMemory, type Runtime } from './wasm-core.js';

export { loadWasm, wasmAvailable } from './wasm-core.js';

/** The tables in the slot now (null: none yet). */
let inSlot: OriginTables | null = null;

/** This build's TablePlacer (./wasm-core.ts): the one slot at tablesAt. */
function placeInSlot(rt: Runtime, tables: OriginTables): () => number {
  return () => {
    if (inSlot !== tables) {
      const short = rt.tablesAt + tables.bytes.length - rt.exports.memory.buffer.byteLength;
      if (short > 0) growMemory(rt, short);
      rt.u8.set(tables.bytes, rt.tablesAt);
      inSlot = tables;
    }
    return rt.tablesAt;
  };
}

/**
 * Compile a validated rule list into the WebAssembly engine. Throws where WebAssembly cannot run
 * (only `engine: 'auto'` falls back to the TypeScript engine; see ./select.ts).
 */
export function createWasmMatcher(rules: readonly OriginRule[]): OriginMatcher {
  const { match } = createWasmCore(rules, placeInSlot);
  return { match, matchMany: matchEach(match) };
}
