// The bulk bytes path: many `Origin` values as LF-separated bytes (as they sit in a file) in, one
// verdict per line out, without building a JS string per line. The WebAssembly engine does it in
// linear memory (./wasm-engine.ts matchLines); where WebAssembly cannot run, the TypeScript
// engine gives the same verdicts line by line.
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import { MATCH_INVALID, type OriginRule } from '../policy/rules.js';
import { createJsMatcher } from './js-engine.js';
import { createWasmMatcher, wasmAvailable, type LinesResult } from './wasm-engine.js';

export type { LinesResult };

export interface LineMatcher {
  readonly engine: 'wasm' | 'js';
  /**
   * Verdicts (MATCH_INVALID, MATCH_NONE or the earliest rule index, as `match` gives) and start
   * offsets of the LF-separated lines of `chunk`, up to the arrays' length. A CR before LF is
   * dropped; a last line without LF counts only when `final`.
   */
  matchLines(chunk: Uint8Array, final: boolean, verdicts: Int32Array, starts: Int32Array): LinesResult;
}

const latin1 = new TextDecoder('latin1');

/** The TypeScript engine over lines: each line decoded (one char per byte) and matched. */
function jsLineMatcher(rules: readonly OriginRule[]): LineMatcher {
  const m = createJsMatcher(rules);
  return {
    engine: 'js',
    matchLines(chunk, final, verdicts, starts) {
      const room = Math.min(verdicts.length, starts.length);
      let lines = 0;
      let pos = 0;
      while (lines < room && pos < chunk.length) {
        let end = chunk.indexOf(0x0a, pos);
        if (end < 0) {
          if (!final) break;
          end = chunk.length;
        }
        let n = end - pos;
        if (n > 0 && chunk[end - 1] === 0x0d) n--;
        verdicts[lines] = n > MAX_ORIGIN_LENGTH ? MATCH_INVALID : m.match(latin1.decode(chunk.subarray(pos, pos + n)));
        starts[lines] = pos;
        lines++;
        pos = end + 1;
      }
      return { lines, consumed: Math.min(pos, chunk.length) };
    },
  };
}

/** A line matcher for `rules`: `auto` is WebAssembly where it can run. */
export function createLineMatcher(rules: readonly OriginRule[], engine: 'auto' | 'wasm' | 'js'): LineMatcher {
  if (engine === 'js' || (engine === 'auto' && !wasmAvailable())) return jsLineMatcher(rules);
  const m = createWasmMatcher(rules);
  return { engine: 'wasm', matchLines: (chunk, final, verdicts, starts) => m.matchLines(chunk, final, verdicts, starts) };
}
