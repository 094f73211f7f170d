// The embedded WebAssembly module is what assembly/ compiles to today, and stays small.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { WASM_BASE64, WASM_BYTE_LENGTH } from '../src/engine/wasm-binary.generated.js';

describe('embedded WASM module', () => {
  it('matches a fresh compile of assembly/ (npm run build:wasm regenerates it)', () => {
    const out = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(out).toMatch(/up to date/);
  }, 60_000);

  it('is a WebAssembly module with no imports, under 8 KB', () => {
    const bytes = Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
    expect(bytes.length).toBe(WASM_BYTE_LENGTH);
    expect(WASM_BYTE_LENGTH, 'release module size').toBeLessThan(8 * 1024);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([]);
    const exports = WebAssembly.Module.exports(module).map((e) => e.name).sort();
    expect(exports).toEqual(['consumedBytes', 'heapBase', 'layoutVersion', 'matchCanonical', 'matchLines', 'matchOne', 'matchStrided', 'maxOriginLength', 'memory']);
  });
});
