// corset-cors/redis against a real redis-server: syncOrigins loads the set, follows published
// changes, resyncs after a reconnect and serves its last list while Redis is down; the CLI's
// `corset origins` changes the set for a fleet of gateway processes.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLivePolicy } from '../src/index.js';
import { publishOrigins, syncOrigins, type OriginsSync } from '../src/redis/index.js';
import { redisServerBinary, startRedis, type RedisServer } from './helpers/redis-server.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const hasRedis = redisServerBinary() !== null;
const A = 'https://a.tenant.example';
const B = 'https://b.tenant.example';
const C = 'https://c.tenant.example';

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (await check()) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function connect(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => {});
  await client.connect();
  return client;
}

describe.skipIf(!hasRedis)('syncOrigins and publishOrigins (in process)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.kill();
  });

  it('loads the set at start, follows adds and removes, validates what it publishes', async () => {
    const admin = await connect(redis.url);
    await admin.sAdd('t1', [A]);
    const lives = [createLivePolicy({ origins: ['https://static.example'] }), createLivePolicy({ origins: '*', credentialedOrigins: ['https://static.example'] })];
    const clients = [await connect(redis.url), await connect(redis.url)];
    const syncs: OriginsSync[] = [];
    for (let i = 0; i < 2; i++) syncs.push(await syncOrigins(lives[i]!, { client: clients[i]!, key: 't1', channel: 't1' }));
    for (const live of lives) expect(live.addedOrigins()).toEqual([A]);
    expect(lives[1]!.decide({ method: 'GET', origin: A }).headers['access-control-allow-credentials']).toBe('true');

    const sent = await publishOrigins(admin, { add: ['https://B.tenant.example:443'], remove: [A] }, { key: 't1', channel: 't1' });
    expect(sent).toEqual({ add: [B], remove: [A] });
    await until('both follow', () => lives.every((l) => l.addedOrigins().join() === B));
    expect((await admin.sMembers('t1')).sort()).toEqual([B]);

    await expect(publishOrigins(admin, { add: ['https://*.tenant.example'] }, { key: 't1', channel: 't1' })).rejects.toThrow(/exact origins/);
    expect((await admin.sMembers('t1')).sort()).toEqual([B]);

    for (const s of syncs) await s.close();
    for (const c of [...clients, admin]) await c.close();
  });

  it('a bad entry in the set or a message is reported and the good ones still apply', async () => {
    const admin = await connect(redis.url);
    await admin.sAdd('t2', [A, 'https://*.bad.example']);
    const live = createLivePolicy({ origins: ['https://static.example'] });
    const errors: unknown[] = [];
    const client = await connect(redis.url);
    const sync = await syncOrigins(live, { client, key: 't2', channel: 't2', onError: (e) => errors.push(e) });
    expect(live.addedOrigins()).toEqual([A]);
    expect(errors.length).toBe(1);
    await admin.publish('t2', 'not json');
    await admin.publish('t2', JSON.stringify({ add: [C] }));
    await until('the good message applies', () => live.addedOrigins().includes(C));
    expect(errors.length).toBe(2);
    await sync.close();
    await client.close();
    await admin.close();
  });
});

describe.skipIf(!hasRedis)('a fleet of two gateway processes', () => {
  let redis: RedisServer;
  const gateways: { child: ChildProcess; port: number }[] = [];
  const dirs: string[] = [];

  async function startGateway(url: string): Promise<{ child: ChildProcess; port: number }> {
    const child = spawn(process.execPath, [path.join(root, 'test/fixtures/redis-gateway.mjs'), url], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n')[0];
        if (out.includes('\n') && line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
      });
      child.once('exit', (code) => reject(new Error(`gateway exited ${code}`)));
    });
    return { child, port };
  }
  const allows = async (port: number, origin: string): Promise<boolean> => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { origin } });
    await res.text();
    if (res.status !== 200) throw new Error(`gateway ${port} answered ${res.status}`);
    return res.headers.get('access-control-allow-origin') === origin;
  };
  const cli = (...args: string[]) => run(process.execPath, [path.join(root, 'bin/corset.js'), ...args], { cwd: root });

  beforeAll(async () => {
    if (!existsSync(path.join(root, 'dist/redis.js'))) throw new Error('dist/redis.js is missing: run npm run build first');
    redis = await startRedis();
    gateways.push(await startGateway(redis.url), await startGateway(redis.url));
  }, 30_000);
  afterAll(async () => {
    for (const g of gateways) g.child.kill('SIGKILL');
    await redis?.kill();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('an origin added with the CLI is allowed by both gateways within 100 ms', async () => {
    for (const g of gateways) expect(await allows(g.port, A)).toBe(false);
    const { stdout } = await cli('origins', 'add', A, B, '--redis', redis.url);
    expect(stdout).toContain(`added ${A} ${B}`);
    const elapsed = await until('both gateways allow A', async () => (await Promise.all(gateways.map((g) => allows(g.port, A)))).every(Boolean));
    expect(elapsed, `both allowed ${A} after ${elapsed.toFixed(1)} ms`).toBeLessThan(100);
    const listed = await cli('origins', 'list', '--redis', redis.url);
    expect(listed.stdout).toBe(`${A}\n${B}\n`);
    await expect(cli('origins', 'add', 'https://*.x.example', '--redis', redis.url)).rejects.toMatchObject({ code: 2 });
  });

  it('Redis killed and restarted: no request fails, and the lists converge on the set', async () => {
    // The set as the restarted server will have it: A kept, B removed, C added while this
    // fleet could not hear it. Prepared in a second server's dump file.
    const dir = mkdtempSync(path.join(tmpdir(), 'corset-redis-'));
    dirs.push(dir);
    const other = await startRedis({ dir });
    const admin = await connect(other.url);
    await admin.sAdd('corset:origins', [A, C]);
    await admin.sendCommand(['SAVE']);
    await admin.close();
    await other.kill();

    let stop = false;
    let requests = 0;
    const failures: string[] = [];
    const traffic = (async () => {
      while (!stop) {
        for (const g of gateways) {
          try {
            if (!(await allows(g.port, A))) failures.push(`gateway ${g.port} denied ${A}`);
          } catch (e) {
            failures.push(String(e));
          }
          requests++;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const port = redis.port;
    await redis.kill();
    await new Promise((r) => setTimeout(r, 300)); // down for a while, with traffic
    redis = await startRedis({ port, dir });
    await until(
      'both gateways converge on {A, C}',
      async () => {
        const got = await Promise.all(gateways.map(async (g) => [await allows(g.port, A), await allows(g.port, B), await allows(g.port, C)].join()));
        return got.every((s) => s === 'true,false,true');
      },
      15_000,
    );
    stop = true;
    await traffic;
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(10);
  }, 30_000);
});
