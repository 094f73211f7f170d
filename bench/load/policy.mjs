// The load test's one policy, written for corset and for each peer middleware, and the mixed
// traffic autocannon sends (bench/load.mjs). Plain JavaScript with no imports: Node, Deno and Bun
// load this same file.

export const APP = 'https://app.example.com';
export const PREVIEW = 'https://pr-42.preview.example.com';
export const EVIL = 'https://evil.example';

/** corset's policy (corset-cors/node, /fastify, /fetch, /hono). */
export const CORSET_POLICY = {
  origins: [APP, 'https://*.preview.example.com'],
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['content-type', 'x-token'],
  exposeHeaders: ['x-request-id'],
  maxAge: 600,
};

const PREVIEW_RE = /^https:\/\/[a-z0-9-]+\.preview\.example\.com$/;

/** The same policy for `cors` (node:http, Express) and @fastify/cors: RegExps for the wildcard. */
export const CORS_OPTIONS = {
  origin: [APP, PREVIEW_RE],
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['content-type', 'x-token'],
  exposedHeaders: ['x-request-id'],
  maxAge: 600,
};

/** The same policy for hono/cors: a function for the origin list. */
export const HONO_CORS_OPTIONS = {
  origin: (origin) => (origin === APP || PREVIEW_RE.test(origin) ? origin : null),
  credentials: true,
  allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['content-type', 'x-token'],
  exposeHeaders: ['x-request-id'],
  maxAge: 600,
};

/**
 * The floor: this policy's CORS answer written by hand, the least code that answers the MIX correctly (the `floor` variant of every server). It parses nothing, checks
 * no requested method or header (the browser compares them with the lists sent) and keeps no
 * guard on `Vary`: what is left of a CORS layer's cost is writing these headers, the same bytes
 * corset writes for the MIX (test/load-harness.test.ts compares them). Returns the headers as
 * `[name, value]` pairs and whether the request is a preflight to answer (204).
 */
export function floorCors(method, origin, requestMethod) {
  const preflight = method === 'OPTIONS' && origin != null && requestMethod != null;
  if (origin == null || !(origin === APP || PREVIEW_RE.test(origin))) return preflight ? FLOOR_DENIED_PREFLIGHT : FLOOR_VARY;
  return preflight
    ? { preflight, headers: [['access-control-allow-origin', origin], ...FLOOR_PREFLIGHT_TAIL] }
    : { preflight, headers: [['access-control-allow-origin', origin], ...FLOOR_ACTUAL_TAIL] };
}
const FLOOR_VARY = { preflight: false, headers: [['vary', 'origin']] };
const PREFLIGHT_VARY = 'origin, access-control-request-method, access-control-request-headers, access-control-request-private-network';
const FLOOR_DENIED_PREFLIGHT = { preflight: true, headers: [['vary', PREFLIGHT_VARY]] };
const FLOOR_ACTUAL_TAIL = [
  ['access-control-allow-credentials', 'true'],
  ['access-control-expose-headers', 'x-request-id'],
  ['vary', 'origin'],
];
const FLOOR_PREFLIGHT_TAIL = [
  ['access-control-allow-credentials', 'true'],
  ['access-control-allow-methods', 'GET, POST, PUT, DELETE'],
  ['access-control-allow-headers', 'content-type, x-token'],
  ['access-control-max-age', '600'],
  ['vary', PREFLIGHT_VARY],
];

/**
 * The traffic, sent in turn on every connection. `acao` is the Access-Control-Allow-Origin a CORS
 * variant must send (a server without CORS sends none); every answer must be 2xx.
 */
export const MIX = [
  { name: 'allowed GET', method: 'GET', path: '/', headers: { origin: APP }, acao: APP },
  { name: 'denied GET', method: 'GET', path: '/', headers: { origin: EVIL }, acao: null },
  {
    name: 'allowed preflight',
    method: 'OPTIONS',
    path: '/',
    headers: { origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    acao: APP,
    preflight: true,
  },
  { name: 'no Origin', method: 'GET', path: '/', headers: {}, acao: null },
  { name: 'wildcard GET', method: 'GET', path: '/', headers: { origin: PREVIEW }, acao: PREVIEW },
];

/** What every server answers to every request that reaches it. */
export const BODY = 'ok';

/** The MIX as autocannon's `requests` option takes it (sent in turn on every connection), a fresh copy per run. */
export const autocannonRequests = () => MIX.map(({ method, path, headers }) => ({ method, path, headers: { ...headers } }));
