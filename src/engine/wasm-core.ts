// The WebAssembly boundary in Node (and bundlers) (DESIGN.md, "Seams that must stay single"): the
// one module that owns the release module's memory. It lays out linear memory, copies origins
// into a scratch region and reads verdicts back; only numbers cross the boundary: addresses,
// lengths, verdicts. Where the compiled tables live in memory is the caller's concern (a
// `TablePlacer`): ./wasm-engine.ts (regions with LRU eviction, the bulk-lines path, memory stats)
// is the only module that imports this one. The browser bundles carry their own boundary,
// ./wasm-engine.browser.ts, for their own module; both load through ./wasm-loader.ts.
//
// Linear memory (one instance, shared by every policy in the process):
//
//   0            heapBase       SCRATCH_AT             LENGTHS_AT   OUT_AT            TABLES_AT       end
//   | AS statics |  (unused)    | input bytes 256 KiB  | lengths    | verdicts 256 KiB | tables ...    |
//                                 single origins and      one i32     i32 per origin,    placed by the
//                                 batches: 272-byte       per slot    or (verdict, line   TablePlacer
//                                 slots; bulk: lines                  start) per line
//
// The release module uses WebAssembly SIMD (the host scan, 16 bytes at a time): Node >= 16.4,
// Chrome 91, Firefox 89, Safari 16.4. Where it does not compile, `auto` runs the TypeScript engine.
//
// Verdicts from assembly/index.ts: a rule index, or NONE -1, INVALID -2, UNSURE -3 (the fast scan
// cannot decide: the full URL parser does, then matchCanonical runs), NULL -4 (exactly `null`),
// APP -5 (a canonical app origin: the policy's app origins answer, ./rule-front.ts matchApp).
import { isCanonicalTupleOrigin } from '../origin/origin.js';
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import { MATCH_INVALID, type OriginMatcher, type OriginRule } from '../policy/rules.js';
import { NO_RULE } from './layout.js';
import { exactOnlyMiss } from './exact-miss.js';
import { buildExactFirst, earliestWithRegexps, exactOnlyList, frontedMatch, matchApp, splitRules, type EngineOptions, type RuleFront } from './rule-front.js';
import { newOriginScan } from '../origin/canonical-origin.js';
import { buildTables, exactIndexMaps, type OriginTables, type TableMaps } from './tables.js';
import { exactIndexOf } from '../policy/exact-index.js';
import { wasmBytes } from './wasm-binary.generated.js';
import { wasmLoader, type ModuleBasics } from './wasm-loader.js';

export const VERDICT_UNSURE = -3;
export const VERDICT_NULL = -4;
export const VERDICT_APP = -5;

export const PAGE = 65536;
export const SCRATCH_BYTES = 256 * 1024;
export const OUT_BYTES = 256 * 1024;
/** One origin per slot in a batch: the longest origin, rounded up to 16 bytes. */
export const SLOT_STRIDE = Math.ceil(MAX_ORIGIN_LENGTH / 16) * 16;
export const SLOTS = Math.floor(SCRATCH_BYTES / SLOT_STRIDE);
/** Bytes kept free after the input, so the module's 8-byte loads near the end stay in bounds. */
const SCRATCH_PAD = 16;

/** The module's exports (assembly/index.ts). */
export interface WasmExports extends ModuleBasics {
  matchOne(tables: number, origin: number, length: number): number;
  matchCanonical(tables: number, origin: number, length: number): number;
  matchStrided(tables: number, base: number, stride: number, lengths: number, count: number, out: number): void;
  matchLines(tables: number, input: number, length: number, out: number, maxLines: number, final: number): number;
  consumedBytes(): number;
}

export interface Runtime {
  readonly exports: WasmExports;
  readonly scratchAt: number;
  readonly lengthsAt: number;
  readonly outAt: number;
  /** Where table space begins: memory from here to its end belongs to the TablePlacer. */
  readonly tablesAt: number;
  /** Views of memory.buffer, replaced whenever memory grows (see growMemory). */
  u8: Uint8Array;
  i32: Int32Array;
  /** One view per batch slot (`slots[0]` serves single origins), for TextEncoder.encodeInto. */
  slots: Uint8Array[];
}

/**
 * Where a matcher's tables live: given the runtime and the function that builds the tables (on
 * its first call only: see createWasmCore), returns the function the matcher calls before every
 * call into the module, which makes the tables resident (building and uploading them if they are
 * not) and returns their address. Between that call and the module's answer no other matcher
 * runs, so the address stays valid for the whole call.
 */
export type TablePlacer = (rt: Runtime, tables: () => OriginTables) => () => number;

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

function slotViews(buffer: ArrayBuffer, scratchAt: number): Uint8Array[] {
  const views: Uint8Array[] = [];
  for (let k = 0; k < SLOTS; k++) views.push(new Uint8Array(buffer, scratchAt + k * SLOT_STRIDE, SLOT_STRIDE));
  return views;
}

/** Grow memory by at least `bytes` (whole pages) and replace the views. */
export function growMemory(rt: Runtime, bytes: number): void {
  const memory = rt.exports.memory;
  memory.grow(Math.ceil(bytes / PAGE));
  const buffer = memory.buffer;
  rt.u8 = new Uint8Array(buffer);
  rt.i32 = new Int32Array(buffer);
  rt.slots = slotViews(buffer, rt.scratchAt);
}

/** Lay out memory for a fresh instance (the loader has checked its layout version and cap). */
function createRuntime(exports: WasmExports): Runtime {
  const scratchAt = align(exports.heapBase(), 16);
  const lengthsAt = scratchAt + SCRATCH_BYTES + SCRATCH_PAD;
  const outAt = lengthsAt + SLOTS * 4;
  const tablesAt = align(outAt + OUT_BYTES, 16);
  const memory = exports.memory;
  if (memory.buffer.byteLength < tablesAt) memory.grow(Math.ceil((tablesAt - memory.buffer.byteLength) / PAGE));
  return {
    exports,
    scratchAt,
    lengthsAt,
    outAt,
    tablesAt,
    u8: new Uint8Array(memory.buffer),
    i32: new Int32Array(memory.buffer),
    slots: slotViews(memory.buffer, scratchAt),
  };
}

const loader = wasmLoader(wasmBytes, createRuntime);

/** The runtime, instantiating synchronously on first use; null where it cannot (yet) run. */
export const runtimeSync = loader.sync;

/** Compile and instantiate asynchronously. Resolves either way: then `wasmAvailable()` says. */
export const loadWasm = loader.load;

/** Whether the WebAssembly engine can run now (instantiating synchronously if it can). */
export function wasmAvailable(): boolean {
  return runtimeSync() !== null;
}

const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : null;

/**
 * Copy an origin of at most SLOT_STRIDE characters into `slot`; false when it holds a character
 * outside ASCII (never in a serialized origin; the module refuses the rest of what is not).
 */
export function copyAscii(origin: string, slot: Uint8Array): boolean {
  const n = origin.length;
  if (encoder !== null) {
    const { read, written } = encoder.encodeInto(origin, slot);
    return read === n && written === n;
  }
  for (let i = 0; i < n; i++) {
    const c = origin.charCodeAt(i);
    if (c >= 0x80) return false;
    slot[i] = c;
  }
  return true;
}

/** What a build adds to the matcher (./wasm-engine.ts: batches in slots, the bulk-lines path) works with these. */
export interface WasmMatchContext {
  readonly rt: Runtime;
  readonly front: RuleFront;
  readonly hasRegexps: boolean;
  /** The exact-origin fast path (./rule-front.ts buildExactFirst); empty when no exact rules. */
  readonly exactFirst: ReadonlyMap<string, number>;
  /** The tables' address, resident (see TablePlacer). */
  readonly base: () => number;
  /** The module's verdict, completed: NULL, APP, RegExp rules, codes mapped to MATCH_*. */
  readonly finish: (origin: string, verdict: number) => number;
  /** UNSURE: the full parser decides; the origin's bytes are still at `at`. */
  readonly resolveUnsure: (t: number, origin: string, at: number) => number;
}

/**
 * The tables of `rules`: the maps the JS side reads now, and the packed tables the module reads.
 * A list with the validator's exact-origin index `exactIndex` has its maps already
 * (./tables.ts exactIndexMaps), and its JS side needs nothing else (the exact fast path, misses
 * answered by exactOnlyMiss): its bytes are built only when the module first needs them (a batch
 * or bulk lines holding a value that is not a key), so never for match(), and never for decide().
 */
function tablesOf(rules: readonly OriginRule[], exactIndex: ReadonlyMap<string, number> | null): { tables: TableMaps; packed: () => OriginTables } {
  if (exactIndex !== null) return { tables: exactIndexMaps(exactIndex), packed: () => buildTables(rules, exactIndex) };
  const tables = buildTables(rules);
  return { tables, packed: () => tables };
}

/**
 * Compile a validated rule list into the WebAssembly engine, its tables placed by `place`: the
 * matcher's `match`, and the context a build's `matchMany` works with. Throws where WebAssembly
 * cannot run (only `engine: 'auto'` falls back to the TypeScript engine; see ./select.ts).
 */
export function createWasmCore(rules: readonly OriginRule[], place: TablePlacer, options: EngineOptions = {}): { match: OriginMatcher['match']; context: WasmMatchContext } {
  const rt = runtimeSync();
  if (rt === null) {
    throw new Error(`corset: engine "wasm" cannot run here: ${loader.why() ?? 'WebAssembly refused a synchronous compile; await ready() first'}`);
  }
  // A validated list of exact origins brings its exact-origin index (src/policy/exact-index.ts).
  const exactIndex = exactIndexOf(rules);
  const { tables, packed } = tablesOf(rules, exactIndex);
  const front: RuleFront = splitRules(rules);
  const hasRegexps = front.regexps.length > 0;
  const base = place(rt, packed);
  const { exports } = rt;
  const scratchAt = rt.scratchAt;

  const finish = (origin: string, verdict: number): number => {
    if (verdict === MATCH_INVALID) return MATCH_INVALID;
    if (verdict === VERDICT_NULL) return front.nullRule;
    if (verdict === VERDICT_APP) return matchApp(front, origin);
    if (hasRegexps) return earliestWithRegexps(front, origin, verdict >= 0 ? verdict : NO_RULE);
    return verdict;
  };

  const resolveUnsure = (t: number, origin: string, at: number): number =>
    isCanonicalTupleOrigin(origin) ? exports.matchCanonical(t, at, origin.length) : MATCH_INVALID;

  /** Everything but the length cap and the exact fast path. */
  const matchSlow = (origin: string): number => {
    if (origin === 'null') return front.nullRule;
    const t = base();
    if (!copyAscii(origin, rt.slots[0] as Uint8Array)) return MATCH_INVALID;
    let verdict = exports.matchOne(t, scratchAt, origin.length);
    if (verdict === VERDICT_UNSURE) verdict = resolveUnsure(t, origin, scratchAt);
    return finish(origin, verdict);
  };
  const exactFirst = buildExactFirst(tables.exact, matchSlow, front.regexps.length === 0 ? tables.exactEarliest : null, exactIndex !== null);

  // A list of exact origins only: a miss is answered by the fast canonical scan in TypeScript
  // (./exact-miss.ts exactOnlyMiss), without the copy into linear memory and the module call.
  const miss = options.fastMiss !== false && exactOnlyList(tables, front, exactFirst) ? exactOnlyMiss(front, newOriginScan()) : matchSlow;
  const match = frontedMatch(exactFirst, miss);

  return {
    match,
    context: { rt, front, hasRegexps, exactFirst, base, finish, resolveUnsure },
  };
}
