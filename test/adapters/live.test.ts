// Every adapter with a live policy whose resolver must be asked: the adapter waits for it
// (decideAsync), answers preflights and actual requests from what it said, and hands a resolver
// failure to onDecision as a denial. Real servers on 127.0.0.1, ephemeral ports.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLivePolicy } from '../../src/index.js';
import type { CorsDecision } from '../../src/index.js';
import { cors as nodeCors } from '../../src/adapters/node.js';
import { ADAPTERS, closeServer, start, type AdapterName, type Running } from './servers.js';
import { header, viaFetch } from './http-client.js';

const STATIC = 'https://static.example';
const TENANT = 'https://tenant.example';
const BROKEN = 'https://broken.example';

function livePolicy(calls: string[]) {
  return createLivePolicy(
    { origins: [STATIC], credentials: true, methods: ['PUT'] },
    {
      resolveOrigin: async (origin) => {
        calls.push(origin);
        await new Promise((r) => setTimeout(r, 5));
        if (origin === BROKEN) throw new Error('tenant store down');
        return origin === TENANT;
      },
    },
  );
}

/** node:http with the application passed as `next` (a resolver may make the handler wait). */
function startNodeWithNext(policy: ReturnType<typeof livePolicy>, onDecision: (d: CorsDecision) => void): Promise<Running> {
  const handle = nodeCors(policy, { onDecision });
  const server = http.createServer((req, res) => {
    handle(req, res, () => {
      res.setHeader('x-app', 'reached');
      res.end('items');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ name: 'node', port: (server.address() as AddressInfo).port, close: () => closeServer(server) }));
  });
}

const NAMES: AdapterName[] = ADAPTERS.filter((a) => a !== 'node');

for (const name of [...NAMES, 'node' as const]) {
  describe(`${name} adapter with a resolving live policy`, () => {
    const calls: string[] = [];
    const reasons: string[] = [];
    let server: Running;
    beforeAll(async () => {
      const policy = livePolicy(calls);
      const onDecision = (d: CorsDecision) => void reasons.push(d.reason);
      server = name === 'node' ? await startNodeWithNext(policy, onDecision) : await start(name, { policy, adapter: { onDecision } });
    });
    afterAll(async () => {
      await server.close();
    });
    const getFrom = (origin: string) => viaFetch(server.port, { method: 'GET', path: '/items', headers: [['origin', origin]] });

    it('a static origin is answered without the resolver', async () => {
      const reply = await getFrom(STATIC);
      expect(header(reply, 'access-control-allow-origin')).toBe(STATIC);
      expect(calls).not.toContain(STATIC);
    });

    it('a resolved origin is allowed, once asked, with the policy headers', async () => {
      const replies = await Promise.all([getFrom(TENANT), getFrom(TENANT), getFrom(TENANT)]);
      for (const reply of replies) {
        expect(reply.status).toBe(200);
        expect(header(reply, 'x-app')).toBe('reached');
        expect(header(reply, 'access-control-allow-origin')).toBe(TENANT);
        expect(header(reply, 'access-control-allow-credentials')).toBe('true');
      }
      expect(calls.filter((c) => c === TENANT)).toEqual([TENANT]);
      const pre = await viaFetch(server.port, {
        method: 'OPTIONS',
        path: '/items',
        headers: [['origin', TENANT], ['access-control-request-method', 'PUT']],
      });
      expect(pre.status).toBe(204);
      expect(header(pre, 'access-control-allow-methods')).toBe('PUT');
    });

    it('a resolver failure denies and reaches onDecision', async () => {
      const reply = await getFrom(BROKEN);
      expect(header(reply, 'access-control-allow-origin')).toBeNull();
      expect(reasons).toContain('resolver-error');
      const pre = await viaFetch(server.port, {
        method: 'OPTIONS',
        path: '/items',
        headers: [['origin', 'https://nobody.example'], ['access-control-request-method', 'PUT']],
      });
      expect(pre.status).toBe(403);
      expect(reasons).toContain('origin-not-allowed');
    });
  });
}
