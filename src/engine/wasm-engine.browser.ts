// The WebAssembly engine as the browser bundles load it (scripts/build-browser.mjs puts this module
// in place of ./wasm-engine.ts): the one owner of the browser module's memory (DESIGN.md, "Seams
// that must stay single"). A page holds a handful of policies and asks about a few origins at a
// time, so this boundary is small: one origin per call, no batches, no bulk-lines path, no table
// regions or memory counters (Node's ./wasm-core.ts and ./wasm-engine.ts have those).
//
// The browser module (assembly/browser.ts) has no canonical-origin scan: the page already carries
// that check (src/origin/canonical-origin.ts, then the platform's URL parser) for its precheck, so
// an origin is checked and split here in TypeScript, as the TypeScript engine does, and the module
// only walks the tables (matchSplit: the origin's bytes, its host bounds and port).
//
// Linear memory: the module's statics, a 272-byte scratch slot for the origin, then one table
// slot holding the tables of the matcher that ran last. A matcher whose tables are not there
// copies them in before its call (growing memory if they are larger than any before), so memory
// is bounded by the largest table a page has compiled, however many policies come and go, and
// nothing needs freeing when a matcher is dropped. The cost is one copy of the tables when a page
// alternates between policies.
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import type { OriginMatcher, OriginRule } from '../policy/rules.js';
import { tableMatcher, type EngineOptions } from './rule-front.js';
import { exactMissPath } from './exact-miss.js';
import type { OriginTables } from './tables.js';
import { wasmSource } from './wasm-source.js';
import { wasmLoader, type ModuleBasics } from './wasm-loader.js';

/** The browser module's exports (assembly/browser.ts). */
interface BrowserExports extends ModuleBasics {
  /** The earliest table rule for a canonical origin (its bytes at `origin`, split), or NO_RULE. */
  matchSplit(tables: number, origin: number, length: number, hostStart: number, hostEnd: number, port: number): number;
}

interface Runtime {
  readonly exports: BrowserExports;
  /** The origin's bytes; the tables start right after (both 16-byte aligned). */
  readonly scratchAt: number;
  readonly tablesAt: number;
}

const align16 = (n: number): number => (n + 15) & ~15;

const loader = wasmLoader(wasmSource, (exports: BrowserExports): Runtime => {
  const scratchAt = align16(exports.heapBase());
  return { exports, scratchAt, tablesAt: align16(scratchAt + MAX_ORIGIN_LENGTH + 16) };
});

/** Compile and instantiate asynchronously. Resolves either way: then `wasmAvailable()` says. */
export const loadWasm = loader.load;

/** Whether the WebAssembly engine can run now (instantiating synchronously if it can). */
export function wasmAvailable(): boolean {
  return loader.sync() !== null;
}

/** The tables in the table slot now (null: none yet). */
let inSlot: OriginTables | null = null;
const encoder = new TextEncoder();

/**
 * Compile a validated rule list into the WebAssembly engine. Throws where WebAssembly cannot run
 * (only `engine: 'auto'` falls back to the TypeScript engine; see ./select.ts).
 */
export function createWasmMatcher(rules: readonly OriginRule[], options?: EngineOptions): OriginMatcher {
  const rt = loader.sync();
  if (rt === null) {
    throw new Error(`corset: engine "wasm" cannot run here: ${loader.why() ?? 'WebAssembly refused a synchronous compile; await ready() first'}`);
  }
  const { exports, scratchAt, tablesAt } = rt;
  const memory = exports.memory;
  return tableMatcher(
    rules,
    (tables, origin, scan) => {
      if (inSlot !== tables) {
        const short = tablesAt + tables.bytes.length - memory.buffer.byteLength;
        if (short > 0) memory.grow(Math.ceil(short / 65536));
        new Uint8Array(memory.buffer).set(tables.bytes, tablesAt);
        inSlot = tables;
      }
      // A canonical origin is ASCII and at most MAX_ORIGIN_LENGTH bytes: it fits the scratch slot.
      encoder.encodeInto(origin, new Uint8Array(memory.buffer, scratchAt, origin.length));
      return exports.matchSplit(tablesAt, scratchAt, origin.length, scan.hostStart, scan.hostEnd, scan.port);
    },
    exactMissPath,
    options,
  );
}
