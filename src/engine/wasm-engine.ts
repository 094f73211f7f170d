// The WebAssembly engine as Node (and bundlers) load it: the boundary of ./wasm-core.ts
// (which owns the module, its memory layout and the copy of origins in and verdicts out), plus
// what a long-running server needs and a page does not: table regions that many policies share
// under a budget, batches matched in scratch slots (one module call per SLOTS origins), the
// bulk-lines path (`corset audit`), and memory counters. The browser bundles carry their own
// boundary, ./wasm-engine.browser.ts, in its place (scripts/build-browser.mjs swaps it in).
//
// Table regions (from the runtime's tablesAt to the end of memory) come from a first-fit free
// list. Memory grows while the regions fit in TABLE_BUDGET; past it, the least recently used
// regions are evicted (their matcher uploads its tables again on its next call), and a matcher
// whose policy is collected frees its region through a FinalizationRegistry. WebAssembly memory
// never shrinks, so its size is bounded by the fixed part + max(TABLE_BUDGET, the largest single
// table), however many policies come and go (test/engine-wasm-memory.test.ts compiles and drops
// 10 000).
import { MATCH_INVALID, MATCH_NONE, type OriginMatcher, type OriginRule } from '../policy/rules.js';
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import type { OriginTables } from './tables.js';
import type { EngineOptions } from './rule-front.js';
import {
  copyAscii,
  createWasmCore,
  growMemory,
  OUT_BYTES,
  runtimeSync,
  SCRATCH_BYTES,
  SLOT_STRIDE,
  SLOTS,
  VERDICT_APP,
  VERDICT_NULL,
  VERDICT_UNSURE,
  type Runtime,
  type WasmMatchContext,
} from './wasm-core.js';

export { loadWasm, wasmAvailable } from './wasm-core.js';

/** Lines per matchLines call: one 8-byte record each. */
const MAX_LINES = OUT_BYTES / 8;
/** Table bytes the memory may grow to before regions are evicted. */
const DEFAULT_TABLE_BUDGET = 64 * 1024 * 1024;

/** A table region in linear memory; `offset` -1 when not resident. */
interface Region {
  offset: number;
  /** The tables' bytes; 0 until they are first built. */
  size: number;
  lastUse: number;
}

/** The table space of the one runtime. */
interface Space {
  readonly rt: Runtime;
  /** Free table space: [offset, size] pairs sorted by offset, adjacent ones merged. */
  readonly free: { offset: number; size: number }[];
  readonly resident: Set<Region>;
  clock: number;
  tableBudget: number;
}

let space: Space | null = null;

/** The table space of `rt`: at first, all of memory above tablesAt is free. */
function spaceOf(rt: Runtime): Space {
  if (space !== null && space.rt === rt) return space;
  const sp: Space = { rt, free: [], resident: new Set(), clock: 0, tableBudget: DEFAULT_TABLE_BUDGET };
  const tail = rt.exports.memory.buffer.byteLength - rt.tablesAt;
  if (tail > 0) sp.free.push({ offset: rt.tablesAt, size: tail });
  space = sp;
  return sp;
}

// ---------------------------------------------------------------------------------------------
// Table regions
// ---------------------------------------------------------------------------------------------

function release(sp: Space, offset: number, size: number): void {
  const free = sp.free;
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

function firstFit(sp: Space, size: number): number {
  const free = sp.free;
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
function grow(sp: Space, bytes: number): void {
  const memory = sp.rt.exports.memory;
  const before = memory.buffer.byteLength;
  growMemory(sp.rt, bytes);
  release(sp, before, memory.buffer.byteLength - before);
}

function evict(sp: Space, region: Region): void {
  sp.resident.delete(region);
  release(sp, region.offset, region.size);
  region.offset = -1;
}

/** A place for `size` bytes of tables: free space, then growth within budget, then eviction. */
function allocate(sp: Space, size: number): number {
  let offset = firstFit(sp, size);
  if (offset >= 0) return offset;
  const used = sp.rt.exports.memory.buffer.byteLength - sp.rt.tablesAt;
  if (used + size <= sp.tableBudget) {
    grow(sp, size);
    return firstFit(sp, size);
  }
  const byAge = [...sp.resident].sort((a, b) => a.lastUse - b.lastUse);
  for (const victim of byAge) {
    evict(sp, victim);
    offset = firstFit(sp, size);
    if (offset >= 0) return offset;
  }
  // Everything is free and one table is larger than the budget: grow for it alone.
  const last = sp.free[sp.free.length - 1];
  const tailFree = last !== undefined && last.offset + last.size === sp.rt.exports.memory.buffer.byteLength ? last.size : 0;
  grow(sp, size - tailFree);
  return firstFit(sp, size);
}

/** Upload `tables` into a region of its own; returns the region's address. */
function upload(sp: Space, region: Region, tables: OriginTables): number {
  const offset = allocate(sp, region.size);
  sp.rt.u8.set(tables.bytes, offset);
  region.offset = offset;
  sp.resident.add(region);
  return offset;
}

/** Regions of matchers that were garbage-collected go back to the free list. */
const regions =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Region>((region) => {
        if (space !== null && region.offset >= 0) evict(space, region);
      })
    : null;

/**
 * This build's TablePlacer (./wasm-core.ts): a region of its own, the tables built and uploaded
 * on first use, uploaded again after an eviction. The returned function is held only by the
 * matcher's closures, so its collection is the matcher's: the region goes back to the free list
 * then.
 */
function placeInRegion(rt: Runtime, build: () => OriginTables): () => number {
  const sp = spaceOf(rt);
  const region: Region = { offset: -1, size: 0, lastUse: 0 };
  let tables: OriginTables | null = null;
  const base = (): number => {
    region.lastUse = ++sp.clock;
    if (region.offset >= 0) return region.offset;
    if (tables === null) {
      tables = build();
      region.size = tables.bytes.length;
    }
    return upload(sp, region, tables);
  };
  regions?.register(base, region);
  return base;
}

// ---------------------------------------------------------------------------------------------
// Memory counters
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
  const sp = spaceOf(rt);
  return {
    memoryBytes: rt.exports.memory.buffer.byteLength,
    residentTables: sp.resident.size,
    freeBytes: sp.free.reduce((sum, b) => sum + b.size, 0),
    tableBudget: sp.tableBudget,
  };
}

/** Set the table budget (bytes) and return the previous one. For tests of the memory bound. */
export function setWasmTableBudget(bytes: number): number {
  const rt = runtimeSync();
  if (rt === null) throw new Error('corset: setWasmTableBudget: the WebAssembly engine is not available');
  const sp = spaceOf(rt);
  const previous = sp.tableBudget;
  sp.tableBudget = bytes;
  return previous;
}

// ---------------------------------------------------------------------------------------------
// Batches in slots
// ---------------------------------------------------------------------------------------------

/**
 * matchMany over a matcher's context: the origins that the exact fast path does not answer are
 * copied into the scratch slots and matched by the module in one call per SLOTS origins.
 */
function slotsPath(context: WasmMatchContext): OriginMatcher['matchMany'] {
  const { rt, front, hasRegexps, exactFirst, base, finish, resolveUnsure } = context;
  const { exports, scratchAt } = rt;
  const hasExact = exactFirst.size > 0;
  return (origins) => {
    const out = new Uint8Array(origins.length);
    const pending = new Int32Array(Math.min(origins.length, SLOTS));
    let count = 0;
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
      const origin = origins[i] as string;
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
      if (count === 0) base(); // resident before a batch's first copy: an upload may grow memory and replace the views
      if (!copyAscii(origin, rt.slots[count] as Uint8Array)) continue; // 0: invalid
      rt.i32[(rt.lengthsAt >> 2) + count] = origin.length;
      pending[count++] = i;
    }
    flush();
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// The bulk-lines path
// ---------------------------------------------------------------------------------------------

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

/** A line's bytes as a string, one char per byte (non-ASCII bytes stay non-ASCII: never canonical). */
function lineString(u8: Uint8Array, start: number, length: number): string {
  if (latin1 !== null) return latin1.decode(u8.subarray(start, start + length));
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(u8[start + i] as number);
  return s;
}

/** matchLines over a matcher's context (its tables, RegExp and `null` rules). */
function linesPath(context: WasmMatchContext): WasmMatcher['matchLines'] {
  const { rt, front, hasRegexps, base, finish, resolveUnsure } = context;
  const { exports, scratchAt } = rt;
  return (chunk, final, verdicts, starts) => {
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
        else if (verdict === VERDICT_UNSURE || verdict === VERDICT_APP || (hasRegexps && verdict !== MATCH_INVALID)) {
          // The full parser, the app origins or a RegExp must see this line as a string.
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
  };
}

/**
 * Compile a validated rule list into the WebAssembly engine. Throws where WebAssembly cannot run
 * (only `engine: 'auto'` falls back to the TypeScript engine; see ./select.ts).
 */
export function createWasmMatcher(rules: readonly OriginRule[], options?: EngineOptions): WasmMatcher {
  const { match, context } = createWasmCore(rules, placeInRegion, options);
  return { match, matchMany: slotsPath(context), matchLines: linesPath(context) };
}

/** MATCH_NONE re-exported for callers of the bulk path. */
export { MATCH_NONE, MATCH_INVALID };
