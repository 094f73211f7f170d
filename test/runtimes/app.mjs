// The app of the runtime tests (Deno, Bun, workerd, Node): it imports the built package (through
// the package's own `exports`), serves a `corset-cors/fetch` app under /fetch/, a
// `corset-cors/hono` app under /hono/, the same two for a loaded policy under /edge/ and
// /hono-edge/, and /engine: which engine a policy compiled at module scope and one compiled inside
// a request run, by compilePolicy and by loadPolicy (corset-cors/edge, from exported data).
import { compilePolicy, exportPolicy } from 'corset-cors';
import { loadPolicy, withCors as withLoadedCors } from 'corset-cors/edge';
import { withCors } from 'corset-cors/fetch';
import { compiledCors, cors } from 'corset-cors/hono';
import { Hono } from 'hono';

const init = {
  origins: ['https://app.example.com', 'https://*.preview.example.com'],
  credentials: true,
  methods: ['GET', 'POST', 'PUT'],
  allowHeaders: ['content-type', 'x-token'],
  exposeHeaders: ['x-request-id'],
  maxAge: 600,
};
const policy = compilePolicy(init);
// What `corset compile --format policy` writes, as a Worker would import it (JSON, not objects).
const data = JSON.parse(JSON.stringify(exportPolicy(init)));
const loaded = loadPolicy(data);

function stream() {
  const parts = ['chunk-1;', 'chunk-2;', 'chunk-3'];
  return new ReadableStream({
    async pull(controller) {
      const next = parts.shift();
      if (next === undefined) controller.close();
      else {
        await new Promise((r) => setTimeout(r, 5));
        controller.enqueue(new TextEncoder().encode(next));
      }
    },
  });
}

async function route(path) {
  switch (path) {
    case '/items': return new Response('items', { headers: { 'x-request-id': 'r1' } });
    case '/vary': return new Response('vary', { headers: { vary: 'Accept-Encoding' } });
    case '/stream': return new Response(stream(), { headers: { 'content-type': 'text/plain' } });
    case '/throw': throw new Error('app failure');
    default: return new Response('not found', { status: 404 });
  }
}

const fetchApp = withCors(policy, (req) => route(new URL(req.url).pathname.slice('/fetch'.length)));

const hono = new Hono();
hono.use(cors(init));
hono.onError(() => new Response('app error', { status: 500 }));
hono.all('/hono/*', (c) => route(c.req.path.slice('/hono'.length)));

// The same two apps for the policy loaded from exported data: corset-cors/edge's withCors, and
// corset-cors/hono's compiledCors (what a small Worker imports).
const edgeApp = withLoadedCors(loaded, (req) => route(new URL(req.url).pathname.slice('/edge'.length)));
const honoEdge = new Hono();
honoEdge.use(compiledCors(loaded));
honoEdge.onError(() => new Response('app error', { status: 500 }));
honoEdge.all('/hono-edge/*', (c) => route(c.req.path.slice('/hono-edge'.length)));

async function serve(req) {
  const path = new URL(req.url).pathname;
  if (path.startsWith('/fetch/')) return fetchApp(req);
  if (path.startsWith('/edge/')) return edgeApp(req);
  if (path.startsWith('/hono-edge/')) return honoEdge.fetch(req);
  return hono.fetch(req);
}

// Policies compiled inside a request: which engine each runs (and that engine: 'js' is honoured).
export async function handler(req) {
  if (new URL(req.url).pathname === '/engine') {
    return Response.json({
      compiled: { moduleScope: policy.engine, inRequest: compilePolicy(init).engine },
      loaded: { moduleScope: loaded.engine, inRequest: loadPolicy(data).engine },
      js: loadPolicy(data, { engine: 'js' }).engine,
    });
  }
  return serve(req);
}

