// The one module that owns WebAssembly (DESIGN.md, "Seams that must stay single"): it compiles and
// instantiates assembly/ (embedded in ./wasm-binary.generated.ts), lays out linear memory, uploads
// compiled tables into it, copies origins into a scratch region and reads verdicts back. Only
// numbers cross the boundary: addresses, lengths, verdicts.
//
// Linear memory (one instance, shared by every policy in the process):
//
//   0            heapBase       SCRATCH_AT             LENGTHS_AT   OUT_AT            TABLES_AT       end
//   | AS statics |  (unused)    | input bytes 256 KiB  | lengths    | verdicts 256 KiB | table regions |
//                                 single origins and      one i32     i32 per origin,    one per live
//                                 batches: 272-byte       per slot    or (verdict, line   matcher, LRU
//                                 slots; bulk: lines                  start) per line
//
// Table regions come from a first-fit free list. Memory grows while the regions fit in
// TABLE_BUDGET; past it, the least recently used regions are evicted (their matcher uploads its
// tables again on its next call), and a matcher whose policy is collected frees its region
// through a FinalizationRegistry. WebAssembly memory never shrinks, so its size is bounded by
// the fixed part + max(TABLE_BUDGET, the largest single table), however many policies come and
// go (test/engine-wasm-memory.test.ts compiles and drops 10 000).
//
// The module uses WebAssembly SIMD (the host scan, 16 bytes at a time): Node >= 16.4, Chrome 91,
// Firefox 89, Safari 16.4. Where it does not compile, `auto` runs the TypeScript engine.
//
// Verdicts from assembly/index.ts: a rule index, or NONE -1, INVALID -2, UNSURE -3 (the fast scan
// cannot decide: the full URL parser does, then matchCanonical runs), NULL -4 (exactly `null`).
import { isCanonicalTupleOrigin } from '../origin/origin.js';
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import { MATCH_INVALID, MATCH_NONE, type OriginMatcher, type OriginRule } from '../policy/rules.js';
import { NO_RULE, TABLES_VERSION } from './layout.js';
import { buildExactFirst, earliestWithRegexps, notAnArray, notAString, splitRules, type RuleFront } from './rule-front.js';
import { buildTables, type OriginTables } from './tables.js';
import { WASM_BASE64 } from './wasm-binary.generated.js';

const VERDICT_UNSURE = -3;
const VERDICT_NULL = -4;

const PAGE = 65536;
const SCRATCH_BYTES = 256 * 1024;
const OUT_BYTES = 256 * 1024;
/** Lines per matchLines call: one 8-byte record each. */
const MAX_LINES = OUT_BYTES / 8;
/** One origin per slot in a batch: the longest origin, rounded up to 16 bytes. */
const SLOT_STRIDE = Math.ceil(MAX_ORIGIN_LENGTH / 16) * 16;
const SLOTS = Math.floor(SCRATCH_BYTES / SLOT_STRIDE);
/** Bytes kept free after the input, so the module's 8-byte loads near the end stay in bounds. */
const SCRATCH_PAD = 16;
/** Table bytes the memory may grow to before regions are evicted. */
const DEFAULT_TABLE_BUDGET = 64 * 1024 * 1024;

/** The module's exports (assembly/index.ts). */
interface WasmExports {
  readonly memory: WebAssembly.Memory;
  readonly layoutVersion: WebAssembly.Global;
  heapBase(): number;
  maxOriginLength(): number;
  matchOne(tables: number, origin: number, length: number): number;
  matchCanonical(tables: number, origin: number, length: number): number;
  matchStrided(tables: number, base: number, stride: number, lengths: number, count: number, out: number): void;
  matchLines(tables: number, input: number, length: number, out: number, maxLines: number, final: number): number;
  consumedBytes(): number;
}

/** A table region in linear memory; `offset` -1 when not resident. */
interface Region {
  offset: number;
  readonly size: number;
  lastUse: number;
}

interface Runtime {
  readonly exports: WasmExports;
  readonly scratchAt: number;
  readonly lengthsAt: number;
  readonly outAt: number;
  readonly tablesAt: number;
  /** Views of memory.buffer, replaced whenever memory grows. */
  u8: Uint8Array;
  i32: Int32Array;
  /** One view per batch slot (`slots[0]` serves single origins), for TextEncoder.encodeInto. */
  slots: Uint8Array[];
  /** Free table space: [offset, size] pairs sorted by offset, adjacent ones merged. */
  readonly free: { offset: number; size: number }[];
  readonly resident: Set<Region>;
  clock: number;
  tableBudget: number;
}

let runtime: Runtime | null = null;
/** Why WebAssembly cannot run here, once a sync or async attempt has failed. */
let unavailable: string | null = null;
let loading: Promise<void> | null = null;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function wasmGlobal(): typeof WebAssembly | undefined {
  return (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
}

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

/** Lay out memory for a fresh instance, and check it was built against our layout and limits. */
function createRuntime(instance: WebAssembly.Instance): Runtime {
  const exports = instance.exports as unknown as WasmExports;
  if (exports.layoutVersion.value !== TABLES_VERSION) {
    throw new Error(`corset: WASM module reads table layout ${exports.layoutVersion.value}, the builder writes ${TABLES_VERSION}`);
  }
  if (exports.maxOriginLength() !== MAX_ORIGIN_LENGTH) {
    throw new Error(`corset: WASM module caps origins at ${exports.maxOriginLength()}, src/origin/limits.ts at ${MAX_ORIGIN_LENGTH}`);
  }
  const scratchAt = align(exports.heapBase(), 16);
  const lengthsAt = scratchAt + SCRATCH_BYTES + SCRATCH_PAD;
  const outAt = lengthsAt + SLOTS * 4;
  const tablesAt = align(outAt + OUT_BYTES, 16);
  const memory = exports.memory;
  if (memory.buffer.byteLength < tablesAt) memory.grow(Math.ceil((tablesAt - memory.buffer.byteLength) / PAGE));
  const rt: Runtime = {
    exports,
    scratchAt,
    lengthsAt,
    outAt,
    tablesAt,
    u8: new Uint8Array(memory.buffer),
    i32: new Int32Array(memory.buffer),
    slots: slotViews(memory.buffer, scratchAt),
    free: [],
    resident: new Set(),
    clock: 0,
    tableBudget: DEFAULT_TABLE_BUDGET,
  };
  const tail = memory.buffer.byteLength - tablesAt;
  if (tail > 0) rt.free.push({ offset: tablesAt, size: tail });
  return rt;
}

/**
 * The runtime, instantiating synchronously on first use. null where WebAssembly is missing or
 * refuses (CSP without 'wasm-unsafe-eval', a browser's main-thread limit on sync compilation):
 * then `ready()` may still succeed asynchronously.
 */
function runtimeSync(): Runtime | null {
  if (runtime !== null || unavailable !== null) return runtime;
  const wasm = wasmGlobal();
  if (wasm === undefined) {
    unavailable = 'WebAssembly is not defined in this environment';
    return null;
  }
  try {
    runtime = createRuntime(new wasm.Instance(new wasm.Module(decodeBase64(WASM_BASE64)), {}));
  } catch (err) {
    // A CompileError is final (a CSP without 'wasm-unsafe-eval', or a runtime without the SIMD
    // the module uses): remember it. Anything else (a browser's RangeError for a synchronous
    // compile on the main thread) may still pass through `ready()`: try again then.
    if (typeof wasm.CompileError === 'function' && err instanceof wasm.CompileError) {
      unavailable = `WebAssembly refused to compile corset's module (${err.message})`;
    }
    return null;
  }
  return runtime;
}

/**
 * Compile and instantiate asynchronously (what browsers require on the main thread). Resolves
 * either way: afterwards `wasmAvailable()` says whether the engine can run.
 */
export function loadWasm(): Promise<void> {
  if (runtime !== null || unavailable !== null) return Promise.resolve();
  if (loading !== null) return loading;
  const wasm = wasmGlobal();
  if (wasm === undefined) {
    unavailable = 'WebAssembly is not defined in this environment';
    return Promise.resolve();
  }
  loading = (async () => {
    try {
      const module = await wasm.compile(decodeBase64(WASM_BASE64));
      const instance = await wasm.instantiate(module, {});
      if (runtime === null) runtime = createRuntime(instance);
    } catch (err) {
      unavailable = `WebAssembly refused to compile corset's module (${err instanceof Error ? err.message : String(err)})`;
    } finally {
      loading = null;
    }
  })();
  return loading;
}

/** Whether the WebAssembly engine can run now (instantiating synchronously if it can). */
export function wasmAvailable(): boolean {
  return runtimeSync() !== null;
}

// ---------------------------------------------------------------------------------------------
// Table regions
// ---------------------------------------------------------------------------------------------

function slotViews(buffer: ArrayBuffer, scratchAt: number): Uint8Array[] {
  const views: Uint8Array[] = [];
  for (let k = 0; k < SLOTS; k++) views.push(new Uint8Array(buffer, scratchAt + k * SLOT_STRIDE, SLOT_STRIDE));
  return views;
}

function refreshViews(rt: Runtime): void {
  const buffer = rt.exports.memory.buffer;
  rt.u8 = new Uint8Array(buffer);
  rt.i32 = new Int32Array(buffer);
  rt.slots = slotViews(buffer, rt.scratchAt);
}

function release(rt: Runtime, offset: number, size: number): void {
  const free = rt.free;
  let i = 0;
  while (i < free.length && (free[i] as { offset: number }).offset < offset) i++;
  free.splice(i, 0, { offset, size });
  // Merge with the next, then with the previous.
  const cur = free[i] as { offset: number; size: number };
  const next = free[i + 1];
  if (next !== undefined && cur.offset + cur.size === next.offset) {
    cur.size += next.size;
    free.splice(i + 1, 1);
  }
  const prev = free[i - 1];
  if (prev !== undefined && prev.offset + prev.size === cur.offset) {
    prev.size += cur.size;
    free.splice(i, 1);
  }
}

function firstFit(rt: Runtime, size: number): number {
  const free = rt.free;
  for (let i = 0; i < free.length; i++) {
    const block = free[i] as { offset: number; size: number };
    if (block.size < size) continue;
    const offset = block.offset;
    if (block.size === size) free.splice(i, 1);
    else {
      block.offset += size;
      block.size -= size;
    }
    return offset;
  }
  return -1;
}

/** Grow memory by at least `bytes` at its end, adding the new space to the free list. */
function grow(rt: Runtime, bytes: number): void {
  const memory = rt.exports.memory;
  const before = memory.buffer.byteLength;
  memory.grow(Math.ceil(bytes / PAGE));
  refreshViews(rt);
  release(rt, before, memory.buffer.byteLength - before);
}

function evict(rt: Runtime, region: Region): void {
  rt.resident.delete(region);
  release(rt, region.offset, region.size);
  region.offset = -1;
}

/** A place for `size` bytes of tables: free space, then growth within budget, then eviction. */
function allocate(rt: Runtime, size: number): number {
  let offset = firstFit(rt, size);
  if (offset >= 0) return offset;
  const used = rt.exports.memory.buffer.byteLength - rt.tablesAt;
  if (used + size <= rt.tableBudget) {
    grow(rt, size);
    return firstFit(rt, size);
  }
  const byAge = [...rt.resident].sort((a, b) => a.lastUse - b.lastUse);
  for (const victim of byAge) {
    evict(rt, victim);
    offset = firstFit(rt, size);
    if (offset >= 0) return offset;
  }
  // Everything is free and one table is larger than the budget: grow for it alone.
  const last = rt.free[rt.free.length - 1];
  const tailFree = last !== undefined && last.offset + last.size === rt.exports.memory.buffer.byteLength ? last.size : 0;
  grow(rt, size - tailFree);
  return firstFit(rt, size);
}

/** Upload `tables` into a region of its own; returns the region's address. */
function upload(rt: Runtime, region: Region, tables: OriginTables): number {
  const offset = allocate(rt, region.size);
  rt.u8.set(tables.bytes, offset);
  region.offset = offset;
  rt.resident.add(region);
  return offset;
}

/** Regions of matchers that were garbage-collected go back to the free list. */
const regions =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Region>((region) => {
        if (runtime !== null && region.offset >= 0) evict(runtime, region);
      })
    : null;

// ---------------------------------------------------------------------------------------------
// The matcher
// ---------------------------------------------------------------------------------------------

/** Counters for tests and `corset bench`: how linear memory is used. */
export interface WasmMemoryStats {
  readonly memoryBytes: number;
  readonly residentTables: number;
  readonly freeBytes: number;
  readonly tableBudget: number;
}

export function wasmMemoryStats(): WasmMemoryStats | null {
  const rt = runtimeSync();
  if (rt === null) return null;
  return {
    memoryBytes: rt.exports.memory.buffer.byteLength,
    residentTables: rt.resident.size,
    freeBytes: rt.free.reduce((sum, b) => sum + b.size, 0),
    tableBudget: rt.tableBudget,
  };
}

/** Set the table budget (bytes) and return the previous one. For tests of the memory bound. */
export function setWasmTableBudget(bytes: number): number {
  const rt = runtimeSync();
  if (rt === null) throw new Error('corset: setWasmTableBudget: the WebAssembly engine is not available');
  const previous = rt.tableBudget;
  rt.tableBudget = bytes;
  return previous;
}

/** One result of the bulk path: how far it got in the chunk. */
export interface LinesResult {
  /** Lines answered (their verdicts and start offsets are in the arrays passed in). */
  readonly lines: number;
  /** Bytes of the chunk consumed (whole lines only, unless `final`). */
  readonly consumed: number;
}

/** The WebAssembly engine: an OriginMatcher plus the bulk bytes path. */
export interface WasmMatcher extends OriginMatcher {
  /**
   * Match the LF-separated lines of `chunk` (a CR before LF is dropped; a last line without LF
   * counts only when `final`). Writes each line's verdict (MATCH_INVALID, MATCH_NONE or a rule
   * index, exactly as `match` would say for the line as a string) and start offset, up to the
   * arrays' length. No JS string is built for a line unless the full URL parser or a RegExp rule
   * must see it.
   */
  matchLines(chunk: Uint8Array, final: boolean, verdicts: Int32Array, starts: Int32Array): LinesResult;
}

const latin1 = typeof TextDecoder === 'function' ? new TextDecoder('latin1') : null;
const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : null;

/**
 * Copy an origin of at most SLOT_STRIDE characters into `slot`; false when it holds a character
 * outside ASCII (never in a serialized origin; the module refuses the rest of what is not).
 */
function copyAscii(origin: string, slot: Uint8Array): boolean {
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

/** A line's bytes as a string, one char per byte (non-ASCII bytes stay non-ASCII: never canonical). */
function lineString(u8: Uint8Array, start: number, length: number): string {
  if (latin1 !== null) return latin1.decode(u8.subarray(start, start + length));
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(u8[start + i] as number);
  return s;
}

/**
 * Compile a validated rule list into the WebAssembly engine. Throws where WebAssembly cannot run
 * (only `engine: 'auto'` falls back to the TypeScript engine; see ./select.ts).
 */
export function createWasmMatcher(rules: readonly OriginRule[]): WasmMatcher {
  const rt = runtimeSync();
  if (rt === null) {
    throw new Error(`corset: engine "wasm" cannot run here: ${unavailable ?? 'WebAssembly refused a synchronous compile; await ready() first'}`);
  }
  const tables = buildTables(rules);
  const front: RuleFront = splitRules(rules);
  const hasRegexps = front.regexps.length > 0;
  const region: Region = { offset: -1, size: tables.bytes.length, lastUse: 0 };
  const { exports } = rt;
  const scratchAt = rt.scratchAt;

  /** The tables' address, uploading them if they are not resident. */
  const base = (): number => {
    region.lastUse = ++rt.clock;
    return region.offset >= 0 ? region.offset : upload(rt, region, tables);
  };

  /** The engine's verdict, completed: NULL, RegExp rules, codes mapped to MATCH_*. */
  const finish = (origin: string, verdict: number): number => {
    if (verdict === MATCH_INVALID) return MATCH_INVALID;
    if (verdict === VERDICT_NULL) return front.nullRule;
    if (hasRegexps) return earliestWithRegexps(front, origin, verdict >= 0 ? verdict : NO_RULE);
    return verdict;
  };

  /** UNSURE: the full parser decides; the bytes are still at `at`. */
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
  const exactFirst = buildExactFirst(tables.exactKeys, matchSlow);

  const hasExact = exactFirst.size > 0;

  const match = (origin: string): number => {
    if (origin.length > MAX_ORIGIN_LENGTH) return MATCH_INVALID;
    if (hasExact) {
      const hit = exactFirst.get(origin);
      if (hit !== undefined) return hit;
    }
    return matchSlow(origin);
  };

  const matcher: WasmMatcher = {
    match(origin: string): number {
      if (typeof origin !== 'string') throw notAString('match', 'origin', origin);
      return match(origin);
    },

    matchMany(origins: readonly string[]): Uint8Array {
      if (!Array.isArray(origins)) throw notAnArray('matchMany', 'origins', origins);
      const out = new Uint8Array(origins.length);
      const pending = new Int32Array(Math.min(origins.length, SLOTS));
      let count = 0;
      base(); // resident before any copy: an upload may grow memory and replace the views
      const flush = (): void => {
        if (count === 0) return;
        const t = base();
        exports.matchStrided(t, scratchAt, SLOT_STRIDE, rt.lengthsAt, count, rt.outAt);
        const i32 = rt.i32;
        const verdicts = rt.outAt >> 2;
        for (let k = 0; k < count; k++) {
          const index = pending[k] as number;
          let verdict = i32[verdicts + k] as number;
          if (verdict < MATCH_INVALID || (hasRegexps && verdict !== MATCH_INVALID)) {
            const origin = origins[index] as string;
            if (verdict === VERDICT_UNSURE) verdict = resolveUnsure(t, origin, scratchAt + k * SLOT_STRIDE);
            verdict = finish(origin, verdict);
          }
          out[index] = verdict >= 0 ? 1 : 0;
        }
        count = 0;
      };
      for (let i = 0; i < origins.length; i++) {
        const origin: unknown = origins[i];
        if (typeof origin !== 'string') throw notAString('matchMany', `origins[${i}]`, origin);
        if (origin.length > MAX_ORIGIN_LENGTH) continue; // 0: invalid, not copied
        if (hasExact) {
          const hit = exactFirst.get(origin);
          if (hit !== undefined) {
            out[i] = hit >= 0 ? 1 : 0;
            continue;
          }
        }
        if (origin === 'null') {
          out[i] = front.nullRule >= 0 ? 1 : 0;
          continue;
        }
        if (count === SLOTS) flush();
        if (!copyAscii(origin, rt.slots[count] as Uint8Array)) continue; // 0: invalid
        rt.i32[(rt.lengthsAt >> 2) + count] = origin.length;
        pending[count++] = i;
      }
      flush();
      return out;
    },

    matchLines(chunk: Uint8Array, final: boolean, verdicts: Int32Array, starts: Int32Array): LinesResult {
      const room = Math.min(verdicts.length, starts.length);
      let lines = 0;
      let consumed = 0;
      while (lines < room && consumed < chunk.length) {
        const t = base();
        const piece = Math.min(chunk.length - consumed, SCRATCH_BYTES);
        const last = final && consumed + piece === chunk.length;
        rt.u8.set(chunk.subarray(consumed, consumed + piece), scratchAt);
        const got = exports.matchLines(t, scratchAt, piece, rt.outAt, Math.min(room - lines, MAX_LINES), last ? 1 : 0);
        const used = exports.consumedBytes();
        const i32 = rt.i32;
        const u8 = rt.u8;
        const rec = rt.outAt >> 2;
        for (let k = 0; k < got; k++) {
          let verdict = i32[rec + 2 * k] as number;
          const start = i32[rec + 2 * k + 1] as number;
          if (verdict === VERDICT_NULL) verdict = front.nullRule;
          else if (verdict === VERDICT_UNSURE || (hasRegexps && verdict !== MATCH_INVALID)) {
            // The full parser or a RegExp must see this line as a string.
            let end = start;
            const limit = used;
            while (end < limit && u8[scratchAt + end] !== 0x0a) end++;
            if (end > start && u8[scratchAt + end - 1] === 0x0d) end--;
            const origin = lineString(u8, scratchAt + start, end - start);
            if (verdict === VERDICT_UNSURE) verdict = resolveUnsure(t, origin, scratchAt + start);
            verdict = finish(origin, verdict);
          }
          verdicts[lines + k] = verdict;
          starts[lines + k] = consumed + start;
        }
        lines += got;
        if (used === 0) {
          // Not one whole line in a full scratch buffer: the line is far past the length cap.
          // Answer it as invalid without copying the rest (its end is found in the chunk).
          if (piece < SCRATCH_BYTES) break; // a partial line at the end of a non-final chunk
          let end = consumed + piece;
          while (end < chunk.length && chunk[end] !== 0x0a) end++;
          if (end === chunk.length && !final) break;
          verdicts[lines] = MATCH_INVALID;
          starts[lines] = consumed;
          lines++;
          consumed = Math.min(end + 1, chunk.length);
          continue;
        }
        consumed += used;
        if (got === 0) break;
      }
      return { lines, consumed };
    },
  };
  regions?.register(matcher, region);
  return matcher;
}

/** MATCH_NONE re-exported for callers of the bulk path. */
export { MATCH_NONE, MATCH_INVALID };
