// The Vary guard of corset-cors/node takes two paths: a response that reaches Node's
// http.ServerResponse.prototype.writeHead (plain node:http, Express, an Express sub-app) is only
// marked, and the prototype's writeHead, patched once, merges Vary for marked responses; any other
// response (its writeHead replaced before corset ran, an Http2 compatibility response) gets its
// own writeHead wrapper. Both keep `Vary: origin` however the application writes its headers, and a
// response corset never marked goes through the patched method unchanged. Real servers on
// 127.0.0.1, ephemeral ports.
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { cors } from '../../src/adapters/node.js';
import { closeServer } from './servers.js';

const APP = 'https://app.example.com';
const POLICY = { origins: [APP] };
const NODE_WRITE_HEAD = http.ServerResponse.prototype.writeHead;

interface Got {
  status: number;
  reason: string;
  vary: string[];
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(port: number, path: string, origin: string | null = APP): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: origin === null ? {} : { origin } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          reason: res.statusMessage ?? '',
          vary: varyList(res.headers.vary),
          headers: res.headers,
          body,
        }),
      );
    });
    req.on('error', reject);
  });
}

function varyList(v: string | string[] | undefined): string[] {
  const s = Array.isArray(v) ? v.join(',') : (v ?? '');
  return s
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
}

async function listen(server: http.Server | http2.Http2Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

type Writer = (res: http.ServerResponse) => void;
// How the application writes its head after corset ran, and the Vary members and reason expected.
const WRITERS: { desc: string; write: Writer; vary: string[]; reason: string; extra?: [string, string] }[] = [
  { desc: 'end() only', write: (res) => res.end('x'), vary: ['origin'], reason: 'OK' },
  { desc: 'setHeader(Vary) then end()', write: (res) => (res.setHeader('Vary', 'Accept-Encoding'), res.end('x')), vary: ['accept-encoding', 'origin'], reason: 'OK' },
  { desc: 'writeHead(200, object)', write: (res) => (res.writeHead(200, { Vary: 'Accept', 'X-Extra': 'o' }), res.end('x')), vary: ['accept', 'origin'], reason: 'OK', extra: ['x-extra', 'o'] },
  { desc: 'writeHead(200, array)', write: (res) => (res.writeHead(200, ['Vary', 'Cookie', 'X-Extra', 'a']), res.end('x')), vary: ['cookie', 'origin'], reason: 'OK', extra: ['x-extra', 'a'] },
  { desc: 'writeHead(200, reason, array)', write: (res) => (res.writeHead(200, 'Fine', ['Vary', 'Accept', 'X-Extra', 'r']), res.end('x')), vary: ['accept', 'origin'], reason: 'Fine', extra: ['x-extra', 'r'] },
  { desc: 'writeHead(200, reason, object)', write: (res) => (res.writeHead(200, 'Fine', { vary: 'Accept' }), res.end('x')), vary: ['accept', 'origin'], reason: 'Fine' },
  { desc: 'writeHead(200, reason)', write: (res) => (res.setHeader('Vary', 'Accept'), res.writeHead(200, 'Fine'), res.end('x')), vary: ['accept', 'origin'], reason: 'Fine' },
];

/** Adds `x-own-write-head: yes|no` (whether `res` carries its own writeHead) before the application writes. */
function own(res: http.ServerResponse): void {
  res.setHeader('x-own-write-head', Object.hasOwn(res, 'writeHead') ? 'yes' : 'no');
}

/** A library that wraps res.writeHead per response before corset runs (as on-headers does). */
function wrapWriteHead(res: http.ServerResponse): void {
  const previous = res.writeHead;
  res.writeHead = function wrapped(this: http.ServerResponse, ...args: unknown[]) {
    this.setHeader('x-wrapped', '1');
    return (previous as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as http.ServerResponse['writeHead'];
}

const SERVERS: { name: string; ownWriteHead: 'yes' | 'no'; make: () => http.Server }[] = [
  {
    name: 'node:http',
    ownWriteHead: 'no',
    make: () => {
      const handle = cors(POLICY);
      return http.createServer((req, res) => {
        if (handle(req, res)) return;
        own(res);
        (WRITERS[Number(req.url?.slice(1))] as (typeof WRITERS)[number]).write(res);
      });
    },
  },
  {
    name: 'Express, corset in the app, a mounted sub-app writes',
    ownWriteHead: 'no',
    make: () => {
      const app = express();
      const sub = express();
      app.use(cors(POLICY));
      sub.get('/:i', (req, res) => {
        own(res);
        (WRITERS[Number(req.params.i)] as (typeof WRITERS)[number]).write(res);
      });
      app.use('/sub', sub);
      return http.createServer(app);
    },
  },
  {
    name: 'Express, corset in a mounted sub-app',
    ownWriteHead: 'no',
    make: () => {
      const app = express();
      const sub = express();
      sub.use(cors(POLICY));
      sub.get('/:i', (req, res) => {
        own(res);
        (WRITERS[Number(req.params.i)] as (typeof WRITERS)[number]).write(res);
      });
      app.use('/sub', sub);
      return http.createServer(app);
    },
  },
  {
    name: 'node:http, writeHead wrapped by another library before corset (fallback)',
    ownWriteHead: 'yes',
    make: () => {
      const handle = cors(POLICY);
      return http.createServer((req, res) => {
        wrapWriteHead(res);
        if (handle(req, res)) return;
        own(res);
        (WRITERS[Number(req.url?.slice(1))] as (typeof WRITERS)[number]).write(res);
      });
    },
  },
];

describe('corset-cors/node Vary guard: the prototype path and the per-response fallback', () => {
  for (const s of SERVERS) {
    describe(s.name, () => {
      let server: http.Server;
      let port = 0;
      beforeAll(async () => {
        server = s.make();
        port = await listen(server);
      });
      afterAll(() => closeServer(server));
      const prefix = s.name.startsWith('Express') ? '/sub/' : '/';
      WRITERS.forEach((w, i) => {
        it(w.desc, async () => {
          const got = await get(port, `${prefix}${i}`);
          expect(got.status, `${w.desc}: status`).toBe(200);
          expect(got.vary, `${w.desc}: vary`).toEqual(w.vary);
          expect(got.reason, `${w.desc}: reason phrase`).toBe(w.reason);
          expect(got.headers['access-control-allow-origin'], `${w.desc}: access-control-allow-origin`).toBe(APP);
          expect(got.headers['x-own-write-head'], `${w.desc}: own writeHead on res`).toBe(s.ownWriteHead);
          if (w.extra !== undefined) expect(got.headers[w.extra[0]], `${w.desc}: ${w.extra[0]}`).toBe(w.extra[1]);
          if (s.ownWriteHead === 'yes') expect(got.headers['x-wrapped'], `${w.desc}: the earlier wrapper still ran`).toBe('1');
          expect(got.body).toBe('x');
        });
      });
    });
  }

  it('the prototype is patched once, by the first guarded response that reaches it', () => {
    // The servers above ran: Node's writeHead is replaced on the prototype, Express's response
    // prototypes inherit the replacement.
    expect(http.ServerResponse.prototype.writeHead, 'patched').not.toBe(NODE_WRITE_HEAD);
    expect(express.response.writeHead, 'Express inherits it').toBe(http.ServerResponse.prototype.writeHead);
  });

  it('a response corset never marked goes through the patched method unchanged', async () => {
    // Same process, prototype patched (the first server makes sure), a server without corset.
    const first = SERVERS[0]?.make() as http.Server;
    const p0 = await listen(first);
    await get(p0, '/0');
    await closeServer(first);
    expect(http.ServerResponse.prototype.writeHead, 'patched before the check').not.toBe(NODE_WRITE_HEAD);
    const plain = http.createServer((req, res) => {
      const symbols = Object.getOwnPropertySymbols(res).map((x) => x.description ?? '');
      res.setHeader('x-corset-fields', symbols.filter((d) => d.startsWith('corset')).join(',') || 'none');
      if (req.url === '/reason-array') res.writeHead(299, 'Custom', ['X-A', '1', 'X-B', '2']);
      else if (req.url === '/object') res.writeHead(201, { 'X-A': '1' });
      else if (req.url === '/vary') res.setHeader('Vary', 'Accept');
      res.end('x');
    });
    const p = await listen(plain);
    try {
      const ra = await get(p, '/reason-array');
      expect([ra.status, ra.reason, ra.headers['x-a'], ra.headers['x-b'], ra.headers.vary], 'writeHead(299, reason, array)').toEqual([299, 'Custom', '1', '2', undefined]);
      const ob = await get(p, '/object');
      expect([ob.status, ob.reason, ob.headers['x-a'], ob.headers.vary], 'writeHead(201, object)').toEqual([201, 'Created', '1', undefined]);
      const va = await get(p, '/vary');
      expect([va.status, va.headers.vary, va.headers['x-corset-fields']], "setHeader('Vary') without corset").toEqual([200, 'Accept', 'none']);
    } finally {
      await closeServer(plain);
    }
  });

  it('an Express response gets no property of corset (its mark is kept aside), and keeps Vary', async () => {
    // Express gives every response its prototype with Object.setPrototypeOf, so each response
    // has a hidden class of its own: a property added to it would build a new one per request.
    const app = express();
    const handle = cors(POLICY);
    app.use((req, res, next) => {
      const before = Reflect.ownKeys(res).length;
      handle(req, res, () => {
        res.setHeader('x-keys-added', String(Reflect.ownKeys(res).length - before));
        next();
      });
    });
    app.get('/', (_req, res) => {
      res.setHeader('Vary', 'Accept-Encoding');
      res.send('x');
    });
    const server = http.createServer(app);
    const port = await listen(server);
    try {
      const got = await get(port, '/');
      expect([got.headers['x-keys-added'], got.vary], 'own keys added, vary').toEqual(['0', ['accept-encoding', 'origin']]);
    } finally {
      await closeServer(server);
    }
  });

  it('an Http2 compatibility response (not a ServerResponse) keeps Vary through its own wrapper, marked with a field', async () => {
    const handle = cors(POLICY);
    const server = http2.createServer((req, res) => {
      const r = res as unknown as http.ServerResponse;
      if (handle(req as unknown as http.IncomingMessage, r)) return;
      res.setHeader('x-own-write-head', Object.hasOwn(res, 'writeHead') ? 'yes' : 'no');
      // Built by its own constructor, its hidden class shared: marked with a field, not in a WeakMap.
      res.setHeader('x-mark-field', Object.getOwnPropertySymbols(res).some((s) => s.description === 'corset.vary') ? 'yes' : 'no');
      res.setHeader('Vary', 'Accept-Encoding');
      res.end('x');
    });
    const port = await listen(server);
    const client = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const headers = await new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
        const req = client.request({ ':path': '/', origin: APP });
        req.on('response', (h) => resolve(h));
        req.on('error', reject);
        req.resume();
        req.end();
      });
      expect([varyList(headers.vary), headers['x-own-write-head'], headers['x-mark-field']], 'vary, own writeHead, mark field').toEqual([['accept-encoding', 'origin'], 'yes', 'yes']);
    } finally {
      client.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
