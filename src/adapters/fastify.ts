/**
 * The Fastify 5 plugin: `await fastify.register(corset, { policy, ...options })`, with per-route `config.cors`.
 * @module corset-cors/fastify
 */
// corset-cors/fastify: a Fastify plugin.
//
//   await fastify.register(corset, { policy, ...opts });
//
// - `onRequest` (or `preHandler`, with `hook: 'preHandler'`): decides once per request (kept as
//   `request.corsDecision`); a preflight is answered there. In `onRequest`, that is before routing
//   hooks and authentication registered later, and an OPTIONS preflight to a route that only
//   declares GET gets the policy's answer, not a 404 (Fastify's not-found route runs the hooks).
// - `onSend`: the decision's headers are set on every response Fastify sends, including the ones
//   it produces itself (a schema-validation 400, a 404, an error handler's 500), and `Vary` is
//   merged with what the route or another plugin set.
// - Route-level override, `{ config: { cors: false | policy } }`: checked and compiled when the
//   route is declared (`onRoute`). `false`: no CORS headers on that route and no preflight answer
//   for it; a policy (a `CorsPolicyInit`, a `CorsPolicy`, a live policy) decides that route's
//   requests. A route with an override that declares no OPTIONS gets `OPTIONS` added to its
//   methods, so a preflight to its path is routed to it and decided by the policy of the route that
//   serves the requested method (`Access-Control-Request-Method`); any other OPTIONS there goes to
//   Fastify's not-found handler, as without corset.
// The plugin is registered without encapsulation (as `fastify-plugin` would mark it), so its hooks
// apply to the whole instance. Register it before hooks that may answer a request (authentication).
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { CorsDecision, CorsPolicy } from '../types.js';
import { describeType } from '../arguments.js';
import { PolicyError } from '../policy/issues.js';
import { REJECTED_STATUS, asyncDecider, mergeVary, headerValueString, newCorsRequest, resolveOptions } from './options.js';
import { resolvePolicy } from './policy-argument.js';
import type { CorsAdapterOptions, Decider, PolicyArgument, ResolvedOptions } from './options.js';
import { decideNodeRequest } from './node-request.js';

export type { CorsAdapterOptions, PolicyArgument, PreflightMode } from './options.js';

/** The Fastify hook in which corset decides and answers preflights. */
export type FastifyCorsHook = 'onRequest' | 'preHandler';

/** Options of the plugin: the policy, the hook, and the options every adapter shares. */
export interface FastifyCorsOptions extends CorsAdapterOptions<FastifyRequest> {
  /** The policy for every route without a `config.cors` of its own: a `CorsPolicyInit`, or a compiled or live `CorsPolicy`. */
  policy: PolicyArgument;
  /**
   * `'onRequest'` (default): decide before body parsing and before every later hook.
   * `'preHandler'`: decide after parsing, validation and the `preValidation` hooks (authentication
   * registered there then sees preflights too).
   */
  hook?: FastifyCorsHook;
}

/** A route's `config.cors`: `false` for no CORS on that route, or the route's own policy. */
export type FastifyRouteCors = false | PolicyArgument;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** corset: `false` for no CORS on this route, or the policy that decides this route's requests. */
    cors?: FastifyRouteCors;
  }
  interface FastifyRequest {
    /** corset's decision for this request (null until the plugin's hook ran, or with `cors: false`). */
    corsDecision: CorsDecision | null;
  }
}

/** A compiled policy and, for a live policy with a resolver, its asynchronous view. */
interface RoutePolicy {
  readonly policy: CorsPolicy;
  readonly live: Decider<CorsDecision | Promise<CorsDecision>> | null;
}

/** Set in the config of a route to which corset added `OPTIONS` (it declared none). */
const kOptionsAdded = Symbol('corset.optionsAdded');

type RouteConfig = { cors?: unknown; [kOptionsAdded]?: true } | undefined;

function corsetFastify(fastify: FastifyInstance, options: FastifyCorsOptions, done: (err?: Error) => void): void {
  let root: RoutePolicy;
  let opts: ResolvedOptions<FastifyRequest>;
  let hook: FastifyCorsHook;
  try {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('corset: fastify.register(corset, options): options must be an object with a policy');
    }
    const policy = resolvePolicy(options.policy, 'fastify.register');
    root = { policy, live: asyncDecider(policy) };
    opts = resolveOptions<FastifyRequest>(options, 'fastify.register');
    hook = resolveHook(options.hook);
  } catch (err) {
    done(err as Error);
    return;
  }
  const scratch = newCorsRequest();

  /** Route policies by the `config.cors` object, each compiled once. */
  const compiled = new WeakMap<object, RoutePolicy>();
  /** By route URL, then method: the policy of the route serving it (null: `cors: false`). Filled by
   * `onRoute` for every route, read for preflights (their `Access-Control-Request-Method`). */
  const byUrl = new Map<string, Map<string, RoutePolicy | null>>();
  /** `url` + constraints of the routes to which corset added OPTIONS. */
  const optionsAdded = new Set<string>();
  /** Requests on a `cors: false` route: nothing to decide, no headers to set. */
  const off = new WeakSet<FastifyRequest>();
  /**
   * Whether requests read their route's config (`request.routeOptions` builds an object per call,
   * about 0.1 us): once a route declares `config.cors`, or from the start when routes were declared
   * before corset loaded (one of them may have a `config.cors` that `onRoute` never saw). Until
   * then every request is decided by the plugin's policy without looking.
   */
  let readConfig = !/^\(empty tree\)\s*$/.test(fastify.printRoutes());

  const routePolicy = (own: unknown, where: string): RoutePolicy | null => {
    if (own === false) return null;
    if (own === null || typeof own !== 'object' || Array.isArray(own)) {
      throw new TypeError(`corset: ${where}: config.cors must be false, a CorsPolicyInit or a CorsPolicy, got ${describeType(own)}`);
    }
    let rp = compiled.get(own);
    if (rp === undefined) {
      let policy: CorsPolicy;
      try {
        policy = resolvePolicy(own, where);
      } catch (err) {
        if (err instanceof PolicyError) err.message = `corset: ${where}: config.cors: ${err.message.replace(/^corset: /, '')}`;
        throw err;
      }
      rp = { policy, live: asyncDecider(policy) };
      compiled.set(own, rp);
    }
    return rp;
  };

  fastify.addHook('onRoute', function corsetOnRoute(route: RouteOptions) {
    const methods = typeof route.method === 'string' ? [route.method] : [...route.method];
    const where = `route ${methods.join(',')} ${route.url}`;
    const config = route.config as RouteConfig;
    const own = config?.cors;
    const rp = own === undefined ? root : routePolicy(own, where);
    if (own !== undefined) readConfig = true;
    const key = route.url + '\u0000' + JSON.stringify(route.constraints ?? {});
    if (methods.includes('OPTIONS') && optionsAdded.has(key)) {
      throw new Error(
        `corset: ${where}: declared after a route on ${route.url} with config.cors, to which corset added OPTIONS to answer its preflights; declare the OPTIONS route first, or list 'OPTIONS' among that route's methods`,
      );
    }
    let table = byUrl.get(route.url);
    if (table === undefined) byUrl.set(route.url, (table = new Map()));
    for (const m of methods) if (!table.has(m)) table.set(m, rp);
    if (own !== undefined && !methods.includes('OPTIONS') && !optionsAdded.has(key) && !fastify.hasRoute({ url: route.url, method: 'OPTIONS', constraints: route.constraints })) {
      // Fastify routes an OPTIONS to this path to its not-found handler; routed here instead, the
      // preflight is decided with this route's policy (corset's hook answers it or hands it on).
      route.method = [...methods, 'OPTIONS'];
      route.config = { ...route.config, [kOptionsAdded]: true } as typeof route.config;
      optionsAdded.add(key);
    }
  });

  /** The policy for a request (null: `cors: false`), from its route's config. */
  const policyFor = (request: FastifyRequest, config: RouteConfig): RoutePolicy | null => {
    if (config === undefined) return root;
    if (request.method === 'OPTIONS' && byUrl.size > 0) {
      // A preflight asks for another method: the route serving that method on this path decides.
      const asked = request.headers['access-control-request-method'];
      const url = (config as { url?: string }).url;
      if (typeof asked === 'string' && url !== undefined) {
        const rp = byUrl.get(url)?.get(asked);
        if (rp !== undefined) return rp;
      }
    }
    const own = config.cors;
    if (own === undefined) return root;
    if (own !== false && typeof own === 'object' && own !== null && !compiled.has(own)) warnUnchecked(request);
    return routePolicy(own, `route ${request.method} ${request.url}`);
  };

  const decided = (request: FastifyRequest, decision: CorsDecision): CorsDecision => {
    request.corsDecision = decision;
    if (opts.onDecision !== null) opts.onDecision(decision, request);
    return decision;
  };
  /** The decision, or a promise of it for a live policy that waits for its resolver. */
  const decideWith = (rp: RoutePolicy, request: FastifyRequest): CorsDecision | Promise<CorsDecision> => {
    if (rp.live === null) return decided(request, decideNodeRequest(rp.policy, opts, scratch, request.raw));
    const d = decideNodeRequest(rp.live, opts, scratch, request.raw);
    return d instanceof Promise ? d.then((x) => decided(request, x)) : decided(request, d);
  };

  fastify.decorateRequest('corsDecision', null);

  fastify.addHook(hook, function corsetDecideHook(request: FastifyRequest, reply: FastifyReply, next: (err?: Error) => void) {
    // Already decided: this is the not-found handler's pass after `callNotFound` below.
    if (request.corsDecision !== null || (readConfig && off.has(request))) {
      next();
      return;
    }
    const config = readConfig ? (request.routeOptions.config as RouteConfig) : undefined;
    const added = config?.[kOptionsAdded] === true && request.method === 'OPTIONS';
    let rp: RoutePolicy | null;
    try {
      rp = policyFor(request, config);
    } catch (err) {
      next(err as Error);
      return;
    }
    if (rp === null) {
      off.add(request);
      if (added) reply.callNotFound();
      else next();
      return;
    }
    const d = decideWith(rp, request);
    if (d instanceof Promise) d.then((x) => onDecided(x, added, reply, next), next);
    else onDecided(d, added, reply, next);
  });

  function onDecided(decision: CorsDecision, added: boolean, reply: FastifyReply, next: (err?: Error) => void): void {
    if (decision.kind === 'preflight' && opts.answerPreflight) {
      // Answered here; onSend below adds the headers. No `next()`: the request ends.
      reply.code(decision.status ?? (decision.allowed ? 204 : REJECTED_STATUS)).send();
      return;
    }
    if (added) {
      // An OPTIONS the route itself does not serve: what Fastify answers without corset.
      reply.callNotFound();
      return;
    }
    if (opts.rejectDenied && decision.kind === 'actual' && !decision.allowed) {
      reply.code(REJECTED_STATUS).send();
      return;
    }
    next();
  }

  fastify.addHook('onSend', function corsetOnSend(request: FastifyRequest, reply: FastifyReply, payload: unknown, next: (err: Error | null, payload?: unknown) => void) {
    const known = request.corsDecision;
    if (known !== null && known !== undefined) {
      sendWith(known, reply, payload, next);
      return;
    }
    if (readConfig && off.has(request)) {
      next(null, payload);
      return;
    }
    // A hook that runs before corset's may have answered first: decide now, so that response
    // (a 401 from authentication, say) is still readable by an allowed origin.
    let rp: RoutePolicy | null;
    try {
      rp = readConfig ? policyFor(request, request.routeOptions.config as RouteConfig) : root;
    } catch (err) {
      next(err as Error);
      return;
    }
    if (rp === null) {
      next(null, payload);
      return;
    }
    const d = decideWith(rp, request);
    if (d instanceof Promise) d.then((x) => sendWith(x, reply, payload, next), next);
    else sendWith(d, reply, payload, next);
  });

  function sendWith(decision: CorsDecision, reply: FastifyReply, payload: unknown, next: (err: Error | null, payload?: unknown) => void): void {
    const headers = decision.headers;
    for (const name in headers) {
      const value = headers[name] as string;
      if (name === 'vary') {
        const current = headerValueString(reply.getHeader('vary') as string | string[] | number | undefined);
        reply.header('vary', current === undefined ? value : mergeVary(current, value));
      } else {
        reply.header(name, value);
      }
    }
    next(null, payload);
  }

  let warned = false;
  /** A `config.cors` that `onRoute` did not see: the route was declared before corset loaded. */
  function warnUnchecked(request: FastifyRequest): void {
    if (warned) return;
    warned = true;
    process.emitWarning(
      `corset: route ${request.method} ${request.url} has a config.cors that was not checked when the route was declared (declared before corset was registered); it is compiled on first use, and preflights to its path are not routed to it. Register corset with await before declaring routes.`,
    );
  }

  done();
}

function resolveHook(value: unknown): FastifyCorsHook {
  if (value === undefined) return 'onRequest';
  if (value === 'onRequest' || value === 'preHandler') return value;
  throw new TypeError(`corset: fastify.register(corset, options): hook must be 'onRequest' or 'preHandler', got ${typeof value === 'string' ? JSON.stringify(value) : describeType(value)}`);
}

// What `fastify-plugin` sets, without depending on it: no encapsulation, and a name in errors.
/**
 * The Fastify plugin: `await fastify.register(corset, { policy, ...options })`. Not encapsulated,
 * so its hooks cover routes in child contexts; a route may override it with `config.cors`.
 */
const plugin = corsetFastify as FastifyPluginCallback<FastifyCorsOptions> & Record<symbol, unknown>;
plugin[Symbol.for('skip-override')] = true;
plugin[Symbol.for('fastify.display-name')] = 'corset';
plugin[Symbol.for('plugin-meta')] = { name: 'corset', fastify: '>=5' };

export default plugin;
export { plugin as corset };
