// Every adapter on a real server (127.0.0.1, ephemeral port), spoken to over real HTTP: `fetch` for
// ordinary requests, a raw socket for what fetch will not send. One table of rows runs against
// node:http, Express, Fastify, Hono and the Fetch-API wrapper. For each row the test checks:
// the status, whether the application was reached, the reason the adapter's `onDecision` saw,
// that every header of the decision (as `policy.decide` gives it for the same request) is on the
// response, that a denied request carries no `access-control-allow-*`, and `Vary`: each expected
// member present, none twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, start } from './servers.js';
import type { AdapterName, Running } from './servers.js';
import { header, viaFetch, viaSocket } from './http-client.js';
import type { Outgoing, Reply } from './http-client.js';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import type { CorsAdapterOptions } from '../../src/adapters/options.js';
import type { CorsDecision, CorsPolicyInit } from '../../src/types.js';

const APP = 'https://app.example.com';
const PREVIEW = 'https://pr-7.preview.example.com';
const EVIL = 'https://evil.example';

const POLICY: CorsPolicyInit = {
  origins: [APP, 'https://*.preview.example.com'],
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['content-type', 'x-token'],
  exposeHeaders: ['x-request-id'],
  maxAge: 600,
};
const compiled = compilePolicy(POLICY);

/** Which server a row runs against (each adapter gets one of each). */
type ServerKind = 'standard' | 'reject' | 'proxy' | 'public' | 'default-head';
const SERVER_OPTIONS: Record<ServerKind, { adapter: CorsAdapterOptions<unknown>; maxHeaderSize?: number }> = {
  standard: { adapter: {}, maxHeaderSize: 256 * 1024 },
  reject: { adapter: { rejectDenied: true } },
  proxy: { adapter: { trustProxy: true } },
  public: { adapter: { publicOrigin: 'https://api.example.com' } },
  'default-head': { adapter: {} }, // Node's default 16 KB request-head limit
};

interface Want {
  status: number;
  reached: boolean;
  /** The reason `onDecision` saw; null when no decision was made (Node refused the request). */
  reason: string | null;
  acao: string | null;
  body?: string;
  /** Vary members (lower-case) that must each appear exactly once. */
  vary?: string[];
}

interface Row {
  desc: string;
  server?: ServerKind;
  client?: 'fetch' | 'socket';
  req: (port: number) => Outgoing;
  want: Want;
  /** Where an adapter deliberately answers otherwise, and why. */
  except?: Partial<Record<AdapterName, { want: Partial<Want>; why: string }>>;
}

const get = (path: string, headers: [string, string][] = []) => (): Outgoing => ({ method: 'GET', path, headers });
const preflight = (origin: string, method: string, headers?: string, path = '/items') => (): Outgoing => ({
  method: 'OPTIONS',
  path,
  headers: [
    ['Origin', origin],
    ['Access-Control-Request-Method', method],
    ...(headers === undefined ? [] : [['Access-Control-Request-Headers', headers] as [string, string]]),
  ],
});
const PREFLIGHT_VARY = ['origin', 'access-control-request-method', 'access-control-request-headers'];
const LONG_ORIGIN = 'https://' + 'a'.repeat(8 * 1024 - 'https://'.length - '.example'.length) + '.example';
const LONG_ACRH = Array.from({ length: 64 * 1024 / 8 }, (_, i) => `x-h${String(i).padStart(4, '0')}`).join(',').slice(0, 64 * 1024);

const ROWS: Row[] = [
  // Preflights: answered by corset, never by the application.
  {
    desc: 'allowed preflight',
    req: preflight(APP, 'PUT', 'content-type, x-token'),
    want: { status: 204, reached: false, reason: 'ok', acao: APP, body: '', vary: PREFLIGHT_VARY },
  },
  {
    desc: 'allowed preflight to a path no route declares (answered before routing, no 404)',
    req: preflight(APP, 'DELETE', undefined, '/nowhere'),
    want: { status: 204, reached: false, reason: 'ok', acao: APP, body: '', vary: PREFLIGHT_VARY },
  },
  {
    desc: 'allowed preflight from a wildcard subdomain',
    req: preflight(PREVIEW, 'PUT'),
    want: { status: 204, reached: false, reason: 'ok', acao: PREVIEW, body: '' },
  },
  {
    desc: 'denied preflight: origin not allowed',
    req: preflight(EVIL, 'PUT'),
    want: { status: 403, reached: false, reason: 'origin-not-allowed', acao: null, body: '', vary: PREFLIGHT_VARY },
  },
  {
    desc: 'denied preflight: method not allowed',
    req: preflight(APP, 'PATCH'),
    want: { status: 403, reached: false, reason: 'method-not-allowed', acao: null, body: '' },
  },
  {
    desc: 'denied preflight: a header the policy does not list',
    req: preflight(APP, 'PUT', 'x-token, x-other'),
    want: { status: 403, reached: false, reason: 'headers-not-allowed', acao: null, body: '' },
  },
  // Actual requests: the application answers; corset adds (or withholds) the CORS headers.
  {
    desc: 'allowed GET',
    req: get('/items', [['Origin', APP]]),
    want: { status: 200, reached: true, reason: 'ok', acao: APP, body: 'items', vary: ['origin'] },
  },
  {
    desc: 'allowed POST',
    req: () => ({ method: 'POST', path: '/items', headers: [['Origin', PREVIEW]] }),
    want: { status: 200, reached: true, reason: 'ok', acao: PREVIEW, body: 'posted' },
  },
  {
    desc: 'allowed HEAD',
    req: () => ({ method: 'HEAD', path: '/items', headers: [['Origin', APP]] }),
    want: { status: 200, reached: true, reason: 'ok', acao: APP, body: '' },
  },
  {
    desc: 'denied GET proceeds without CORS headers (the browser blocks the read)',
    req: get('/items', [['Origin', EVIL]]),
    want: { status: 200, reached: true, reason: 'origin-not-allowed', acao: null, body: 'items', vary: ['origin'] },
  },
  {
    desc: 'no Origin: not a CORS request',
    req: get('/items'),
    want: { status: 200, reached: true, reason: 'not-cors', acao: null, body: 'items' },
  },
  {
    desc: 'same-origin request (Origin is the server itself)',
    req: (port) => get('/items', [['Origin', `http://127.0.0.1:${port}`]])(),
    want: { status: 200, reached: true, reason: 'same-origin', acao: null, body: 'items' },
  },
  {
    desc: 'plain OPTIONS with Origin but no Access-Control-Request-Method reaches the application',
    req: () => ({ method: 'OPTIONS', path: '/plain', headers: [['Origin', APP]] }),
    // OPTIONS is not among the policy's methods: an actual request the policy does not answer.
    want: { status: 200, reached: true, reason: 'method-not-allowed', acao: null, body: 'plain-options' },
  },
  {
    desc: 'plain OPTIONS without Origin reaches the application',
    req: () => ({ method: 'OPTIONS', path: '/plain', headers: [] }),
    want: { status: 200, reached: true, reason: 'not-cors', acao: null, body: 'plain-options' },
  },
  // Vary: appended to, never replaced, never doubled.
  {
    desc: 'application sets its own Vary after corset ran',
    req: get('/vary', [['Origin', APP]]),
    want: { status: 200, reached: true, reason: 'ok', acao: APP, vary: ['accept-encoding', 'origin'] },
  },
  {
    desc: 'application sets Vary: origin itself (kept once)',
    req: get('/vary-origin', [['Origin', APP]]),
    want: { status: 200, reached: true, reason: 'ok', acao: APP, vary: ['origin'] },
  },
  {
    desc: 'an earlier layer set Vary',
    req: get('/items', [['Origin', APP], ['x-layer-vary', '1']]),
    want: { status: 200, reached: true, reason: 'ok', acao: APP, vary: ['accept-language', 'origin'] },
  },
  {
    desc: 'Vary on a response without Origin (a cache must not serve it to a cross-origin reader)',
    req: get('/items', [['x-layer-vary', '1']]),
    want: { status: 200, reached: true, reason: 'not-cors', acao: null, vary: ['accept-language', 'origin'] },
  },
  // Errors.
  {
    desc: 'a handler that throws: the error response keeps the CORS headers',
    req: get('/throw', [['Origin', APP]]),
    want: { status: 500, reached: true, reason: 'ok', acao: APP },
    except: {
      fetch: {
        want: { acao: null, reached: false },
        why: 'withCors does not turn a thrown error into a response; the runtime (here @hono/node-server) answers 500 on its own',
      },
    },
  },
  // Hostile or malformed input, on raw sockets.
  {
    desc: '8 KB Origin on an actual request: invalid, proceeds without CORS headers',
    client: 'socket',
    req: get('/items', [['Origin', LONG_ORIGIN]]),
    want: { status: 200, reached: true, reason: 'invalid-origin', acao: null, body: 'items' },
  },
  {
    desc: '8 KB Origin on a preflight: denied',
    client: 'socket',
    req: preflight(LONG_ORIGIN, 'PUT'),
    want: { status: 403, reached: false, reason: 'invalid-origin', acao: null, body: '' },
  },
  {
    desc: 'two Origin headers (each allowed) on an actual request: invalid',
    client: 'socket',
    req: get('/items', [['Origin', APP], ['Origin', PREVIEW]]),
    want: { status: 200, reached: true, reason: 'invalid-origin', acao: null, body: 'items' },
  },
  {
    desc: 'two Origin headers on a preflight: denied',
    client: 'socket',
    req: () => ({ method: 'OPTIONS', path: '/items', headers: [['Origin', APP], ['Origin', APP], ['Access-Control-Request-Method', 'PUT']] }),
    want: { status: 403, reached: false, reason: 'invalid-origin', acao: null },
  },
  {
    desc: '64 KB Access-Control-Request-Headers with a raised head limit: refused unread',
    client: 'socket',
    req: preflight(APP, 'PUT', LONG_ACRH),
    want: { status: 403, reached: false, reason: 'request-headers-too-long', acao: null },
  },
  {
    desc: "64 KB Access-Control-Request-Headers under Node's default 16 KB head limit: Node answers 431 first",
    server: 'default-head',
    client: 'socket',
    req: preflight(APP, 'PUT', LONG_ACRH),
    want: { status: 431, reached: false, reason: null, acao: null },
  },
  // rejectDenied.
  {
    desc: 'rejectDenied: a denied GET is answered 403 without reaching the application',
    server: 'reject',
    req: get('/items', [['Origin', EVIL]]),
    want: { status: 403, reached: false, reason: 'origin-not-allowed', acao: null, body: '', vary: ['origin'] },
  },
  {
    desc: 'rejectDenied: an invalid Origin is rejected too',
    server: 'reject',
    client: 'socket',
    req: get('/items', [['Origin', 'https://APP.example.com']]),
    want: { status: 403, reached: false, reason: 'invalid-origin', acao: null },
  },
  {
    desc: 'rejectDenied: an allowed GET still reaches the application',
    server: 'reject',
    req: get('/items', [['Origin', APP]]),
    want: { status: 200, reached: true, reason: 'ok', acao: APP, body: 'items' },
  },
  {
    desc: 'rejectDenied: no Origin still reaches the application',
    server: 'reject',
    req: get('/items'),
    want: { status: 200, reached: true, reason: 'not-cors', acao: null, body: 'items' },
  },
  {
    desc: 'rejectDenied: a same-origin POST still reaches the application',
    server: 'reject',
    req: (port) => ({ method: 'POST', path: '/items', headers: [['Origin', `http://127.0.0.1:${port}`]] }),
    want: { status: 200, reached: true, reason: 'same-origin', acao: null, body: 'posted' },
  },
  // The request's own origin.
  {
    desc: 'X-Forwarded-* ignored by default: a forged host does not make a request same-origin',
    req: get('/items', [['Origin', APP], ['X-Forwarded-Proto', 'https'], ['X-Forwarded-Host', 'app.example.com']]),
    want: { status: 200, reached: true, reason: 'ok', acao: APP },
  },
  {
    desc: 'trustProxy: X-Forwarded-Proto and -Host name the request origin',
    server: 'proxy',
    req: get('/items', [['Origin', APP], ['X-Forwarded-Proto', 'https'], ['X-Forwarded-Host', 'app.example.com, 10.0.0.1']]),
    want: { status: 200, reached: true, reason: 'same-origin', acao: null },
  },
  {
    desc: 'trustProxy: the proxy says http, the page is https: cross-origin',
    server: 'proxy',
    req: get('/items', [['Origin', APP], ['X-Forwarded-Proto', 'http'], ['X-Forwarded-Host', 'app.example.com']]),
    want: { status: 200, reached: true, reason: 'ok', acao: APP },
  },
  {
    desc: 'publicOrigin: the configured origin is the request origin',
    server: 'public',
    req: get('/items', [['Origin', 'https://api.example.com']]),
    want: { status: 200, reached: true, reason: 'same-origin', acao: null },
  },
  {
    desc: 'publicOrigin: Host is not read',
    server: 'public',
    req: (port) => get('/items', [['Origin', `http://127.0.0.1:${port}`]])(),
    want: { status: 200, reached: true, reason: 'origin-not-allowed', acao: null },
  },
];

/** The `CorsRequest` a row's request stands for, to ask `policy.decide` what the adapter must copy. */
function expectedDecision(out: Outgoing, ownOrigin: string): CorsDecision {
  const values = (name: string): string | null => {
    const v = out.headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);
    return v.length === 0 ? null : v.join(', ');
  };
  const origin = values('origin');
  return compiled.decide({
    method: out.method,
    origin,
    requestMethod: values('access-control-request-method'),
    requestHeaders: values('access-control-request-headers'),
    url: ownOrigin + '/',
  });
}

function varyMembers(reply: Reply): string[] {
  const v = header(reply, 'vary');
  return v === null ? [] : v.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
}

function describeReply(reply: Reply): string {
  return `${reply.status} ${JSON.stringify(reply.fields)} ${JSON.stringify(reply.body.slice(0, 80))}`;
}

for (const adapter of ADAPTERS) {
  describe(`${adapter} adapter on a real server`, () => {
    const servers = new Map<ServerKind, Running>();
    const reasons: string[] = [];
    beforeAll(async () => {
      for (const kind of Object.keys(SERVER_OPTIONS) as ServerKind[]) {
        const o = SERVER_OPTIONS[kind];
        // Half the adapters get the init object, half the compiled policy: both must work.
        const policy = adapter === 'node' || adapter === 'hono' ? compiled : POLICY;
        servers.set(
          kind,
          await start(adapter, {
            policy,
            adapter: { ...o.adapter, onDecision: (d: CorsDecision) => void reasons.push(d.reason) },
            ...(o.maxHeaderSize === undefined ? {} : { maxHeaderSize: o.maxHeaderSize }),
          }),
        );
      }
    });
    afterAll(async () => {
      for (const s of servers.values()) await s.close();
    });

    for (const row of ROWS) {
      const exception = row.except?.[adapter];
      const want: Want = { ...row.want, ...exception?.want };
      const title = exception === undefined ? row.desc : `${row.desc} (differs: ${exception.why})`;
      it(title, async () => {
        const kind = row.server ?? 'standard';
        const server = servers.get(kind) as Running;
        const out = row.req(server.port);
        const before = reasons.length;
        const reply = await (row.client === 'socket' ? viaSocket : viaFetch)(server.port, out);
        const at = `${adapter} ${kind}: ${out.method} ${out.path}`;
        const shown = describeReply(reply);

        expect(reply.status, `${at}: status: got ${reply.status}; want ${want.status} (${shown})`).toBe(want.status);
        const reached = header(reply, 'x-app') === 'reached';
        expect(reached, `${at}: application reached: got ${reached}; want ${want.reached} (${shown})`).toBe(want.reached);
        const reason = reasons.length > before ? (reasons[reasons.length - 1] ?? null) : null;
        expect(reasons.length - before, `${at}: onDecision calls: got ${reasons.length - before}; want ${want.reason === null ? 0 : 1}`).toBe(
          want.reason === null ? 0 : 1,
        );
        expect(reason, `${at}: reason: got ${reason}; want ${want.reason}`).toBe(want.reason);
        const acao = header(reply, 'access-control-allow-origin');
        expect(acao, `${at}: access-control-allow-origin: got ${acao}; want ${want.acao} (${shown})`).toBe(want.acao);
        if (want.body !== undefined) {
          expect(reply.body, `${at}: body: got ${JSON.stringify(reply.body)}; want ${JSON.stringify(want.body)}`).toBe(want.body);
        }

        if (want.reason !== null && !(exception !== undefined && exception.want.acao === null)) {
          // Every header of the decision is on the response, as decide gives it.
          const own = kind === 'public' ? 'https://api.example.com' : `http://127.0.0.1:${server.port}`;
          const decision = expectedDecision(out, kind === 'proxy' && out.headers.some(([k]) => k === 'X-Forwarded-Proto') ? forwardedOwn(out) : own);
          expect(decision.reason, `${at}: decide(...) for the same request: got ${decision.reason}; want ${want.reason}`).toBe(want.reason);
          for (const [name, value] of Object.entries(decision.headers)) {
            if (name === 'vary') continue;
            const got = header(reply, name);
            expect(got, `${at}: ${name}: got ${got}; want ${value} (the decision's)`).toBe(value);
          }
          const members = varyMembers(reply);
          for (const m of (decision.headers['vary'] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
            expect(members.filter((x) => x === m).length, `${at}: vary member ${m} in ${JSON.stringify(members)}: want once`).toBe(1);
          }
          if (!decision.allowed) {
            const cors = Object.keys(reply.fields).filter((k) => k.startsWith('access-control-allow-'));
            expect(cors, `${at}: denied, yet access-control-allow-* sent: got ${JSON.stringify(cors)}; want none`).toEqual([]);
          }
        }
        if (want.vary !== undefined) {
          const members = varyMembers(reply);
          for (const m of want.vary) {
            expect(members.filter((x) => x === m).length, `${at}: vary ${JSON.stringify(members)}: got member ${m} ${members.filter((x) => x === m).length} times; want once`).toBe(1);
          }
          const dup = members.filter((m, i) => members.indexOf(m) !== i);
          expect(dup, `${at}: vary ${JSON.stringify(members)}: duplicated members`).toEqual([]);
        }
      });
    }
  });
}

function forwardedOwn(out: Outgoing): string {
  const get1 = (n: string) => (out.headers.find(([k]) => k === n)?.[1] ?? '').split(',')[0]?.trim() ?? '';
  return `${get1('X-Forwarded-Proto')}://${get1('X-Forwarded-Host')}`;
}
