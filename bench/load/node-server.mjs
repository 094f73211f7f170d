// One Node server of the load test (bench/load.mjs): `node bench/load/node-server.mjs <framework> <variant>`,
// framework one of http, express, fastify, hono (on @hono/node-server), variant one of none (no
// CORS), peer (the framework's usual CORS middleware), corset (corset's adapter, same policy),
// floor (the same answers hand-written for this one policy: floorCors in policy.mjs).
// Every variant answers every method on / with 200 `ok` (text/plain) unless CORS answered first.
// Listens on 127.0.0.1 at an ephemeral port and prints one line `{"port":N}` on stdout.
// Forked with an IPC channel, it answers 'memory' (after two GCs, with --expose-gc) with its memory use,
// and 'cpu' with its own process.cpuUsage() (bench/suite/server-cpu.ts).
import { BODY, CORS_OPTIONS, CORSET_POLICY, floorCors } from './policy.mjs';
import { honoApp } from './hono-app.mjs';

const [framework, variant] = process.argv.slice(2);
if (!['none', 'peer', 'corset', 'floor'].includes(variant)) throw new Error(`node-server: unknown variant ${variant}`);

const listening = (port) => process.stdout.write(`${JSON.stringify({ port })}\n`);
let close = () => {};

if (framework === 'http') {
  const http = await import('node:http');
  const ok = (res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(BODY);
  };
  let listener = (_req, res) => ok(res);
  if (variant === 'corset') {
    const { cors } = await import('../../dist/node.js');
    const handle = cors(CORSET_POLICY);
    listener = (req, res) => {
      if (!handle(req, res)) ok(res);
    };
  } else if (variant === 'peer') {
    const { default: corsMiddleware } = await import('cors');
    const mw = corsMiddleware(CORS_OPTIONS);
    listener = (req, res) => mw(req, res, () => ok(res));
  } else if (variant === 'floor') {
    listener = (req, res) => {
      if (!floorNode(req, res)) ok(res);
    };
  }
  const server = http.createServer({ keepAliveTimeout: 60_000 }, listener);
  server.listen(0, '127.0.0.1', () => listening(server.address().port));
  close = () => {
    server.close();
    server.closeAllConnections();
  };
} else if (framework === 'express') {
  const { default: express } = await import('express');
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  if (variant === 'corset') {
    const { cors } = await import('../../dist/node.js');
    app.use(cors(CORSET_POLICY));
  } else if (variant === 'peer') {
    const { default: corsMiddleware } = await import('cors');
    app.use(corsMiddleware(CORS_OPTIONS));
  } else if (variant === 'floor') {
    app.use((req, res, next) => {
      if (!floorNode(req, res)) next();
    });
  }
  app.all('/', (_req, res) => {
    res.type('text/plain').send(BODY);
  });
  const server = app.listen(0, '127.0.0.1', () => listening(server.address().port));
  server.keepAliveTimeout = 60_000;
  close = () => {
    server.close();
    server.closeAllConnections();
  };
} else if (framework === 'fastify') {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false, keepAliveTimeout: 60_000 });
  if (variant === 'corset') {
    const { default: corset } = await import('../../dist/fastify.js');
    await app.register(corset, { policy: CORSET_POLICY });
  } else if (variant === 'peer') {
    const { default: fastifyCors } = await import('@fastify/cors');
    await app.register(fastifyCors, CORS_OPTIONS);
  } else if (variant === 'floor') {
    app.addHook('onRequest', function floorFastify(request, reply, done) {
      const h = request.headers;
      const { preflight, headers } = floorCors(request.method, h.origin, h['access-control-request-method']);
      for (const [name, value] of headers) reply.header(name, value);
      if (preflight) reply.code(204).send();
      else done();
    });
  }
  app.all('/', async (_req, reply) => {
    reply.type('text/plain');
    return BODY;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  listening(app.server.address().port);
  close = () => app.close();
} else if (framework === 'hono') {
  const { serve } = await import('@hono/node-server');
  const app = await honoApp(variant);
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => listening(info.port));
  server.keepAliveTimeout = 60_000;
  close = () => {
    server.close();
    server.closeAllConnections?.();
  };
} else {
  throw new Error(`node-server: unknown framework ${framework}`);
}

/** The floor on node:http (and Express): true when it answered a preflight. */
function floorNode(req, res) {
  const h = req.headers;
  const { preflight, headers } = floorCors(req.method, h.origin, h['access-control-request-method']);
  if (preflight) {
    res.writeHead(204, headers);
    res.end();
    return true;
  }
  for (const [name, value] of headers) res.setHeader(name, value);
  return false;
}

if (process.send) {
  process.on('message', (m) => {
    if (m === 'memory') {
      globalThis.gc?.();
      globalThis.gc?.();
      const u = process.memoryUsage();
      process.send({ memory: { rss: u.rss, heapUsed: u.heapUsed, external: u.external } });
    } else if (m === 'cpu') {
      const c = process.cpuUsage();
      process.send({ cpu: c.user + c.system });
    }
  });
  process.on('disconnect', () => process.exit(0));
}
process.on('SIGTERM', () => {
  close();
  process.exit(0);
});
