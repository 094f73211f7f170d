/**
 * `cors(policy, options)`: a `node:http` request handler that is also Express and Connect middleware.
 * @module corset-cors/node
 */
// corset-cors/node: a `node:http` request handler that is also Express/Connect middleware.
//
//   const handle = cors(policy, opts);
//   http.createServer((req, res) => { if (handle(req, res)) return; ...the application... });
//   app.use(cors(policy, opts));                       // Express, Connect
//
// It reads the request headers, calls `policy.decide`, and copies the decision onto `res`:
// a preflight (allowed or denied) is answered and ended here (`true`); any other request gets the
// decision's headers and goes on (`false`, and `next()` when given). Under `preflight: 'continue'`
// a preflight goes on like any other request, its decision's headers set.
//
// Duplicate `Origin` headers: Node joins repeated header fields other than a few it keeps once
// (`origin` is not one of those) with `, `, and no serialized origin contains `,`, so a request
// with two `Origin` lines reaches `decide` as one value that is never a valid origin:
// `invalid-origin`, denied. No per-request scan of `rawHeaders` is needed for that.
import { ServerResponse } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { REJECTED_STATUS, asyncDecider, headerValueString, mergeVary, newCorsRequest, resolveOptions } from './options.js';
import { resolvePolicy } from './policy-argument.js';
import type { CorsAdapterOptions, PolicyArgument, ResolvedOptions } from './options.js';
import type { CorsDecision } from '../types.js';
import { decideNodeRequest } from './node-request.js';

export type { CorsAdapterOptions, PolicyArgument } from './options.js';

/** Options of `cors` from `corset-cors/node`; `onDecision` receives the `IncomingMessage`. */
export type NodeCorsOptions = CorsAdapterOptions<IncomingMessage>;

/**
 * The handler: `true` when it answered the request (a preflight, or a denied actual request under
 * `rejectDenied`), and then `next` is not called; `false` when the request goes on.
 */
export type NodeCorsHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (err?: unknown) => void,
) => boolean;

/**
 * A `node:http` handler and Express/Connect middleware for a policy (a `CorsPolicyInit`, compiled
 * here once, or a compiled `CorsPolicy`). Throws at setup, never per request: `PolicyError` for an
 * invalid policy, `TypeError` for a wrong argument type.
 */
export function cors(policy: PolicyArgument, options?: NodeCorsOptions): NodeCorsHandler {
  const compiled = resolvePolicy(policy, 'cors');
  const opts = resolveOptions<IncomingMessage>(options, 'cors');
  const scratch = newCorsRequest();
  const live = asyncDecider(compiled);
  if (live !== null) {
    // A live policy with a resolver: a decision may wait for it. The request is then taken over
    // (`true`) and goes on through `next`, which such a handler needs (Express/Connect give it;
    // with plain node:http, pass the application as `next`).
    return function corsetNodeLive(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): boolean {
      const decided = decideNodeRequest(live, opts, scratch, req);
      if (!(decided instanceof Promise)) return answer(decided, opts, req, res, next);
      decided.then(
        (decision) => {
          if (!answer(decision, opts, req, res, next) && next === undefined) {
            // Nothing to hand the request to: fail it loudly rather than leave it hanging.
            res.statusCode = 500;
            res.end();
            process.emitWarning('corset: cors(policy) with a resolveOrigin policy needs next (Express/Connect middleware, or pass the application as next)');
          }
        },
        (err: unknown) => (next === undefined ? res.destroy(err as Error) : next(err)),
      );
      return true;
    };
  }

  return function corsetNode(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): boolean {
    return answer(decideNodeRequest(compiled, opts, scratch, req), opts, req, res, next);
  };
}

/** Copies a decision onto the response: `true` when it answered, else `next()` and `false`. */
function answer(
  decision: CorsDecision,
  opts: ResolvedOptions<IncomingMessage>,
  req: IncomingMessage,
  res: ServerResponse,
  next: ((err?: unknown) => void) | undefined,
): boolean {
  if (opts.onDecision !== null) opts.onDecision(decision, req);
  if (decision.kind === 'preflight' && opts.answerPreflight) {
    // A preflight never reaches the application: answered with the decision's status and headers.
    // Fetch §4.8 CORS-preflight fetch, step 7: "If a CORS check for request and response returns
    // success and response's status is an ok status" the browser goes on; a denial's 403 fails it.
    endWith(res, decision.status ?? (decision.allowed ? 204 : REJECTED_STATUS), decision.headers);
    return true;
  }
  if (opts.rejectDenied && decision.kind === 'actual' && !decision.allowed) {
    endWith(res, REJECTED_STATUS, decision.headers);
    return true;
  }
  // An actual request (or, under `preflight: 'continue'`, a preflight) goes on. Denied, it carries no access-control-allow-origin, so Fetch §4.10
  // "CORS check" step 2 ("If origin is null, then return failure") fails in the browser.
  setDecisionHeaders(res, decision.headers, true);
  if (next !== undefined) next();
  return false;
}

/**
 * Answers the request now: status, the decision's headers (Vary merged), no body. Without a `Vary`
 * already set, the headers go to `writeHead` as one raw array built once per decision (Node
 * validates them as it writes the head; no `setHeader` per field, whose stored copies nobody would
 * read); headers an earlier layer set are kept, and the decision's replace any of the same name,
 * as `setHeader` would.
 */
function endWith(res: ServerResponse, status: number, headers: Readonly<Record<string, string>>): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (!res.hasHeader('vary')) {
    res.writeHead(status, rawHeadersOf(headers));
    res.end();
    return;
  }
  setDecisionHeaders(res, headers, false);
  res.statusCode = status;
  res.end();
}

/** The decision headers as a flat `[name, value, ...]` array, built once per (frozen) record. */
function rawHeadersOf(headers: Readonly<Record<string, string>>): string[] {
  if (headers === lastRecord) return lastRaw;
  let raw = rawCache.get(headers);
  if (raw === undefined) {
    raw = [];
    for (const name in headers) raw.push(name, headers[name] as string);
    rawCache.set(headers, raw);
  }
  lastRecord = headers;
  lastRaw = raw;
  return raw;
}
const rawCache = new WeakMap<Readonly<Record<string, string>>, string[]>();
let lastRecord: Readonly<Record<string, string>> | null = null;
let lastRaw: string[] = [];

/**
 * Copies decision headers onto `res`. `vary` is merged with what an earlier layer set, and again
 * when the headers are written, so that an application calling `res.setHeader('Vary', ...)` after
 * this handler extends the value instead of dropping `Origin` (a cache would then serve one
 * origin's response to another).
 */
function setDecisionHeaders(res: ServerResponse, headers: Readonly<Record<string, string>>, guard: boolean): void {
  const raw = rawHeadersOf(headers);
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    if (name === 'vary') {
      const current = headerValueString(res.getHeader('vary'));
      res.setHeader('vary', current === undefined ? value : mergeVary(current, value));
      if (guard) guardVary(res as GuardedResponse, value);
    } else {
      res.setHeader(name, value);
    }
  }
}

// The Vary guard. A response whose decision set `vary` is marked with that value (markOf); before its
// headers go out (`writeHead`, which Node's implicit-header path also calls), the current `Vary`
// and any `Vary` passed to `writeHead` are merged with it.
//
// Process-wide effect: the first time a marked response's `writeHead` is Node's own
// `http.ServerResponse.prototype.writeHead` (plain node:http, Express and its mounted sub-apps,
// whose response prototypes inherit from it), that one prototype method is replaced, once, by
// `writeHeadOfPrototype`, which calls the method it replaced with the same arguments for any
// response corset did not mark. A response that does not reach the patched method (an Http2
// compatibility response, a test double, or one whose `writeHead` another library replaced
// before this handler ran) gets its own `writeHead` wrapper instead, as every response did before:
// slower (an own property per response), same behaviour.
const kVary = Symbol('corset.vary');
const kWriteHead = Symbol('corset.writeHead');
type WriteHead = (this: ServerResponse, ...args: unknown[]) => ServerResponse;
interface GuardedResponse extends ServerResponse {
  [kVary]?: string;
  [kWriteHead]?: WriteHead;
}
/** Node's `writeHead` as found on the prototype when it was patched; `null` until then. */
let prototypeWriteHead: WriteHead | null = null;

function guardVary(res: GuardedResponse, value: string): void {
  if (res.headersSent) return;
  const swapped = swappedPrototype(res); // asked once per response, not per read and write
  const marked = markOf(res, swapped);
  if (marked !== undefined) {
    // A second corset handler on the same response: one mark, both values.
    setMark(res, mergeVary(marked, value), swapped);
    return;
  }
  let current = res.writeHead as unknown;
  if (current !== writeHeadOfPrototype && prototypeWriteHead === null && current === ServerResponse.prototype.writeHead) {
    patchPrototype();
    current = res.writeHead; // the patched method, unless `res` has its own copy of Node's
  }
  if (current !== writeHeadOfPrototype) {
    res[kWriteHead] = current as WriteHead;
    res.writeHead = writeHeadOfResponse as ServerResponse['writeHead'];
  }
  setMark(res, value, swapped);
}

/**
 * The marks of responses whose prototype was swapped after construction: Express and its sub-apps
 * give every `ServerResponse` their own prototype with `Object.setPrototypeOf`, which leaves each
 * such response with a hidden class of its own, and a property added to one of those builds a new
 * hidden class for that one object, about 0.8 µs and 1.5 KB per response, where a `WeakMap` entry
 * costs neither. Any other response (Node's own, an Http2 compatibility response, a test double)
 * comes from its constructor with the hidden class its kind shares, and a symbol field on it is the
 * cheaper mark (the `WeakMap` costs about 200 ns and an ephemeron per response).
 */
const marks = new WeakMap<ServerResponse, string>();

/** Whether `res` is a `ServerResponse` whose prototype was swapped (Express), see `marks`. */
function swappedPrototype(res: GuardedResponse): boolean {
  return Object.getPrototypeOf(res) !== ServerResponse.prototype && res instanceof ServerResponse;
}

function markOf(res: GuardedResponse, swapped: boolean): string | undefined {
  return swapped ? marks.get(res) : res[kVary];
}

function setMark(res: GuardedResponse, value: string, swapped: boolean): void {
  if (swapped) marks.set(res, value);
  else res[kVary] = value;
}

function patchPrototype(): void {
  prototypeWriteHead = ServerResponse.prototype.writeHead as unknown as WriteHead;
  ServerResponse.prototype.writeHead = writeHeadOfPrototype as ServerResponse['writeHead'];
}

/** `http.ServerResponse.prototype.writeHead` once patched: unmarked responses go straight through. */
function writeHeadOfPrototype(this: GuardedResponse, statusCode: number, reason?: unknown, obj?: unknown): ServerResponse {
  const original = prototypeWriteHead as WriteHead;
  const want = markOf(this, swappedPrototype(this));
  // biome-ignore lint/complexity/noArguments: the same arguments, no array built, for responses corset did not mark
  if (want === undefined || this.headersSent) return original.apply(this, arguments as unknown as unknown[]);
  return writeHeadMerged(this, original, want, statusCode, reason, obj);
}

/** The per-response fallback, an own `writeHead` wrapping the one the response had. */
function writeHeadOfResponse(this: GuardedResponse, statusCode: number, reason?: unknown, obj?: unknown): ServerResponse {
  const original = this[kWriteHead] as WriteHead;
  const want = markOf(this, swappedPrototype(this));
  // biome-ignore lint/complexity/noArguments: the same arguments, no array built
  if (want === undefined || this.headersSent) return original.apply(this, arguments as unknown as unknown[]);
  return writeHeadMerged(this, original, want, statusCode, reason, obj);
}

/**
 * Merges `want` into the response's `Vary` and calls `original`. Header arguments are applied
 * through `setHeader` first, as Node itself does once `setHeader` has been used, so their meaning
 * does not change.
 */
function writeHeadMerged(res: GuardedResponse, original: WriteHead, want: string, statusCode: number, reason: unknown, obj: unknown): ServerResponse {
  let fields = obj;
  if (typeof reason !== 'string') {
    fields = obj ?? reason; // as Node reads writeHead(status[, headers])
    reason = undefined;
  }
  if (Array.isArray(fields)) {
    if (fields.length % 2 !== 0) return reason === undefined ? original.call(res, statusCode, fields) : original.call(res, statusCode, reason, fields); // Node refuses it
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const k = fields[i] as string;
      if (k) res.setHeader(k, fields[i + 1] as string);
    }
  } else if (fields !== null && typeof fields === 'object') {
    const o = fields as Record<string, string | string[] | number>;
    for (const k of Object.keys(o)) if (k) res.setHeader(k, o[k] as string);
  }
  const current = headerValueString(res.getHeader('vary'));
  if (current !== want) res.setHeader('vary', current === undefined ? want : mergeVary(current, want));
  return reason === undefined ? original.call(res, statusCode) : original.call(res, statusCode, reason);
}
