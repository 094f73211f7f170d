// A runtime whose binary cannot run: a loud SKIPPED warning and a skipped block locally, a failing
// test under CI=true (test/runtimes/servers.ts missingRuntime).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { missingRuntime } from './servers.js';

describe('missingRuntime', () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    vi.restoreAllMocks();
  });

  const rows = [
    { desc: 'locally: warns and skips', ci: undefined, wantTests: 0, wantSkips: 1, wantWarn: true },
    { desc: 'CI=true: a failing test, no skip', ci: 'true', wantTests: 1, wantSkips: 0, wantWarn: false },
  ];
  for (const row of rows) {
    it(row.desc, () => {
      if (row.ci === undefined) delete process.env.CI;
      else process.env.CI = row.ci;
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const tests: { name: string; fn: () => void }[] = [];
      const skips: string[] = [];
      missingRuntime((name, fn) => tests.push({ name, fn }), (name) => skips.push(name), 'deno', 'npm install');
      expect(tests.length).toBe(row.wantTests);
      expect(skips).toEqual(row.wantSkips === 1 ? ['deno'] : []);
      expect(warn.mock.calls.length > 0).toBe(row.wantWarn);
      if (row.wantWarn) expect(String(warn.mock.calls[0]![0])).toMatch(/^SKIPPED: corset runtime tests: deno cannot run on this machine.*npm install/);
      for (const t of tests) expect(t.fn).toThrow(/deno cannot run on this machine/);
    });
  }
});
