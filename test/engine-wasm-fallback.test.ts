// Where WebAssembly is missing (a page whose CSP forbids it, an old runtime) or refuses a
// synchronous compile (a browser's main thread), `auto` falls back to the TypeScript engine with
// the same answers, `wasm` throws, and `ready()` resolves. Each case loads the engine modules
// afresh (vi.resetModules) so that no instance survives from another test.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENGINE_CASES } from './fixtures/engine-cases.js';

const realWasm = globalThis.WebAssembly;

async function freshEngines() {
  vi.resetModules();
  const select = await import('../src/engine/select.js');
  const ready = await import('../src/engine/ready.js');
  const wasm = await import('../src/engine/wasm-engine.js');
  return { ...select, ...ready, ...wasm };
}

afterEach(() => {
  (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly = realWasm;
  vi.resetModules();
});

describe('without WebAssembly', () => {
  it('auto runs the TypeScript engine with the same answers; wasm throws; ready() resolves', async () => {
    delete (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    expect(typeof (globalThis as { WebAssembly?: unknown }).WebAssembly).toBe('undefined');
    const e = await freshEngines();
    await expect(e.ready()).resolves.toBeUndefined();
    expect(e.wasmAvailable()).toBe(false);
    for (const c of ENGINE_CASES.filter((x) => x.rules.some((r) => r.kind === 'tuple'))) {
      const selected = e.createMatcher(c.rules, 'auto');
      expect(selected.engine, `${c.desc}: engine`).toBe('js');
      const want = c.want === 'none' ? -1 : c.want === 'invalid' ? -2 : c.want;
      expect(selected.matcher.match(c.origin), `${c.desc}: match(${JSON.stringify(c.origin.slice(0, 80))})`).toBe(want);
    }
    expect(() => e.createMatcher([], 'wasm')).toThrow(/engine "wasm" cannot run here: WebAssembly is not defined/);
  });
});

describe('when a synchronous compile is refused (a browser main thread)', () => {
  it('auto falls back until ready() resolves, then runs WebAssembly', async () => {
    const refusing = Object.create(realWasm) as typeof WebAssembly;
    Object.defineProperty(refusing, 'Module', {
      value: function Module() {
        throw new RangeError('WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB');
      },
    });
    (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly = refusing;
    const e = await freshEngines();
    const list = ENGINE_CASES[0]?.rules ?? [];
    expect(e.createMatcher(list, 'auto').engine, 'before ready()').toBe('js');
    expect(() => e.createMatcher(list, 'wasm')).toThrow(/await ready\(\)/);
    await e.ready();
    const after = e.createMatcher(list, 'auto');
    expect(after.engine, 'after ready()').toBe('wasm');
    expect(after.matcher.match('https://example.com')).toBe(0);
  });
});

describe('when compiling is forbidden outright (CSP without wasm-unsafe-eval)', () => {
  it('ready() resolves and wasm explains why it cannot run', async () => {
    const forbidding = Object.create(realWasm) as typeof WebAssembly;
    const refuse = () => {
      throw new Error("Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source");
    };
    Object.defineProperty(forbidding, 'Module', { value: refuse });
    Object.defineProperty(forbidding, 'compile', { value: async () => refuse() });
    (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly = forbidding;
    const e = await freshEngines();
    await expect(e.ready()).resolves.toBeUndefined();
    expect(e.createMatcher(ENGINE_CASES[0]?.rules ?? [], 'auto').engine).toBe('js');
    expect(() => e.createMatcher([], 'wasm')).toThrow(/wasm-unsafe-eval/);
  });
});

describe('when the module does not compile (no SIMD support, or a CSP CompileError)', () => {
  it('the failure is remembered: auto runs TypeScript at once, wasm says why', async () => {
    let compiles = 0;
    const failing = Object.create(realWasm) as typeof WebAssembly;
    Object.defineProperty(failing, 'Module', {
      value: function Module() {
        compiles++;
        throw new realWasm.CompileError('WebAssembly.Module(): invalid SIMD opcode');
      },
    });
    (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly = failing;
    const e = await freshEngines();
    const list = ENGINE_CASES[0]?.rules ?? [];
    expect(e.createMatcher(list, 'auto').engine).toBe('js');
    expect(e.createMatcher(list, 'auto').engine).toBe('js');
    expect(compiles, 'a CompileError is not retried').toBe(1);
    expect(() => e.createMatcher(list, 'wasm')).toThrow(/invalid SIMD opcode/);
  });
});
