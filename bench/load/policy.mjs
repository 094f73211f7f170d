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
