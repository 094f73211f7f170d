// `corset bench` (src/cli/bench.ts), run in-process with a tiny --time: the output's shape, the
// generated policies and inputs, and usage errors. No assertion here depends on how fast anything
// ran (issue 6: no timing assertions inside unit tests).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BENCH_SHAPES,
  BENCH_USAGE,
  benchOrigins,
  benchPattern,
  concreteOrigin,
  freshString,
  formatRate,
  generatePolicy,
  median,
  runBench,
  timeOperation,
  type BenchResult,
  type BenchShape,
} from '../src/cli/bench.js';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { runCli } from './helpers/cli-io.js';

function run(...argv: string[]) {
  return runCli(runBench, argv);
}

const dir = mkdtempSync(path.join(tmpdir(), 'corset-bench-cli-'));
function policyFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** Whether the WebAssembly engine can run here (the rows expected depend on it). */
const wasmRuns = (() => {
  try {
    compilePolicy({ origins: ['https://a.example'], engine: 'wasm' });
    return true;
  } catch {
    return false;
  }
})();

describe('generated policies and inputs', () => {
  const sizes = [1, 2, 7, 100];
  for (const shape of BENCH_SHAPES) {
    for (const n of sizes) {
      it(`${shape}, n=${n}: compiles, and its allowed inputs are allowed and its denied ones denied`, () => {
        const policy = compilePolicy({ ...generatePolicy(shape, n), engine: 'js' });
        for (const [a, b] of benchOrigins(shape, n, 64, true)) {
          expect(policy.isOriginAllowed(a + b), `isOriginAllowed(${a + b}): want true`).toBe(true);
        }
        for (const [a, b] of benchOrigins(shape, n, 64, false)) {
          expect(policy.isOriginAllowed(a + b), `isOriginAllowed(${a + b}): want false`).toBe(false);
        }
      });
    }
  }

  it('patterns are distinct for distinct rules (n = 10 000, every shape)', () => {
    for (const shape of BENCH_SHAPES) {
      const seen = new Set<string>();
      for (let i = 0; i < 10_000; i++) seen.add(benchPattern(shape, i));
      expect(seen.size, `benchPattern(${shape}, 0..9999): distinct count`).toBe(10_000);
    }
  });

  it('mixed cycles exact, wildcard and glob', () => {
    const got = [0, 1, 2, 3].map((i) => benchPattern('mixed', i));
    expect(got).toEqual([
      'https://app0.client0.example.com',
      'https://*.tenant1.example.com',
      'https://pr-*.svc2.example.com',
      'https://app3.client3.example.com',
    ]);
  });

  const concreteRows: { desc: string; input: string; want: [string, string] | null }[] = [
    { desc: 'exact origin kept', input: 'https://a.example.com', want: ['https://', 'a.example.com'] },
    { desc: 'leading *. becomes a label', input: 'https://*.example.com', want: ['https://', 'b3.example.com'] },
    { desc: '* inside a label', input: 'https://pr-*.example.com', want: ['https://', 'pr-b3.example.com'] },
    { desc: 'any port becomes 8443', input: 'http://localhost:*', want: ['http://', 'localhost:8443'] },
    { desc: 'wildcard host and any port', input: 'https://*.example.com:*', want: ['https://', 'b3.example.com:8443'] },
    { desc: 'null is not an http(s) pattern', input: 'null', want: null },
    { desc: 'empty string', input: '', want: null },
    { desc: 'scheme only', input: 'https://', want: null },
    { desc: 'other scheme', input: 'ftp://example.com', want: null },
  ];
  for (const row of concreteRows) {
    it(`concreteOrigin: ${row.desc}`, () => {
      expect(concreteOrigin(row.input, 3), `concreteOrigin(${JSON.stringify(row.input)}, 3)`).toEqual(row.want);
    });
  }
});

describe('freshString joins its parts, whatever they hold', () => {
  const rows: { desc: string; a: string; b: string }[] = [
    { desc: 'an origin', a: 'https://', b: 'app1.example.com' },
    { desc: 'both empty', a: '', b: '' },
    { desc: 'a NUL first', a: '\u0000', b: 'x' },
    { desc: 'a lone surrogate', a: '\ud800', b: '\udfff\ud800' },
    { desc: '100 KB', a: 'x'.repeat(50_000), b: 'y'.repeat(50_000) },
  ];
  for (const row of rows) {
    it(row.desc, () => {
      expect(freshString(row.a, row.b) === row.a + row.b, `freshString(${row.desc}): want the two parts joined`).toBe(true);
    });
  }
});

describe('timing helpers (shape only, never speed)', () => {
  const medianRows: { desc: string; input: number[]; want: number }[] = [
    { desc: 'one value', input: [4], want: 4 },
    { desc: 'odd count', input: [1, 2, 9], want: 2 },
    { desc: 'even count: mean of the middle two', input: [1, 2, 4, 9], want: 3 },
  ];
  for (const row of medianRows) {
    it(`median: ${row.desc}`, () => {
      expect(median(row.input), `median(${JSON.stringify(row.input)})`).toBe(row.want);
    });
  }
  it('median of nothing is NaN', () => {
    expect(median([])).toBeNaN();
  });

  it('timeOperation runs the operation in batches and reports at least 5 samples', () => {
    let calls = 0;
    const t = timeOperation({ run: (n) => (calls += n) }, 2);
    expect(t.samples).toBeGreaterThanOrEqual(5);
    expect(t.batch).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(t.batch), `batch ${t.batch} is a whole number`).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(t.samples * t.batch);
    expect(Number.isFinite(t.nsPerOp) && t.nsPerOp >= 0).toBe(true);
  });

  const rateRows: { input: number; want: string }[] = [
    { input: 12_345_678, want: '12.3 M' },
    { input: 1_000_000, want: '1.0 M' },
    { input: 999_999, want: '1000.0 k' },
    { input: 1_000, want: '1.0 k' },
    { input: 999, want: '999' },
    { input: Infinity, want: '-' },
  ];
  for (const row of rateRows) {
    it(`formatRate(${row.input})`, () => {
      expect(formatRate(row.input), `formatRate(${row.input})`).toBe(row.want);
    });
  }
});

describe('corset bench: output', () => {
  it('--json: the machine, the policy, and a row per measurement with consistent ratios', async () => {
    const r = await run('--shape', 'mixed', '--size', '4', '--time', '1', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as BenchResult;
    expect(result.machine.node).toBe(process.version);
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.policy).toEqual({ source: 'generated', shape: 'mixed', rules: 4 });
    expect(result.timeMs).toBe(1);
    expect(result.inputs.allowed).toBeGreaterThan(0);
    expect(result.inputs.denied).toBeGreaterThan(0);
    const engines = wasmRuns ? ['js', 'wasm'] : ['js'];
    expect(result.engines.map((e) => e.engine)).toEqual(['js', 'wasm']);
    expect(result.engines.map((e) => e.available)).toEqual([true, wasmRuns]);
    expect(result.autoPicks === 'js' || result.autoPicks === 'wasm').toBe(true);

    const floor = result.rows.filter((row) => row.engine === 'floor');
    expect(floor.length, 'one floor row').toBe(1);
    expect(result.rows.filter((row) => row.engine === 'input').map((row) => row.name), 'one input-cost row').toEqual(['fresh string alone (in every row)']);
    const names = ['isOriginAllowed, allowed origin', 'isOriginAllowed, denied origin', 'decide, allowed GET', 'decide, allowed preflight', 'decide, denied GET'];
    for (const engine of engines) {
      expect(result.rows.filter((row) => row.engine === engine).map((row) => row.name), `rows of engine ${engine}`).toEqual(names);
    }
    const floorNs = floor[0]!.nsPerOp;
    for (const row of result.rows) {
      expect(Number.isFinite(row.nsPerOp) && row.nsPerOp > 0, `${row.name} (${row.engine}).nsPerOp: got ${row.nsPerOp}`).toBe(true);
      expect(row.opsPerSec).toBeCloseTo(1e9 / row.nsPerOp, 6);
      expect(row.vsFloor).toBeCloseTo(row.nsPerOp / floorNs, 9);
      expect(row.samples).toBeGreaterThanOrEqual(5);
      if (row.engine === 'wasm') {
        const js = result.rows.find((x) => x.engine === 'js' && x.name === row.name)!;
        expect(row.vsJs).toBeCloseTo(row.nsPerOp / js.nsPerOp, 9);
      } else {
        expect(row.vsJs).toBeNull();
      }
    }
    expect(r.stderr, 'no progress line when stderr is not a terminal').not.toMatch(/corset bench: \[/);
  });

  it('a progress line on a terminal', async () => {
    const r = await runCli(runBench, ['--shape', 'exact', '--size', '2', '--time', '1', '--engine', 'js'], { tty: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr, 'the progress line').toMatch(/corset bench: \[1\/\d+\] Set\.has/);
  });

  it('the table: machine, columns, one line per row', async () => {
    const r = await run('--shape', 'exact', '--size', '3', '--time', '1', '--engine', 'js');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^corset bench: 3 rule\(s\) \(generated, exact\), 1 ms per row$/m);
    expect(r.stdout).toContain(`Node ${process.version}`);
    expect(r.stdout).toMatch(/^row\s+engine\s+ops\/s\s+ns\/op\s+x floor\s+x js$/m);
    expect(r.stdout).toMatch(/^Set\.has, allowed origin \(floor\)\s+-\s+\S+( [Mk])?\s+\S+\s+1\.00x\s+-$/m);
    expect(r.stdout).toMatch(/^decide, allowed GET\s+js\s/m);
    expect(r.stdout, 'no wasm rows with --engine js').not.toMatch(/^(isOriginAllowed|decide),[^\n]*\s{2}wasm\s{2}/m);
    expect(r.stdout).toMatch(/engine 'auto' picks (js|wasm) for this policy/);
  });

  it('--engine wasm measures the WebAssembly engine, or exits 4 where it cannot run', async () => {
    const r = await run('--size', '2', '--time', '1', '--engine', 'wasm', '--json');
    if (wasmRuns) {
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout) as BenchResult;
      expect(new Set(result.rows.map((row) => row.engine))).toEqual(new Set(['floor', 'input', 'wasm']));
    } else {
      expect(r.code, 'exit 4: the environment has no WebAssembly engine').toBe(4);
      expect(r.stderr).toMatch(/engine wasm is not available/);
    }
  });

  it('--engine auto measures the engine auto picks', async () => {
    const r = await run('--size', '2', '--time', '1', '--engine', 'auto', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as BenchResult;
    expect(result.engines.map((e) => e.engine)).toEqual([result.autoPicks]);
  });

  it('--policy: samples allowed inputs from the file\'s patterns', async () => {
    const file = policyFile('mixed.json', {
      origins: ['https://app.example.com', 'https://*.preview.example.com', 'https://pr-*.review.example.com', 'http://localhost:*'],
      methods: ['GET', 'PUT'],
      allowHeaders: ['content-type'],
    });
    const r = await run('--policy', file, '--time', '1', '--engine', 'js', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as BenchResult;
    expect(result.policy).toEqual({ source: file, shape: null, rules: 4 });
    expect(result.inputs.allowed).toBeGreaterThanOrEqual(4);
    expect(result.inputs.denied).toBeGreaterThan(0);
  });

  it("--policy with origins '*': allowed inputs only, so no denied rows", async () => {
    const file = policyFile('star.json', { origins: '*' });
    const r = await run('--policy', file, '--time', '1', '--engine', 'js', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as BenchResult;
    expect(result.policy.rules).toBe(0);
    expect(result.inputs.denied).toBe(0);
    expect(result.rows.some((row) => row.name.includes('denied'))).toBe(false);
    expect(result.rows.some((row) => row.name === 'decide, allowed GET')).toBe(true);
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(BENCH_USAGE);
  });
});

describe('corset bench: bad usage exits 2, a bad policy exits 3', () => {
  const missing = path.join(dir, 'does-not-exist.json');
  const notJson = policyFile('not-json.json', '{ origins: ');
  const usageRows: { desc: string; argv: string[]; stderr: RegExp }[] = [
    { desc: 'unknown flag', argv: ['--fast'], stderr: /unknown option --fast/ },
    { desc: 'positional argument', argv: ['extra'], stderr: /unexpected argument "extra"/ },
    { desc: '--size 0 (below the range)', argv: ['--size', '0'], stderr: /--size "0": want a whole number from 1 to 100000/ },
    { desc: '--size 100001 (above the range by one)', argv: ['--size', '100001'], stderr: /--size "100001"/ },
    { desc: '--size not a number', argv: ['--size', '1e3'], stderr: /--size "1e3"/ },
    { desc: '--size negative', argv: ['--size=-5'], stderr: /--size "-5"/ },
    { desc: '--size empty', argv: ['--size='], stderr: /--size ""/ },
    { desc: '--time 0', argv: ['--time', '0'], stderr: /--time "0"/ },
    { desc: '--time 60001 (above the range by one)', argv: ['--time', '60001'], stderr: /--time "60001"/ },
    { desc: '--shape unknown', argv: ['--shape', 'regex'], stderr: /--shape "regex": want one of exact, wildcard, glob, mixed/ },
    { desc: '--engine unknown', argv: ['--engine', 'gpu'], stderr: /--engine "gpu": want js, wasm, auto or all/ },
    { desc: '--engine without a value', argv: ['--engine'], stderr: /--engine needs a value/ },
    { desc: '--json given a value', argv: ['--json=yes'], stderr: /--json takes no value/ },
    { desc: '--size given twice', argv: ['--size', '1', '--size', '2'], stderr: /--size given twice/ },
    { desc: '--policy with --size', argv: ['--policy', 'p.json', '--size', '10'], stderr: /cannot be combined with --policy/ },
    { desc: '--policy with --shape', argv: ['--policy', 'p.json', '--shape', 'exact'], stderr: /cannot be combined with --policy/ },
  ];
  for (const row of usageRows) {
    it(`${row.desc}: exit 2 with the usage`, async () => {
      const r = await run(...row.argv);
      expect(r.code, `runBench(${JSON.stringify(row.argv)}): exit code`).toBe(2);
      expect(r.stderr).toMatch(row.stderr);
      expect(r.stderr).toContain('Usage: corset bench');
      expect(r.stdout).toBe('');
    });
  }

  for (const row of [
    { desc: '--policy: a missing file', argv: ['--policy', missing], stderr: /cannot read policy file/ },
    { desc: '--policy: not JSON', argv: ['--policy', notJson], stderr: /not-json\.json:\d+:\d+: policy file is not valid JSON/ },
  ]) {
    it(`${row.desc}: exit 3, no usage text`, async () => {
      const r = await run(...row.argv);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(row.stderr);
      expect(r.stderr).not.toContain('Usage:');
    });
  }

  it('an invalid policy: exit 3 with every issue', async () => {
    const file = policyFile('invalid.json', { origins: ['https://*.com', 'https://ok.example/path'], maxAge: -1 });
    const r = await run('--policy', file, '--time', '1');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/the policy in .*invalid\.json is invalid/);
    expect(r.stderr.match(/^\S*invalid\.json:\d+:\d+: error {3}/gm)?.length, 'one entry per error').toBeGreaterThanOrEqual(3);
    expect(r.stdout).toBe('');
  });

  it('a policy that is not an object: exit 3', async () => {
    const file = policyFile('array.json', ['https://a.example']);
    const r = await run('--policy', file, '--time', '1');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/is invalid/);
  });
});

// Type-level: the exported shape list is the flag's closed set.
const _shapes: readonly BenchShape[] = BENCH_SHAPES;
void _shapes;
