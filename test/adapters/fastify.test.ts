// corset-cors/fastify: what only Fastify has. Its own error responses (schema validation 400, 404,
// a content-type parser's 415) keep the CORS headers; a hook registered before corset that
// answers (authentication) still gets them; the plugin is not encapsulated. Real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import corset from '../../src/adapters/fastify.js';
import { header, viaFetch } from './http-client.js';
import type { Outgoing } from './http-client.js';

const APP = 'https://app.example.com';
const POLICY = { origins: [APP], methods: ['PUT'], allowHeaders: ['content-type'] };

describe('corset-cors/fastify: responses Fastify produces itself', () => {
  let app: FastifyInstance;
  let port = 0;
  beforeAll(async () => {
    app = Fastify();
    // An authentication hook registered BEFORE corset that answers 401 on /private.
    app.addHook('onRequest', async (req, reply) => {
      if (req.url === '/private' && req.method !== 'OPTIONS') return reply.code(401).send({ error: 'unauthorized' });
    });
    await app.register(corset, { policy: POLICY });
    await app.register(async (child) => {
      // An encapsulated child context: corset's hooks must still apply.
      child.get('/child', async () => 'child');
    });
    app.post(
      '/validated',
      { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
      async () => 'valid',
    );
    app.get('/private', async () => 'secret');
    app.get('/only-get', async () => 'got');
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  const rows: { desc: string; req: Outgoing; status: number; acao: string | null }[] = [
    {
      desc: 'schema-validation 400 carries CORS headers',
      req: { method: 'POST', path: '/validated', headers: [['Origin', APP], ['Content-Type', 'application/json']] },
      status: 400,
      acao: APP,
    },
    { desc: '404 carries CORS headers', req: { method: 'GET', path: '/missing', headers: [['Origin', APP]] }, status: 404, acao: APP },
    {
      desc: 'unsupported media type 415 carries CORS headers',
      req: { method: 'POST', path: '/validated', headers: [['Origin', APP], ['Content-Type', 'text/x-unknown']] },
      status: 415,
      acao: APP,
    },
    {
      desc: 'a 401 from a hook registered before corset carries CORS headers',
      req: { method: 'GET', path: '/private', headers: [['Origin', APP]] },
      status: 401,
      acao: APP,
    },
    {
      desc: 'a 401 for a denied origin carries none',
      req: { method: 'GET', path: '/private', headers: [['Origin', 'https://evil.example']] },
      status: 401,
      acao: null,
    },
    { desc: 'a route in an encapsulated child context', req: { method: 'GET', path: '/child', headers: [['Origin', APP]] }, status: 200, acao: APP },
    {
      desc: 'preflight to a GET-only route: answered, not 404',
      req: { method: 'OPTIONS', path: '/only-get', headers: [['Origin', APP], ['Access-Control-Request-Method', 'PUT']] },
      status: 204,
      acao: APP,
    },
    {
      desc: 'plain OPTIONS to a GET-only route: Fastify routes it (404), as without corset',
      req: { method: 'OPTIONS', path: '/only-get', headers: [['Origin', APP]] },
      status: 404,
      acao: null,
    },
  ];
  for (const { desc, req, status, acao } of rows) {
    it(desc, async () => {
      const reply = await viaFetch(port, req);
      expect(reply.status, `${req.method} ${req.path}: status: got ${reply.status}; want ${status}`).toBe(status);
      const got = header(reply, 'access-control-allow-origin');
      expect(got, `${req.method} ${req.path}: access-control-allow-origin: got ${got}; want ${acao}`).toBe(acao);
      const vary = (header(reply, 'vary') ?? '').toLowerCase();
      expect(vary.includes('origin'), `${req.method} ${req.path}: vary: got ${JSON.stringify(vary)}; want it to include origin`).toBe(true);
    });
  }

  it('request.corsDecision is the decision', async () => {
    const seen: (string | null)[] = [];
    const a = Fastify();
    await a.register(corset, { policy: POLICY });
    a.get('/', async (req) => {
      seen.push(req.corsDecision?.reason ?? null);
      return 'ok';
    });
    await a.listen({ port: 0, host: '127.0.0.1' });
    const p = (a.server.address() as AddressInfo).port;
    await viaFetch(p, { method: 'GET', path: '/', headers: [['Origin', APP]] });
    await viaFetch(p, { method: 'GET', path: '/', headers: [] });
    await a.close();
    expect(seen, `request.corsDecision.reason: got ${JSON.stringify(seen)}; want ["ok","not-cors"]`).toEqual(['ok', 'not-cors']);
  });

  const badOptions: { desc: string; options: unknown; error: RegExp }[] = [
    { desc: 'no policy', options: {}, error: /policy/ },
    { desc: 'an invalid policy', options: { policy: { origins: '*', credentials: true } }, error: /corset:/ },
    { desc: 'a wrong option type', options: { policy: POLICY, rejectDenied: 'yes' }, error: /rejectDenied/ },
  ];
  for (const { desc, options, error } of badOptions) {
    it(`register fails at startup: ${desc}`, async () => {
      const a = Fastify();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await expect(a.register(corset, options as any).ready()).rejects.toThrow(error);
      await a.close();
    });
  }
});
