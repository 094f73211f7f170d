// corset-cors/fastify: the route-level override (`config: { cors: false | policy }`), preflights
// to routes that declare no OPTIONS, the hook choice and `preflight: 'continue'`, over real
// servers on 127.0.0.1. A route with `cors: false` sends no CORS headers and gets no preflight
// answer; a route with its own policy (init, compiled, or live) decides its requests and its
// preflights, chosen by `Access-Control-Request-Method`; other routes keep the plugin's policy;
// a bad `config.cors` fails when the route is declared.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import corset from '../../src/adapters/fastify.js';
import type { FastifyCorsOptions, FastifyRouteCors } from '../../src/adapters/fastify.js';
import { PolicyError, compilePolicy, createLivePolicy } from '../../src/index.js';
import type { CorsDecision } from '../../src/index.js';
import { header, viaFetch } from './http-client.js';
import type { Reply } from './http-client.js';

const APP = 'https://app.example.com';
const PARTNER = 'https://partner.example.org';
const TENANT = 'https://tenant.example.net';

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

const send = (port: number, method: string, path: string, origin: string, extra: [string, string][] = []): Promise<Reply> =>
  viaFetch(port, { method, path, headers: [['Origin', origin], ...extra] });
const preflight = (port: number, path: string, origin: string, method: string): Promise<Reply> =>
  send(port, 'OPTIONS', path, origin, [['Access-Control-Request-Method', method]]);

describe('corset-cors/fastify: route config.cors', () => {
  let app: FastifyInstance;
  let port = 0;
  const seen: CorsDecision[] = [];
  const handled: string[] = [];
  const resolverCalls: string[] = [];
  beforeAll(async () => {
    app = Fastify();
    await app.register(corset, { policy: { origins: [APP], methods: ['PUT'] }, onDecision: (d) => seen.push(d) });
    const route = (name: string) => async () => {
      handled.push(name);
      return name;
    };
    app.get('/plain', route('plain'));
    app.get('/off', { config: { cors: false } }, route('off'));
    app.delete('/off-delete', { config: { cors: false } }, route('off-delete'));
    app.get('/partner', { config: { cors: { origins: [PARTNER] } } }, route('partner'));
    const compiled = compilePolicy({ origins: [PARTNER], methods: ['DELETE'] });
    app.route({ method: ['DELETE', 'OPTIONS'], url: '/partner-delete', config: { cors: compiled }, handler: route('partner-delete') });
    // One path, two routes with different policies: the preflight's requested method picks.
    app.get('/split', { config: { cors: { origins: [PARTNER] } } }, route('split-get'));
    app.post('/split', { config: { cors: { origins: [TENANT], allowHeaders: ['content-type'] } } }, route('split-post'));
    app.get('/users/:id', { config: { cors: { origins: [PARTNER], methods: ['PATCH'] } } }, route('user'));
    app.patch('/users/:id', { config: { cors: { origins: [PARTNER], methods: ['PATCH'] } } }, route('user-patch'));
    const live = createLivePolicy(
      { origins: [APP], methods: ['PUT'] },
      {
        resolveOrigin: async (origin) => {
          resolverCalls.push(origin);
          return origin === TENANT;
        },
      },
    );
    app.put('/tenant', { config: { cors: live } }, route('tenant'));
    port = await listen(app);
  });
  afterAll(() => app.close());

  it('a route without config keeps the plugin policy', async () => {
    expect(header(await send(port, 'GET', '/plain', APP), 'access-control-allow-origin')).toBe(APP);
    expect(header(await send(port, 'GET', '/plain', PARTNER), 'access-control-allow-origin')).toBeNull();
    // A GET-only route without override: the preflight is answered by the plugin's policy (404 route).
    const pre = await preflight(port, '/plain', APP, 'PUT');
    expect(pre.status).toBe(204);
    expect(header(pre, 'access-control-allow-origin')).toBe(APP);
  });

  it('cors: false sends no CORS headers and calls no onDecision', async () => {
    const before = seen.length;
    const res = await send(port, 'GET', '/off', APP);
    expect(res.status).toBe(200);
    expect(res.body).toBe('off');
    expect(header(res, 'access-control-allow-origin')).toBeNull();
    expect(header(res, 'vary')).toBeNull();
    expect(seen.length).toBe(before);
  });

  it('cors: false: a preflight to that route is not answered by the plugin policy (404, no CORS headers)', async () => {
    // Without the override check, the plugin policy would allow this preflight and the browser
    // would send the DELETE.
    for (const [path, method] of [
      ['/off', 'GET'],
      ['/off-delete', 'DELETE'],
    ] as const) {
      const before = handled.length;
      const res = await preflight(port, path, APP, method);
      expect(res.status, `${path}: status`).toBe(404);
      expect(header(res, 'access-control-allow-origin'), `${path}: acao`).toBeNull();
      expect(header(res, 'access-control-allow-methods'), `${path}: acam`).toBeNull();
      expect(handled.length, `${path}: the route handler did not run`).toBe(before);
    }
  });

  it("a route's own policy decides its actual requests", async () => {
    expect(header(await send(port, 'GET', '/partner', PARTNER), 'access-control-allow-origin')).toBe(PARTNER);
    expect(header(await send(port, 'GET', '/partner', APP), 'access-control-allow-origin')).toBeNull();
  });

  it("a preflight to a GET-only route is answered with that route's policy", async () => {
    const before = handled.length;
    const ok = await preflight(port, '/partner', PARTNER, 'GET');
    expect(ok.status).toBe(204);
    expect(header(ok, 'access-control-allow-origin')).toBe(PARTNER);
    const denied = await preflight(port, '/partner', APP, 'GET');
    expect(denied.status).toBe(403);
    expect(header(denied, 'access-control-allow-origin')).toBeNull();
    expect(handled.length, 'the GET handler never ran for an OPTIONS').toBe(before);
  });

  it('a plain OPTIONS (not a preflight) to a route corset added OPTIONS to: 404, as without corset', async () => {
    const before = handled.length;
    const res = await send(port, 'OPTIONS', '/partner', PARTNER);
    expect(res.status).toBe(404);
    expect(handled.length).toBe(before);
    // An OPTIONS without Origin either.
    const bare = await viaFetch(port, { method: 'OPTIONS', path: '/partner', headers: [] });
    expect(bare.status).toBe(404);
  });

  it('a route that declares OPTIONS gets its preflights decided by its own compiled policy', async () => {
    const res = await preflight(port, '/partner-delete', PARTNER, 'DELETE');
    expect(res.status).toBe(204);
    expect(header(res, 'access-control-allow-origin')).toBe(PARTNER);
    expect(header(res, 'access-control-allow-methods')?.toUpperCase()).toContain('DELETE');
    const denied = await preflight(port, '/partner-delete', APP, 'DELETE');
    expect(header(denied, 'access-control-allow-origin')).toBeNull();
  });

  it('two routes on one path: the route serving the requested method decides the preflight', async () => {
    const post = (origin: string) => send(port, 'OPTIONS', '/split', origin, [['Access-Control-Request-Method', 'POST'], ['Access-Control-Request-Headers', 'content-type']]);
    expect(header(await post(TENANT), 'access-control-allow-origin')).toBe(TENANT);
    expect(header(await post(TENANT), 'access-control-allow-headers')).toBe('content-type');
    expect(header(await post(PARTNER), 'access-control-allow-origin')).toBeNull();
    expect(header(await preflight(port, '/split', PARTNER, 'GET'), 'access-control-allow-origin')).toBe(PARTNER);
    expect(header(await preflight(port, '/split', TENANT, 'GET'), 'access-control-allow-origin')).toBeNull();
  });

  it('a parametric path: /users/:id preflights for PATCH use the route policy', async () => {
    const res = await preflight(port, '/users/42', PARTNER, 'PATCH');
    expect(res.status).toBe(204);
    expect(header(res, 'access-control-allow-methods')).toContain('PATCH');
    const actual = await send(port, 'PATCH', '/users/42', PARTNER);
    expect(actual.body).toBe('user-patch');
    expect(header(actual, 'access-control-allow-origin')).toBe(PARTNER);
  });

  it('a live policy with a resolver as a route override: preflight and actual request wait for it', async () => {
    resolverCalls.length = 0;
    const pre = await preflight(port, '/tenant', TENANT, 'PUT');
    expect(pre.status).toBe(204);
    expect(header(pre, 'access-control-allow-origin')).toBe(TENANT);
    const put = await send(port, 'PUT', '/tenant', TENANT);
    expect(put.body).toBe('tenant');
    expect(header(put, 'access-control-allow-origin')).toBe(TENANT);
    expect(resolverCalls.length, 'the resolver was asked').toBeGreaterThan(0);
    const denied = await preflight(port, '/tenant', PARTNER, 'PUT');
    expect(header(denied, 'access-control-allow-origin')).toBeNull();
  });
});

describe('corset-cors/fastify: config.cors checked when the route is declared', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    await app.register(corset, { policy: { origins: [APP] } });
  });
  afterAll(() => app.close());

  const bad: { desc: string; cors: unknown; error: RegExp; type: ErrorConstructor | typeof PolicyError }[] = [
    { desc: 'a string', cors: 'yes', error: /route GET \/a: config\.cors must be false, a CorsPolicyInit or a CorsPolicy, got string/, type: TypeError },
    { desc: 'true', cors: true, error: /config\.cors must be false.*got boolean/, type: TypeError },
    { desc: 'null', cors: null, error: /config\.cors must be false.*got null/, type: TypeError },
    { desc: 'an array', cors: [APP], error: /config\.cors must be false.*got an array/, type: TypeError },
    { desc: 'an invalid policy', cors: { origins: ['not an origin'] }, error: /route GET \/a: config\.cors: invalid CORS policy/, type: PolicyError },
  ];
  for (const { desc, cors, error, type } of bad) {
    it(`${desc}: throws at declaration`, () => {
      let thrown: unknown;
      try {
        app.get('/a', { config: { cors: cors as FastifyRouteCors } }, async () => 'a');
      } catch (err) {
        thrown = err;
      }
      expect(thrown, desc).toBeInstanceOf(type);
      expect((thrown as Error).message).toMatch(error);
    });
  }

  it('an OPTIONS route declared after a route corset added OPTIONS to: a clear error', () => {
    app.get('/later', { config: { cors: { origins: [PARTNER] } } }, async () => 'x');
    expect(() => app.options('/later', async () => 'o')).toThrow(/declare the OPTIONS route first/);
  });

  it('an OPTIONS route declared first is kept: corset adds none', async () => {
    const b = Fastify();
    await b.register(corset, { policy: { origins: [APP] } });
    b.options('/first', async () => 'own-options');
    b.get('/first', { config: { cors: { origins: [PARTNER] } } }, async () => 'x');
    const port = await listen(b);
    try {
      // Not a preflight: the application's OPTIONS route answers.
      expect((await send(port, 'OPTIONS', '/first', PARTNER)).body).toBe('own-options');
      // A preflight for GET: the GET route's policy decides.
      expect(header(await preflight(port, '/first', PARTNER, 'GET'), 'access-control-allow-origin')).toBe(PARTNER);
    } finally {
      await b.close();
    }
  });

  it('a route declared before corset loaded: its config.cors is used, with a warning', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const c = Fastify();
    void c.register(corset, { policy: { origins: [APP] } }); // not awaited: the route below comes first
    c.get('/early', { config: { cors: { origins: [PARTNER] } } }, async () => 'early');
    const port = await listen(c);
    try {
      expect(header(await send(port, 'GET', '/early', PARTNER), 'access-control-allow-origin')).toBe(PARTNER);
      expect(header(await send(port, 'GET', '/early', APP), 'access-control-allow-origin')).toBeNull();
      expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/declared before corset was registered/);
    } finally {
      warn.mockRestore();
      await c.close();
    }
  });
});

describe("corset-cors/fastify: hook: 'onRequest' | 'preHandler'", () => {
  async function server(options: Partial<FastifyCorsOptions>) {
    const app = Fastify();
    const order: string[] = [];
    await app.register(corset, { policy: { origins: [APP], methods: ['PUT'] }, onDecision: () => order.push('corset'), ...options });
    // Authentication-like hook registered after corset, in preValidation.
    app.addHook('preValidation', async (req) => {
      order.push(`preValidation ${req.method}`);
    });
    app.get('/only-get', async () => 'got');
    app.options('/own', async () => 'own');
    const port = await listen(app);
    return { app, port, order };
  }

  it("default 'onRequest': a preflight is answered before preValidation hooks run", async () => {
    const { app, port, order } = await server({});
    try {
      const res = await preflight(port, '/own', APP, 'PUT');
      expect(res.status).toBe(204);
      expect(order).toEqual(['corset']);
    } finally {
      await app.close();
    }
  });

  it("'preHandler': preValidation hooks see the preflight first, then corset answers it", async () => {
    const { app, port, order } = await server({ hook: 'preHandler' });
    try {
      const res = await preflight(port, '/own', APP, 'PUT');
      expect(res.status).toBe(204);
      expect(header(res, 'access-control-allow-origin')).toBe(APP);
      expect(order).toEqual(['preValidation OPTIONS', 'corset']);
      // A GET-only route: the preflight goes through Fastify's not-found route, which runs hooks too.
      order.length = 0;
      const nf = await preflight(port, '/only-get', APP, 'PUT');
      expect(nf.status).toBe(204);
      expect(order).toContain('corset');
      const get = await send(port, 'GET', '/only-get', APP);
      expect(get.body).toBe('got');
      expect(header(get, 'access-control-allow-origin')).toBe(APP);
    } finally {
      await app.close();
    }
  });

  it('a bad hook value fails registration', async () => {
    const app = Fastify();
    await expect(app.register(corset, { policy: { origins: [APP] }, hook: 'onSend' as never })).rejects.toThrow(
      /hook must be 'onRequest' or 'preHandler', got "onSend"/,
    );
    await app.close().catch(() => undefined);
  });
});

describe("corset-cors/fastify: preflight: 'continue' with route overrides", () => {
  let app: FastifyInstance;
  let port = 0;
  beforeAll(async () => {
    app = Fastify();
    await app.register(corset, { policy: { origins: [APP], methods: ['PUT'] }, preflight: 'continue' });
    app.options('/own', { config: { cors: { origins: [PARTNER], methods: ['PUT'] } } }, async (req) => `own ${req.corsDecision?.kind}`);
    app.put('/partner', { config: { cors: { origins: [PARTNER], methods: ['PUT'] } } }, async () => 'put');
    port = await listen(app);
  });
  afterAll(() => app.close());

  it("the application's OPTIONS route answers, with the route policy's headers and request.corsDecision", async () => {
    const res = await preflight(port, '/own', PARTNER, 'PUT');
    expect(res.status).toBe(200);
    expect(res.body).toBe('own preflight');
    expect(header(res, 'access-control-allow-origin')).toBe(PARTNER);
  });

  it('a route corset added OPTIONS to: the not-found handler answers (the application has no OPTIONS there), headers set', async () => {
    const res = await preflight(port, '/partner', PARTNER, 'PUT');
    expect(res.status).toBe(404);
    expect(header(res, 'access-control-allow-origin')).toBe(PARTNER);
  });
});
