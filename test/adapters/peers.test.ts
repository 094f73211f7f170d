// The same requests against corset and the middlewares gateways use today, `cors` (Express) and
// `@fastify/cors`, configured for the same policy. Each row states what each one answers, and
// where corset deliberately differs, why. If a peer changes behaviour, this test says so.
// (Peer behaviour observed with cors@2.8 and @fastify/cors@11; real servers on 127.0.0.1.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import corsPkg from 'cors';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import fastifyCors from '@fastify/cors';
import type { FastifyCorsOptions as PeerFastifyOptions } from '@fastify/cors';
import { cors as corsetNode } from '../../src/adapters/node.js';
import corsetFastify from '../../src/adapters/fastify.js';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import { closeServer } from './servers.js';
import { header, viaFetch } from './http-client.js';
import type { Outgoing, Reply } from './http-client.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
const CORSET_POLICY = {
  origins: [APP],
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['content-type', 'x-token'],
  exposeHeaders: ['x-request-id'],
  maxAge: 600,
};
const PEER_OPTIONS = {
  origin: [APP],
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['content-type', 'x-token'],
  exposedHeaders: ['x-request-id'],
  maxAge: 600,
};

type Impl = 'corset-express' | 'corset-fastify' | 'cors' | 'fastify-cors';
const IMPLS: readonly Impl[] = ['corset-express', 'corset-fastify', 'cors', 'fastify-cors'];

interface Seen {
  status: number;
  reached: boolean;
  acao: string | null;
  /** Any `access-control-allow-*` field at all on the response. */
  anyAllow: boolean;
  /** `origin` is among the `Vary` members. */
  varyOrigin: boolean;
}

function seen(reply: Reply): Seen {
  const vary = (header(reply, 'vary') ?? '').split(',').map((s) => s.trim().toLowerCase());
  return {
    status: reply.status,
    reached: header(reply, 'x-app') === 'reached',
    acao: header(reply, 'access-control-allow-origin'),
    anyAllow: Object.keys(reply.fields).some((k) => k.startsWith('access-control-allow-')),
    varyOrigin: vary.includes('origin'),
  };
}

interface Row {
  desc: string;
  req: Outgoing;
  corset: Seen;
  cors: Seen;
  fastifyCors: Seen;
  /** null where corset answers like the peers; otherwise why it does not. */
  why: string | null;
}

const S = (status: number, reached: boolean, acao: string | null, anyAllow: boolean, varyOrigin = true): Seen => ({
  status,
  reached,
  acao,
  anyAllow,
  varyOrigin,
});
const pre = (origin: string, method: string, headers?: string, path = '/items'): Outgoing => ({
  method: 'OPTIONS',
  path,
  headers: [['Origin', origin], ['Access-Control-Request-Method', method], ...(headers === undefined ? [] : [['Access-Control-Request-Headers', headers] as [string, string]])],
});

const ROWS: Row[] = [
  {
    desc: 'allowed preflight',
    req: pre(APP, 'PUT', 'content-type'),
    corset: S(204, false, APP, true),
    cors: S(204, false, APP, true),
    fastifyCors: S(204, false, APP, true),
    why: null,
  },
  {
    desc: 'preflight from an origin the policy does not allow',
    req: pre(EVIL, 'PUT'),
    corset: S(403, false, null, false),
    cors: S(204, false, null, true),
    fastifyCors: S(204, false, null, true),
    why:
      'a denial is a non-ok status with no access-control-allow-* (the browser fails either way): it shows as a refusal in ' +
      "logs and devtools, and the policy's methods and headers are not disclosed to origins it does not serve",
  },
  {
    desc: 'preflight for a method the policy does not allow',
    req: pre(APP, 'PATCH'),
    corset: S(403, false, null, false),
    cors: S(204, false, APP, true),
    fastifyCors: S(204, false, APP, true),
    why: 'the peers do not check Access-Control-Request-Method: they answer yes and leave the refusal to the browser (Fetch §4.8 step 7.5); corset decides it, so onDecision can count it',
  },
  {
    desc: 'preflight for a header the policy does not allow',
    req: pre(APP, 'PUT', 'x-other'),
    corset: S(403, false, null, false),
    cors: S(204, false, APP, true),
    fastifyCors: S(204, false, APP, true),
    why: 'the peers do not check Access-Control-Request-Headers (Fetch §4.8 steps 7.6-7.7); corset refuses the preflight with reason headers-not-allowed',
  },
  {
    desc: 'plain OPTIONS with Origin, no Access-Control-Request-Method',
    req: { method: 'OPTIONS', path: '/plain', headers: [['Origin', APP]] },
    corset: S(200, true, null, false),
    cors: S(204, false, APP, true),
    fastifyCors: S(400, false, APP, true),
    why:
      'Fetch §3.3.2: a CORS-preflight request is an OPTIONS request that includes Access-Control-Request-Method; any other OPTIONS ' +
      "belongs to the application (cors swallows it with 204, @fastify/cors answers 400 'Invalid Preflight Request')",
  },
  {
    desc: 'plain OPTIONS without Origin',
    req: { method: 'OPTIONS', path: '/plain', headers: [] },
    corset: S(200, true, null, false),
    cors: S(204, false, null, true),
    fastifyCors: S(400, false, null, true),
    why: 'not a CORS request at all (no Origin): corset passes it on untouched',
  },
  {
    desc: 'allowed GET',
    req: { method: 'GET', path: '/items', headers: [['Origin', APP]] },
    corset: S(200, true, APP, true),
    cors: S(200, true, APP, true),
    fastifyCors: S(200, true, APP, true),
    why: null,
  },
  {
    desc: 'GET from an origin the policy does not allow',
    req: { method: 'GET', path: '/items', headers: [['Origin', EVIL]] },
    corset: S(200, true, null, false),
    cors: S(200, true, null, true),
    fastifyCors: S(200, true, null, true),
    why: 'all let it through without access-control-allow-origin; corset also sends no access-control-allow-credentials (a denied decision carries no access-control-allow-*)',
  },
  {
    desc: 'GET without Origin',
    req: { method: 'GET', path: '/items', headers: [] },
    corset: S(200, true, null, false),
    cors: S(200, true, null, true),
    fastifyCors: S(200, true, null, true),
    why: 'not a CORS request: corset adds only Vary: origin; the peers add access-control-allow-credentials and -expose-headers anyway',
  },
  {
    desc: 'the application sets Vary after the middleware ran',
    req: { method: 'GET', path: '/vary', headers: [['Origin', APP]] },
    corset: S(200, true, APP, true, true),
    cors: S(200, true, APP, true, false),
    fastifyCors: S(200, true, APP, true, false),
    why: "the peers' Vary: Origin is overwritten, so a shared cache may serve one origin's response to another; corset merges at write time",
  },
  {
    desc: 'two Origin headers (each allowed)',
    req: { method: 'GET', path: '/items', headers: [['Origin', `${APP}, ${APP}`]] },
    corset: S(200, true, null, false),
    cors: S(200, true, null, true),
    fastifyCors: S(200, true, null, true),
    why: 'all refuse the joined value against a list; corset names it invalid-origin (and see the reflection row below)',
  },
];

describe('corset against cors and @fastify/cors, row by row', () => {
  const ports = new Map<Impl, number>();
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    for (const impl of IMPLS) {
      const { port, close } = await startImpl(impl, impl === 'cors' ? corsPkg(PEER_OPTIONS) : undefined, impl === 'fastify-cors' ? PEER_OPTIONS : undefined);
      ports.set(impl, port);
      closers.push(close);
    }
  });
  afterAll(async () => {
    for (const c of closers) await c();
  });

  for (const row of ROWS) {
    for (const impl of IMPLS) {
      const want = impl === 'cors' ? row.cors : impl === 'fastify-cors' ? row.fastifyCors : row.corset;
      const note = row.why === null ? 'same as the peers' : `corset differs: ${row.why}`;
      it(`${row.desc} — ${impl} (${note})`, async () => {
        const got = seen(await viaFetch(ports.get(impl) as number, row.req));
        expect(got, `${impl} ${row.req.method} ${row.req.path}: got ${JSON.stringify(got)}; want ${JSON.stringify(want)}`).toEqual(want);
      });
    }
  }

  it('reflection of any origin with credentials: the peers offer it, corset has no such setting', async () => {
    // cors({ origin: true, credentials: true }): any origin is echoed and may read with cookies,
    // and two Origin lines are echoed joined. corset's closest, origins '*' with credentials, is
    // refused when the policy compiles.
    const { port, close } = await startImpl('cors', corsPkg({ origin: true, credentials: true }));
    const evil = seen(await viaFetch(port, { method: 'GET', path: '/items', headers: [['Origin', EVIL]] }));
    const joined = header(await viaFetch(port, { method: 'GET', path: '/items', headers: [['Origin', `${APP}, ${EVIL}`]] }), 'access-control-allow-origin');
    await close();
    expect([evil.acao, joined], 'cors({ origin: true }): [acao for evil, acao for two origins]').toEqual([EVIL, `${APP}, ${EVIL}`]);
    expect(() => compilePolicy({ origins: '*', credentials: true })).toThrow(/corset:/);
  });

  it("'*' with credentials: cors sends both (browsers then refuse every credentialed read); corset refuses the policy", async () => {
    const { port, close } = await startImpl('cors', corsPkg({ origin: '*', credentials: true }));
    const reply = await viaFetch(port, { method: 'GET', path: '/items', headers: [['Origin', EVIL]] });
    await close();
    const got = [header(reply, 'access-control-allow-origin'), header(reply, 'access-control-allow-credentials')];
    expect(got, "cors({ origin: '*', credentials: true }): [acao, acac]").toEqual(['*', 'true']);
    expect(() => compilePolicy({ origins: '*', credentials: true })).toThrow(/corset:/);
  });
});

async function startImpl(
  impl: Impl,
  expressMiddleware?: express.RequestHandler,
  fastifyOptions?: PeerFastifyOptions,
): Promise<{ port: number; close: () => Promise<void> }> {
  if (impl === 'corset-express' || impl === 'cors') {
    const app = express();
    app.use(impl === 'cors' ? (expressMiddleware as express.RequestHandler) : corsetNode(CORSET_POLICY));
    app.use((_req, res, next) => {
      res.setHeader('x-app', 'reached');
      next();
    });
    app.get('/items', (_req, res) => void res.send('items'));
    app.options('/plain', (_req, res) => void res.send('plain'));
    app.get('/vary', (_req, res) => {
      res.setHeader('Vary', 'Accept-Encoding');
      res.send('vary');
    });
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
  }
  const app: FastifyInstance = Fastify();
  if (impl === 'fastify-cors') await app.register(fastifyCors, fastifyOptions ?? {});
  else await app.register(corsetFastify, { policy: CORSET_POLICY });
  app.addHook('onRequest', (_req, reply, done) => {
    void reply.header('x-app', 'reached');
    done();
  });
  app.get('/items', async () => 'items');
  app.options('/plain', async () => 'plain');
  app.get('/vary', async (_req, reply) => {
    void reply.header('vary', 'Accept-Encoding');
    return 'vary';
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
}
