// The same small application behind each adapter, on a real server (127.0.0.1, ephemeral port).
//
// Routes (every framework):
//   GET|HEAD /items   200 "items"            POST /items    200 "posted"
//   OPTIONS  /plain   200 "plain-options"    (the application's own OPTIONS route)
//   GET /vary         the application sets `Vary: Accept-Encoding` after corset ran
//   GET /vary-origin  the application sets `Vary: origin` (lower case) after corset ran
//   GET /throw        the handler throws
// Every response the application produces carries `x-app: reached`, so a test can tell whether
// a request got past corset. A layer in front of corset sets `Vary: Accept-Language` when the
// request carries `x-layer-vary: 1` (an earlier layer's Vary, to be kept).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { cors as nodeCors } from '../../src/adapters/node.js';
import corsetFastify from '../../src/adapters/fastify.js';
import { withCors } from '../../src/adapters/fetch.js';
import { cors as honoCors } from '../../src/adapters/hono.js';
import type { CorsAdapterOptions, PolicyArgument } from '../../src/adapters/options.js';

export type AdapterName = 'node' | 'express' | 'fastify' | 'hono' | 'fetch';
export const ADAPTERS: readonly AdapterName[] = ['node', 'express', 'fastify', 'hono', 'fetch'];

export interface Running {
  readonly name: AdapterName;
  readonly port: number;
  close(): Promise<void>;
}

export interface StartOptions {
  policy: PolicyArgument;
  // The hook's request type differs per adapter; tests only look at the decision.
  adapter?: CorsAdapterOptions<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Node's limit on the request head (default 16 KB). */
  maxHeaderSize?: number;
}

const REACHED = ['x-app', 'reached'] as const;

export function start(name: AdapterName, o: StartOptions): Promise<Running> {
  switch (name) {
    case 'node':
      return startNode(o);
    case 'express':
      return startExpress(o);
    case 'fastify':
      return startFastify(o);
    case 'hono':
      return startHono(o);
    case 'fetch':
      return startFetch(o);
  }
}

function listen(server: http.Server, name: AdapterName): Promise<Running> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ name, port, close: () => closeServer(server) });
    });
  });
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function serverOptions(o: StartOptions): http.ServerOptions {
  return o.maxHeaderSize === undefined ? {} : { maxHeaderSize: o.maxHeaderSize };
}

// ---- node:http ------------------------------------------------------------------------------

function startNode(o: StartOptions): Promise<Running> {
  const handle = nodeCors(o.policy, o.adapter);
  const server = http.createServer(serverOptions(o), (req, res) => {
    if (req.headers['x-layer-vary'] === '1') res.setHeader('Vary', 'Accept-Language');
    if (handle(req, res)) return;
    try {
      nodeRoutes(req, res);
    } catch {
      res.statusCode = 500;
      res.end('error');
    }
  });
  return listen(server, 'node');
}

function nodeRoutes(req: http.IncomingMessage, res: http.ServerResponse): void {
  res.setHeader(...REACHED);
  const path = req.url ?? '/';
  const m = req.method;
  if (path === '/items' && (m === 'GET' || m === 'HEAD')) return void res.end('items');
  if (path === '/items' && m === 'POST') return void res.end('posted');
  if (path === '/plain' && m === 'OPTIONS') return void res.end('plain-options');
  if (path === '/vary' && m === 'GET') {
    res.setHeader('Vary', 'Accept-Encoding');
    return void res.end('vary');
  }
  if (path === '/vary-origin' && m === 'GET') {
    res.setHeader('Vary', 'origin');
    return void res.end('vary');
  }
  if (path === '/throw') throw new Error('boom');
  res.statusCode = 404;
  res.end('not found');
}

// ---- Express --------------------------------------------------------------------------------

function startExpress(o: StartOptions): Promise<Running> {
  const app = express();
  app.use((req, res, next) => {
    if (req.headers['x-layer-vary'] === '1') res.setHeader('Vary', 'Accept-Language');
    next();
  });
  app.use(nodeCors(o.policy, o.adapter));
  app.use((_req, res, next) => {
    res.setHeader(...REACHED);
    next();
  });
  app.get('/items', (_req, res) => void res.send('items'));
  app.post('/items', (_req, res) => void res.send('posted'));
  app.options('/plain', (_req, res) => void res.send('plain-options'));
  app.get('/vary', (_req, res) => {
    res.setHeader('Vary', 'Accept-Encoding');
    res.send('vary');
  });
  app.get('/vary-origin', (_req, res) => {
    res.setHeader('Vary', 'origin');
    res.send('vary');
  });
  app.get('/throw', () => {
    throw new Error('boom');
  });
  return listen(http.createServer(serverOptions(o), app), 'express');
}

// ---- Fastify --------------------------------------------------------------------------------

async function startFastify(o: StartOptions): Promise<Running> {
  let server: http.Server | undefined;
  const app = Fastify({
    serverFactory: (handler) => {
      server = http.createServer(serverOptions(o), handler);
      return server;
    },
  });
  app.addHook('onRequest', (req, reply, done) => {
    if (req.headers['x-layer-vary'] === '1') void reply.header('vary', 'Accept-Language');
    done();
  });
  await app.register(corsetFastify, { ...o.adapter, policy: o.policy });
  app.addHook('onRequest', (_req, reply, done) => {
    void reply.header(...REACHED);
    done();
  });
  app.get('/items', async () => 'items');
  app.post('/items', async () => 'posted');
  app.options('/plain', async () => 'plain-options');
  app.get('/vary', async (_req, reply) => {
    void reply.header('vary', 'Accept-Encoding');
    return 'vary';
  });
  app.get('/vary-origin', async (_req, reply) => {
    void reply.header('vary', 'origin');
    return 'vary';
  });
  app.get('/throw', async () => {
    throw new Error('boom');
  });
  app.post(
    '/validated',
    { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
    async () => 'valid',
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  void server;
  return { name: 'fastify', port, close: () => app.close() };
}

// ---- Hono (on @hono/node-server) -------------------------------------------------------------

function startHono(o: StartOptions): Promise<Running> {
  const app = new Hono();
  app.use(async (c, next) => {
    if (c.req.header('x-layer-vary') === '1') c.header('Vary', 'Accept-Language');
    await next();
  });
  app.use(honoCors(o.policy, o.adapter));
  app.use(async (c, next) => {
    c.header(...REACHED);
    await next();
  });
  app.get('/items', (c) => c.text('items'));
  app.post('/items', (c) => c.text('posted'));
  app.on('OPTIONS', '/plain', (c) => c.text('plain-options'));
  app.get('/vary', (c) => {
    c.header('Vary', 'Accept-Encoding');
    return c.text('vary');
  });
  app.get('/vary-origin', (c) => {
    c.header('Vary', 'origin');
    return c.text('vary');
  });
  app.get('/throw', () => {
    throw new Error('boom');
  });
  app.onError((_err, c) => c.text('error', 500));
  return listenFetch(app.fetch, o, 'hono');
}

// ---- Fetch-API handler (on @hono/node-server) -------------------------------------------------

function startFetch(o: StartOptions): Promise<Running> {
  const handler = withCors(
    o.policy,
    async (request: Request): Promise<Response> => {
      const url = new URL(request.url);
      const headers = new Headers([REACHED as unknown as [string, string]]);
      if (request.headers.get('x-layer-vary') === '1') headers.set('vary', 'Accept-Language');
      const m = request.method;
      const path = url.pathname;
      const text = (body: string, status = 200): Response => new Response(body, { status, headers });
      if (path === '/items' && (m === 'GET' || m === 'HEAD')) return text('items');
      if (path === '/items' && m === 'POST') return text('posted');
      if (path === '/plain' && m === 'OPTIONS') return text('plain-options');
      if (path === '/vary' && m === 'GET') {
        headers.append('vary', 'Accept-Encoding');
        return text('vary');
      }
      if (path === '/vary-origin' && m === 'GET') {
        headers.append('vary', 'origin');
        return text('vary');
      }
      if (path === '/throw') throw new Error('boom');
      return text('not found', 404);
    },
    o.adapter,
  );
  return listenFetch(handler, o, 'fetch');
}

function listenFetch(fetchFn: (req: Request) => Response | Promise<Response>, o: StartOptions, name: AdapterName): Promise<Running> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: fetchFn, port: 0, hostname: '127.0.0.1', serverOptions: serverOptions(o) },
      (info) => resolve({ name, port: info.port, close: () => closeServer(server as http.Server) }),
    );
  });
}
