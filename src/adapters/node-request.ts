// Reading a `node:http` request (also what Express and Fastify hand over as `req` / `request.raw`)
// into a `CorsRequest`, and deciding. Shared by corset-cors/node and corset-cors/fastify.
import type { IncomingMessage } from 'node:http';
import type { CorsDecision } from '../types.js';
import { firstListMember, forwardedScheme, ownUrlFor } from './options.js';
import type { Decider, newCorsRequest } from './options.js';

type Scratch = ReturnType<typeof newCorsRequest>;

/** What deriving the request's own URL needs from the resolved options. */
export interface UrlOptions {
  readonly trustProxy: boolean;
  readonly publicUrl: string | null;
}

/**
 * Fills `s` (the adapter's scratch request, overwritten on every call: `decide` is synchronous
 * and keeps no reference to it) from the Node request, and returns `policy.decide(s)`.
 * `Access-Control-Request-*` are read only for `OPTIONS` with an `Origin` (Fetch §4.8 CORS-preflight
 * request: only such a request can be one), and the request's own URL only when there is an
 * `Origin` to compare it with.
 */
export function decideNodeRequest<D = CorsDecision>(policy: Decider<D>, opts: UrlOptions, s: Scratch, req: IncomingMessage): D {
  const h = req.headers;
  const origin = h.origin;
  const method = req.method ?? '';
  s.method = method;
  s.origin = origin ?? null;
  if (origin !== undefined && method === 'OPTIONS') {
    s.requestMethod = h['access-control-request-method'] ?? null;
    s.requestHeaders = h['access-control-request-headers'] ?? null;
    s.requestPrivateNetwork = h['access-control-request-private-network'] === 'true';
  } else {
    s.requestMethod = null;
    s.requestHeaders = null;
    s.requestPrivateNetwork = false;
  }
  s.url = origin === undefined ? undefined : nodeRequestUrl(opts, req, origin);
  return policy.decide(s);
}

/**
 * `scheme://host/` of the request as its client addressed it: `publicOrigin` when configured;
 * else the connection's scheme (TLS or not) and `Host` (HTTP/2: `:authority`); with
 * `trustProxy`, the first members of `X-Forwarded-Proto` and `X-Forwarded-Host` where present.
 */
export function nodeRequestUrl(opts: UrlOptions, req: IncomingMessage, origin: string): string | undefined {
  if (opts.publicUrl !== null) return opts.publicUrl;
  const h = req.headers;
  const encrypted = (req.socket as { encrypted?: boolean } | null)?.encrypted === true;
  const host = h.host ?? headerString(h[':authority']);
  if (opts.trustProxy) {
    const scheme = forwardedScheme(h['x-forwarded-proto']) ?? (encrypted ? 'https' : 'http');
    return ownUrlFor(origin, scheme, firstListMember(h['x-forwarded-host']) ?? host);
  }
  return ownUrlFor(origin, encrypted ? 'https' : 'http', host);
}

function headerString(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
