// Everything the grid times, driven with the same requests in the same process (issue 6, "The
// suite"): the floor, corset's engines, decide() and adapters, the peers, and the mocks alone.
//
// Each contender compiles its configuration once per (shape, n) and returns a Runner whose
// `run(count)` handles `count` requests in its own loop (so no call site is shared between
// contenders) and goes on through the class's requests from one call to the next, and whose
// `verdict(request)` says what it answered; the grid checks verdicts before timing.
import { createRequire } from 'node:module';
import expressCors from 'cors';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCors from '@fastify/cors';
import { Hono, type MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import { ready } from '../../src/engine/ready.js';
import { cors as corsetNode } from '../../src/adapters/node.js';
import { cors as corsetHono } from '../../src/adapters/hono.js';
import corsetFastify from '../../src/adapters/fastify.js';
import {
  BENCH_ALLOW_HEADERS,
  BENCH_EXPOSE_HEADERS,
  BENCH_MAX_AGE,
  BENCH_METHODS,
  benchPattern,
  freshString,
  generatePolicy,
  type BenchShape,
} from '../../src/cli/bench.js';
import type { CorsPolicy, CorsRequest } from '../../src/types.js';
import {
  asNodeRequest,
  asNodeResponse,
  BENCH_HOST,
  BENCH_PATH,
  MockKoaContext,
  MockRequest,
  MockResponse,
  nodeAllowed,
  nodeHeaders,
} from './mocks.js';
import type { BenchRequest, RequestClass } from './requests.js';

const require = createRequire(import.meta.url);
type KoaMiddleware = (ctx: MockKoaContext, next: () => Promise<void>) => Promise<void>;
/** `@koa/cors` (it ships no types). */
const koaCors = require('@koa/cors') as (options: {
  origin?: string | ((ctx: MockKoaContext) => string | Promise<string>);
  allowMethods?: readonly string[];
  allowHeaders?: readonly string[];
  exposeHeaders?: readonly string[];
  maxAge?: number;
}) => KoaMiddleware;

export type Side = 'floor' | 'corset' | 'peer' | 'mock';

export interface Runner {
  readonly async: boolean;
  /** Handle `count` requests (cycling through the class's requests); returns a value to keep. */
  run(count: number): number | Promise<number>;
  /** Whether the contender allowed this request (see requests.ts, `expectedVerdict`). */
  verdict(r: BenchRequest): boolean | Promise<boolean>;
}

export interface Contender {
  readonly id: string;
  readonly label: string;
  readonly side: Side;
  /** Request classes it applies to; all when absent. */
  readonly classes?: readonly RequestClass[];
  /** Classes measured only at n = 1 (they do not depend on the policy). */
  readonly policyFree?: boolean;
  make(c: CaseSetup, requests: readonly BenchRequest[]): Runner;
}

/** What every contender is configured from, built once per (shape, n). */
export interface CaseSetup {
  readonly shape: BenchShape;
  readonly n: number;
  readonly policy: CorsPolicy; // engine 'auto'
  readonly js: CorsPolicy;
  readonly wasm: CorsPolicy | null;
  /** Why `wasm` is null. */
  readonly wasmError: string;
  /** The policy's origins as a peer user writes them: strings and anchored RegExps. */
  readonly peerOrigins: readonly (string | RegExp)[];
  /** The set of every allowed origin the requests use (the floor's set). */
  readonly allowedSet: ReadonlySet<string>;
  readonly fastify: { readonly bare: FastifyInstance; readonly peer: FastifyInstance; readonly corset: FastifyInstance };
  /** Hono apps driven through `app.fetch`: no CORS (its own OPTIONS route), hono/cors, corset-cors/hono. */
  readonly hono: { readonly bare: Hono; readonly peer: Hono; readonly corset: Hono };
}

/**
 * A pattern as a user of `cors` or `@fastify/cors` writes it: the exact origin as a string, a
 * wildcard as an anchored RegExp (`*.` as one or more DNS labels, a `*` in a label as label
 * characters). Anchored and without nested ambiguity: the peers at their best, not a strawman.
 */
export function peerPattern(pattern: string): string | RegExp {
  if (!pattern.includes('*')) return pattern;
  const escaped = pattern.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`^${escaped.replace('\\*\\.', '([a-z0-9-]+\\.)+').replace('*', '[a-z0-9-]+')}$`);
}

export function allowedByList(origin: string, list: readonly (string | RegExp)[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const entry = list[i] as string | RegExp;
    if (typeof entry === 'string' ? entry === origin : entry.test(origin)) return true;
  }
  return false;
}

/** Compile every configuration for one (shape, n). */
export async function setupCase(shape: BenchShape, n: number, allowedOrigins: Iterable<string>): Promise<CaseSetup> {
  const init = generatePolicy(shape, n);
  await ready();
  const policy = compilePolicy(init);
  const js = compilePolicy({ ...init, engine: 'js' });
  let wasm: CorsPolicy | null = null;
  let wasmError = '';
  try {
    wasm = compilePolicy({ ...init, engine: 'wasm' });
  } catch (err) {
    wasm = null; // WebAssembly cannot run here: the wasm rows say why
    wasmError = err instanceof Error ? err.message : String(err);
  }
  const peerOrigins: (string | RegExp)[] = [];
  for (let i = 0; i < n; i++) peerOrigins.push(peerPattern(benchPattern(shape, i)));

  const bare = Fastify({ logger: false });
  bare.get(BENCH_PATH, (_req, reply) => reply.send('ok'));
  bare.options(BENCH_PATH, (_req, reply) => reply.code(204).send());
  const peer = Fastify({ logger: false });
  await peer.register(fastifyCors, {
    origin: peerOrigins as (string | RegExp)[],
    methods: [...BENCH_METHODS],
    allowedHeaders: [...BENCH_ALLOW_HEADERS],
    exposedHeaders: [...BENCH_EXPOSE_HEADERS],
    maxAge: BENCH_MAX_AGE,
  });
  peer.get(BENCH_PATH, (_req, reply) => reply.send('ok'));
  const corset = Fastify({ logger: false });
  await corset.register(corsetFastify, { policy });
  corset.get(BENCH_PATH, (_req, reply) => reply.send('ok'));
  await Promise.all([bare.ready(), peer.ready(), corset.ready()]);
  const exactOnly = peerOrigins.every((e) => typeof e === 'string');
  const hono = {
    bare: honoApp(null, true),
    // hono takes an array of exact origins (it calls `includes`), or a function for patterns.
    peer: honoApp(
      honoCors({
        origin: exactOnly ? (peerOrigins as string[]) : (origin) => (allowedByList(origin, peerOrigins) ? origin : null),
        allowMethods: [...BENCH_METHODS],
        allowHeaders: [...BENCH_ALLOW_HEADERS],
        exposeHeaders: [...BENCH_EXPOSE_HEADERS],
        maxAge: BENCH_MAX_AGE,
      }),
      false,
    ),
    corset: honoApp(corsetHono(policy), false),
  };
  return { shape, n, policy, js, wasm, wasmError, peerOrigins, allowedSet: new Set(allowedOrigins), fastify: { bare, peer, corset }, hono };
}

/** A Hono app with the bench route (and, without CORS, an OPTIONS route that answers 204). */
function honoApp(cors: MiddlewareHandler | null, ownOptions: boolean): Hono {
  const app = new Hono();
  if (cors !== null) app.use(cors);
  app.get(BENCH_PATH, (c) => c.text('ok'));
  if (ownOptions) app.options(BENCH_PATH, (c) => c.body(null, 204));
  return app;
}

export async function closeCase(c: CaseSetup): Promise<void> {
  await Promise.all([c.fastify.bare.close(), c.fastify.peer.close(), c.fastify.corset.close()]);
}

/**
 * The class's requests in turn, carried on from one `run` call to the next: every sample goes on
 * where the previous one stopped, so a batch of one (a slow peer) still cycles through all the
 * rules instead of timing the first request over and over.
 */
function cursor(requests: readonly BenchRequest[]): () => BenchRequest {
  const n = requests.length;
  if (n === 0 || (n & (n - 1)) !== 0) throw new RangeError(`request count ${n} is not a power of two`);
  const m = n - 1;
  let at = 0;
  return () => {
    const r = requests[at] as BenchRequest;
    at = (at + 1) & m;
    return r;
  };
}

const originOf = (r: BenchRequest): string => r.origin[0] + r.origin[1];

/** A scratch CorsRequest per runner, filled per call, as the adapters do. */
function corsRequest(r: BenchRequest, origin: string, req: CorsRequest): CorsRequest {
  req.method = r.method;
  req.origin = origin;
  req.requestMethod = r.requestMethod;
  req.requestHeaders = r.requestHeaders;
  return req;
}

const noop = (): void => {};
const resolved = (): Promise<void> => Promise.resolve();

const GET_CLASSES: readonly RequestClass[] = ['get-allowed', 'get-denied', 'get-hostile-origin'];

export const CONTENDERS: readonly Contender[] = [
  {
    id: 'floor',
    label: 'Set.has (floor)',
    side: 'floor',
    classes: GET_CLASSES,
    make(c, requests) {
      const nextRequest = cursor(requests);
      const set = c.allowedSet;
      return {
        async: false,
        run(count) {
          let s = 0;
          for (let k = 0; k < count; k++) {
            const p = nextRequest().origin;
            if (set.has(freshString(p[0], p[1]))) s++;
          }
          return s;
        },
        verdict: (r) => set.has(originOf(r)),
      };
    },
  },
  {
    id: 'fresh-string',
    label: 'fresh origin string alone (in every row)',
    side: 'mock',
    classes: GET_CLASSES,
    policyFree: true,
    make(_c, requests) {
      const nextRequest = cursor(requests);
      return {
        async: false,
        run(count) {
          let s = 0;
          for (let k = 0; k < count; k++) {
            const p = nextRequest().origin;
            s += freshString(p[0], p[1]).length;
          }
          return s;
        },
        verdict: () => true,
      };
    },
  },
  ...(['js', 'wasm'] as const).map(
    (engine): Contender => ({
      id: `engine-${engine}`,
      label: `corset isOriginAllowed (${engine} engine)`,
      side: 'corset',
      classes: GET_CLASSES,
      make(c, requests) {
        const policy = engine === 'js' ? c.js : c.wasm;
        if (policy === null) throw new Unavailable(c.wasmError);
        const nextRequest = cursor(requests);
        return {
          async: false,
          run(count) {
            let s = 0;
            for (let k = 0; k < count; k++) {
              const p = nextRequest().origin;
              if (policy.isOriginAllowed(freshString(p[0], p[1]))) s++;
            }
            return s;
          },
          verdict: (r) => policy.isOriginAllowed(originOf(r)),
        };
      },
    }),
  ),
  {
    id: 'decide',
    label: 'corset policy.decide()',
    side: 'corset',
    make(c, requests) {
      const nextRequest = cursor(requests);
      const policy = c.policy;
      const req: CorsRequest = { method: '', origin: null, requestMethod: null, requestHeaders: null, requestPrivateNetwork: false, url: undefined };
      return {
        async: false,
        run(count) {
          let s = 0;
          for (let k = 0; k < count; k++) {
            const r = nextRequest();
            if (policy.decide(corsRequest(r, freshString(r.origin[0], r.origin[1]), req)).allowed) s++;
          }
          return s;
        },
        verdict: (r) => policy.decide(corsRequest(r, originOf(r), { method: '' })).allowed,
      };
    },
  },
  {
    id: 'corset-node',
    label: 'corset-cors/node middleware',
    side: 'corset',
    make(c, requests) {
      const nextRequest = cursor(requests);
      const mw = corsetNode(c.policy);
      const call = (r: BenchRequest, origin: string): MockResponse => {
        const res = new MockResponse();
        mw(asNodeRequest(new MockRequest(r.method, nodeHeaders(r, origin))), asNodeResponse(res), noop);
        return res;
      };
      return {
        async: false,
        run(count) {
          let s = 0;
          for (let k = 0; k < count; k++) {
            const r = nextRequest();
            s += call(r, freshString(r.origin[0], r.origin[1])).statusCode;
          }
          return s;
        },
        verdict: (r) => nodeAllowed(call(r, originOf(r))),
      };
    },
  },
  {
    id: 'express-cors',
    label: 'cors (expressjs/cors)',
    side: 'peer',
    make(c, requests) {
      const nextRequest = cursor(requests);
      const mw = expressCors({
        origin: c.peerOrigins as (string | RegExp)[],
        methods: [...BENCH_METHODS],
        allowedHeaders: [...BENCH_ALLOW_HEADERS],
        exposedHeaders: [...BENCH_EXPOSE_HEADERS],
        maxAge: BENCH_MAX_AGE,
      }) as unknown as (req: MockRequest, res: MockResponse, next: () => void) => void;
      const call = (r: BenchRequest, origin: string): MockResponse => {
        const res = new MockResponse();
        mw(new MockRequest(r.method, nodeHeaders(r, origin)), res, noop);
        return res;
      };
      return {
        async: false,
        run(count) {
          let s = 0;
          for (let k = 0; k < count; k++) {
            const r = nextRequest();
            s += call(r, freshString(r.origin[0], r.origin[1])).statusCode;
          }
          return s;
        },
        verdict: (r) => nodeAllowed(call(r, originOf(r))),
      };
    },
  },
  {
    id: 'koa-cors',
    label: '@koa/cors (origin function)',
    side: 'peer',
    make(c, requests) {
      const nextRequest = cursor(requests);
      const list = c.peerOrigins;
      const mw = koaCors({
        origin: (ctx) => {
          const origin = ctx.get('Origin');
          return allowedByList(origin, list) ? origin : '';
        },
        allowMethods: BENCH_METHODS,
        allowHeaders: BENCH_ALLOW_HEADERS,
        exposeHeaders: BENCH_EXPOSE_HEADERS,
        maxAge: BENCH_MAX_AGE,
      });
      const call = async (r: BenchRequest, origin: string): Promise<MockResponse> => {
        const res = new MockResponse();
        await mw(new MockKoaContext(new MockRequest(r.method, nodeHeaders(r, origin)), res), resolved);
        return res;
      };
      return {
        async: true,
        async run(count) {
          let s = 0;
          for (let k = 0; k < count; k++) {
            const r = nextRequest();
            s += (await call(r, freshString(r.origin[0], r.origin[1]))).statusCode;
          }
          return s;
        },
        verdict: async (r) => nodeAllowed(await call(r, originOf(r))),
      };
    },
  },
  {
    id: 'hono-bare',
    label: 'Hono app.fetch, bare routes (no CORS)',
    side: 'mock',
    make: (c, requests) => honoRunner(c.hono.bare, requests, true),
  },
  {
    id: 'hono-cors',
    label: 'hono/cors via Hono app.fetch',
    side: 'peer',
    make: (c, requests) => honoRunner(c.hono.peer, requests, false),
  },
  {
    id: 'corset-hono',
    label: 'corset-cors/hono via Hono app.fetch',
    side: 'corset',
    make: (c, requests) => honoRunner(c.hono.corset, requests, false),
  },
  {
    id: 'fastify-bare',
    label: 'fastify.inject, bare route (no CORS)',
    side: 'mock',
    make: (c, requests) => injectRunner(c.fastify.bare, requests, true),
  },
  {
    id: 'fastify-cors',
    label: '@fastify/cors via fastify.inject',
    side: 'peer',
    make: (c, requests) => injectRunner(c.fastify.peer, requests, false),
  },
  {
    id: 'corset-fastify',
    label: 'corset-cors/fastify via fastify.inject',
    side: 'corset',
    make: (c, requests) => injectRunner(c.fastify.corset, requests, false),
  },
  {
    id: 'mock-node',
    label: 'mock alone: node req/res + a no-op middleware',
    side: 'mock',
    policyFree: true,
    make(_c, requests) {
      const nextRequest = cursor(requests);
      const mw = (_req: MockRequest, res: MockResponse, next: () => void): void => {
        res.setHeader('vary', 'Origin');
        next();
      };
      return {
        async: false,
        run(count) {
          let s = 0;
          for (let k = 0; k < count; k++) {
            const r = nextRequest();
            const res = new MockResponse();
            mw(new MockRequest(r.method, nodeHeaders(r, freshString(r.origin[0], r.origin[1]))), res, noop);
            s += res.statusCode;
          }
          return s;
        },
        verdict: () => true,
      };
    },
  },
  {
    id: 'mock-koa',
    label: 'mock alone: koa ctx + an async no-op middleware',
    side: 'mock',
    policyFree: true,
    make(_c, requests) {
      const nextRequest = cursor(requests);
      const mw = async (ctx: MockKoaContext, next: () => Promise<void>): Promise<void> => {
        ctx.vary('Origin');
        await next();
      };
      return {
        async: true,
        async run(count) {
          let s = 0;
          for (let k = 0; k < count; k++) {
            const r = nextRequest();
            const res = new MockResponse();
            await mw(new MockKoaContext(new MockRequest(r.method, nodeHeaders(r, freshString(r.origin[0], r.origin[1]))), res), resolved);
            s += res.statusCode;
          }
          return s;
        },
        verdict: () => true,
      };
    },
  },
];

/** A contender that cannot run here (the WASM engine where WebAssembly is missing). */
export class Unavailable extends Error {
  override readonly name = 'Unavailable';
}

/**
 * A Hono app through `app.fetch`, as @hono/node-server, Deno, Bun and Workers call it: a `Request`
 * built per request (the runtime builds one too), routing, the middleware, the handler's Response.
 */
function honoRunner(app: Hono, requests: readonly BenchRequest[], bare: boolean): Runner {
  const nextRequest = cursor(requests);
  const url = `http://${BENCH_HOST}${BENCH_PATH}`;
  const call = (r: BenchRequest, origin: string): Response | Promise<Response> =>
    app.fetch(new Request(url, { method: r.method, headers: nodeHeaders(r, origin) }));
  return {
    async: true,
    async run(count) {
      let s = 0;
      for (let k = 0; k < count; k++) {
        const r = nextRequest();
        s += (await call(r, freshString(r.origin[0], r.origin[1]))).status;
      }
      return s;
    },
    async verdict(r) {
      const res = await call(r, originOf(r));
      return bare ? res.status < 300 : res.headers.get('access-control-allow-origin') !== null;
    },
  };
}

/** One turn of the event loop. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * fastify.inject: the whole framework in process, no socket (light-my-request). Each batch first
 * lets the event loop turn: inject finishes each request's clean-up in `setImmediate` callbacks,
 * which a loop of awaited injects never runs (tinybench yields only between tasks), so without
 * this they pile up, ~9 KB per request, until the heap is exhausted. A server runs them too: the
 * turn is part of the measured cost, the same for the bare route, @fastify/cors and corset.
 */
function injectRunner(app: FastifyInstance, requests: readonly BenchRequest[], bare: boolean): Runner {
  const nextRequest = cursor(requests);
  const call = (r: BenchRequest, origin: string) =>
    app.inject({ method: r.method, url: BENCH_PATH, headers: nodeHeaders(r, origin) });
  return {
    async: true,
    async run(count) {
      await nextTurn();
      let s = 0;
      for (let k = 0; k < count; k++) {
        const r = nextRequest();
        s += (await call(r, freshString(r.origin[0], r.origin[1]))).statusCode;
      }
      return s;
    },
    async verdict(r) {
      const res = await call(r, originOf(r));
      return bare ? res.statusCode < 300 : res.headers['access-control-allow-origin'] !== undefined;
    },
  };
}
