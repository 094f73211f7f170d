// The load test's harness (bench/load.mjs, bench/load/): every server of the matrix starts on
// 127.0.0.1, answers each kind of request of the MIX as its variant must, and is gone once stopped
// by its pid; the check refuses a wrong answer; and a tiny `--quick` run of one row ends with a
// table and clean JSON. A runtime whose binary cannot run here is skipped with a SKIPPED warning
// (a failure under CI=true), as in test/runtimes.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkServer, findBinary, ROWS, root, selectRows, startServer, stopAllNow, stopServer, variantsOf, type LoadServer } from '../bench/load/matrix.mjs';
import { missingRuntime } from './runtimes/servers.js';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { CORSET_POLICY, MIX, floorCors } from '../bench/load/policy.mjs';
import { category, splitProfile, type CpuProfile } from '../bench/load/profile-split.mjs';

const gone = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

afterAll(() => stopAllNow());

describe('selectRows (--only)', () => {
  it('picks rows by id, a runtime name picks its rows, an unknown name throws', () => {
    expect(selectRows(undefined).map((r) => r.id)).toEqual(ROWS.map((r) => r.id));
    expect(selectRows('node,deno').map((r) => r.id)).toEqual(['node', 'deno', 'deno-hono']);
    expect(selectRows('bun-hono').map((r) => r.id)).toEqual(['bun-hono']);
    expect(() => selectRows('koa')).toThrow(/--only koa: no such row/);
  });
});

describe('the floor variant (floorCors)', () => {
  it("writes for every kind of request of the MIX the very headers corset's decision has", () => {
    const policy = compilePolicy(CORSET_POLICY);
    for (const m of MIX) {
      const h: Record<string, string> = m.headers;
      const decision = policy.decide({
        method: m.method,
        origin: h.origin ?? null,
        requestMethod: h['access-control-request-method'] ?? null,
        requestHeaders: h['access-control-request-headers'] ?? null,
        url: 'http://127.0.0.1:8080/',
      });
      const floor = floorCors(m.method, h.origin, h['access-control-request-method']);
      expect(floor.headers, m.name).toEqual(Object.entries(decision.headers));
      expect(floor.preflight, m.name).toBe(decision.kind === 'preflight');
    }
    // An origin outside the policy gets no Access-Control-Allow-Origin, preflight or not.
    expect(floorCors('GET', 'https://app.example.com.evil.net', undefined).headers).toEqual([['vary', 'origin']]);
    expect(floorCors('OPTIONS', 'https://evil.example', 'PUT')).toMatchObject({ preflight: true, headers: [['vary', expect.stringMatching(/^origin, /)]] });
  });
});

for (const runtime of ['node', 'deno', 'bun'] as const) {
  const bin = findBinary(runtime);
  const rows = ROWS.filter((r) => r.runtime === runtime);
  if (bin === null) {
    missingRuntime(it, (name, why) => describe.skip(name, () => it(`skipped: ${why}`, () => {})), runtime, `npm install (the \`${runtime}\` dev dependency)`);
    continue;
  }
  describe(`load servers under ${runtime}`, () => {
    for (const row of rows) {
      it(`${row.id}: ${variantsOf(row).join(', ')} start, answer the MIX as they must, and stop`, async () => {
        const servers: LoadServer[] = [];
        try {
          for (const v of variantsOf(row)) servers.push(await startServer(row, v, bin));
          for (const s of servers) await checkServer(s);
          // The check bites: the server without CORS is not taken for a CORS variant.
          const none = servers.find((s) => s.variant === 'none')!;
          await expect(checkServer({ ...none, variant: 'corset' })).rejects.toThrow(/allowed GET: access-control-allow-origin null, want https:\/\/app\.example\.com/);
        } finally {
          for (const s of servers) await stopServer(s);
        }
        for (const s of servers) expect(gone(s.pid)).toBe(true);
      });
    }
  });
}

describe('bench/load.mjs --quick', () => {
  it('one row, one round: the table, the JSON, no failures', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(root, 'bench/load.mjs'), '--quick', '--only', 'node', '--json'], {
      cwd: root,
      timeout: 25_000,
      env: { ...process.env, LOAD_ROUNDS: '1', LOAD_ROUND_REQUESTS: '300', LOAD_WARMUP_REQUESTS: '100' },
    });
    expect(stderr).toMatch(/\| node:http \| [\d,]+ \| [\d,]+ \(\d\.\d\d\) \| `cors` [\d,]+ \(\d\.\d\d\) \| `corset-cors\/node` [\d,]+ \(\d\.\d\d\) \|/);
    const json = JSON.parse(stdout);
    expect(json.failed).toBe(false);
    expect(json.rows.map((r: { id: string }) => r.id)).toEqual(['node']);
    const row = json.rows[0];
    for (const v of ['none', 'floor', 'peer', 'corset']) {
      expect(row.variants[v].requests).toBe(300);
      expect(row.variants[v].errors + row.variants[v].timeouts + row.variants[v].non2xx).toBe(0);
    }
    expect(row.corsetRatio).toBeGreaterThan(0);
    // Paired by round: with one round, each ratio is that round's variant over its baseline.
    expect(row.corsetPairedRatio).toBeCloseTo(row.variants.corset.rounds[0] / row.variants.none.rounds[0], 10);
    expect(row.peerPairedRatio).toBeCloseTo(row.variants.peer.rounds[0] / row.variants.none.rounds[0], 10);
    expect(row.floorPairedRatio).toBeCloseTo(row.variants.floor.rounds[0] / row.variants.none.rounds[0], 10);
    expect(row.corsetToFloorPairedRatio).toBeCloseTo(row.variants.corset.rounds[0] / row.variants.floor.rounds[0], 10);
    expect(row.corsetToFloorRatio).toBeCloseTo(row.variants.corset.reqPerSec / row.variants.floor.reqPerSec, 10);
    const cell = String.raw`\d\.\d{3} \(\d\.\d{3}-\d\.\d{3}\)`;
    expect(stderr).toMatch(new RegExp(String.raw`\| node:http \| ${cell} \| ${cell} \| ${cell} \| ${cell} \|`));
    // Pinned where the machine allows it (Linux, 2+ CPUs, taskset), else said so.
    if (json.pinned === null) expect(stderr).toMatch(/not pinned to CPUs/);
    else expect(stderr).toContain(`autocannon pinned to CPU ${json.pinned.client}, every server to CPU ${json.pinned.server}`);
  });
});

describe('the load profile split (bench/load/profile-split.mjs)', () => {
  const file = (p: string) => `file://${path.join(root, p)}`;
  it("files each sampled function under the CORS layer's own code, GC, idle or the rest", () => {
    const f = (url: string, functionName = 'fn') => ({ url, functionName });
    expect(category('http', f(file('dist/node.js'), 'corsetNode'))).toBe('corset');
    expect(category('express', f(file('node_modules/cors/lib/index.js')))).toBe('peer');
    expect(category('http', f(file('node_modules/vary/index.js')))).toBe('peer');
    // The cors package is not Fastify's peer; @fastify/cors is.
    expect(category('fastify', f(file('node_modules/cors/lib/index.js')))).toBe('rest');
    expect(category('fastify', f(file('node_modules/@fastify/cors/index.js')))).toBe('peer');
    expect(category('hono', f(file('node_modules/hono/dist/middleware/cors/index.js')))).toBe('peer');
    expect(category('hono', f(file('node_modules/hono/dist/hono-base.js')))).toBe('rest');
    expect(category('http', f(file('bench/load/policy.mjs'), 'floorCors'))).toBe('floor');
    // A server's floor middleware is the floor; the rest of the same server file is not.
    expect(category('fastify', f(file('bench/load/node-server.mjs'), 'floorFastify'))).toBe('floor');
    expect(category('http', f(file('bench/load/node-server.mjs'), 'handler'))).toBe('rest');
    expect(category('http', f('node:_http_outgoing', 'setHeader'))).toBe('rest');
    expect(category('http', f('', '(garbage collector)'))).toBe('gc');
    expect(category('http', f('', '(idle)'))).toBe('idle');
    // A path with an escaped character still matches corset's dist/.
    expect(category('http', f(file('dist/node.js').replace('/dist/', '/d%69st/')))).toBe('corset');
  });

  it('counts each sample once, for the interval ending at it, and only inside the window', () => {
    const profile: CpuProfile = {
      startTime: 1_000,
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '' } },
        { id: 2, callFrame: { functionName: 'corsetNode', url: file('dist/node.js') } },
        { id: 3, callFrame: { functionName: '(garbage collector)', url: '' } },
        { id: 4, callFrame: { functionName: 'setHeader', url: 'node:_http_outgoing' } },
      ],
      // Sample times: 1010, 1030, 1060, 1100, 1150, 1210.
      samples: [2, 2, 3, 4, 2, 4],
      timeDeltas: [10, 20, 30, 40, 50, 60],
    };
    expect(splitProfile('http', profile, 1_030, 1_150)).toEqual({ corset: 20 + 50, peer: 0, floor: 0, gc: 30, idle: 0, rest: 40 });
    expect(splitProfile('http', profile, 0, Number.MAX_SAFE_INTEGER)).toEqual({ corset: 80, peer: 0, floor: 0, gc: 30, idle: 0, rest: 100 });
    expect(splitProfile('http', profile, 2_000, 3_000)).toEqual({ corset: 0, peer: 0, floor: 0, gc: 0, idle: 0, rest: 0 });
    // @ts-expect-error: a Fetch row is not profiled; said so, not a silent zero.
    expect(() => splitProfile('fetch', profile, 0, 1)).toThrow(/no profile split for framework fetch/);
  });
});

describe('bench/load-profile.mjs --quick', () => {
  it("profiles node:http's four variants: each variant's samples land in its own code and no other's", async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(root, 'bench/load-profile.mjs'), '--quick', '--only', 'node', '--requests', '3000', '--json'], {
      cwd: root,
      timeout: 40_000,
    });
    const json = JSON.parse(stdout);
    expect(json.failed).toBe(false);
    expect(json.intervalMicros).toBe(100);
    expect(json.results.map((r: { variant: string }) => r.variant)).toEqual(['none', 'floor', 'peer', 'corset']);
    for (const r of json.results) {
      expect(r.requests, r.variant).toBe(3000);
      const { corset, peer, floor, gc, rest } = r.split;
      expect(r.busyMicrosPerRequest).toBeCloseTo((corset + peer + floor + gc + rest) / 3000, 6);
      expect(rest, r.variant).toBeGreaterThan(0);
      for (const layer of ['corset', 'peer', 'floor']) {
        if (layer === r.variant) expect(r.split[layer], `${r.variant}'s own code was sampled`).toBeGreaterThan(0);
        else expect(r.split[layer], `${r.variant} has no ${layer} samples`).toBe(0);
      }
      expect(r.ownMicrosPerRequest).toBeCloseTo(r.variant === 'none' ? 0 : r.split[r.variant] / 3000, 6);
      expect(stderr).toMatch(new RegExp(String.raw`\| node:http \| ${r.variant} \| \d+\.\d \| (-|\d+\.\d{3} \(\d+\.\d%\)) \| \d+\.\d \|`));
    }
  });
});
