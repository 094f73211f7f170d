// corset-cors/node keeps `Vary: origin` however the application writes its headers afterwards:
// setHeader, writeHead with an object, writeHead with a reason and a flat array, or both, and
// Express's res.vary(). Real node:http server on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { cors } from '../../src/adapters/node.js';
import { closeServer } from './servers.js';
import { header, viaFetch } from './http-client.js';

const APP = 'https://app.example.com';
const POLICY = { origins: [APP] };

type Writer = (res: http.ServerResponse) => void;
const rows: { desc: string; write: Writer; want: string[] }[] = [
  { desc: 'nothing about Vary', write: (res) => res.end('x'), want: ['origin'] },
  { desc: 'setHeader after corset', write: (res) => (res.setHeader('Vary', 'Accept'), res.end('x')), want: ['accept', 'origin'] },
  { desc: 'setHeader with an array', write: (res) => (res.setHeader('Vary', ['Accept', 'Cookie']), res.end('x')), want: ['accept', 'cookie', 'origin'] },
  { desc: 'writeHead(status, object)', write: (res) => (res.writeHead(200, { Vary: 'Accept' }), res.end('x')), want: ['accept', 'origin'] },
  { desc: 'writeHead(status, reason, flat array)', write: (res) => (res.writeHead(200, 'Fine', ['Vary', 'Accept', 'X-Other', '1']), res.end('x')), want: ['accept', 'origin'] },
  { desc: 'writeHead with Vary: ORIGIN in another case', write: (res) => (res.writeHead(200, { vary: 'ORIGIN' }), res.end('x')), want: ['origin'] },
  { desc: 'Vary: * stays *', write: (res) => (res.setHeader('Vary', '*'), res.end('x')), want: ['*'] },
  { desc: 'removeHeader then end', write: (res) => (res.removeHeader('Vary'), res.end('x')), want: ['origin'] },
  { desc: 'flushHeaders', write: (res) => (res.setHeader('Vary', 'Accept'), res.flushHeaders(), res.end('x')), want: ['accept', 'origin'] },
];

describe('corset-cors/node keeps Vary through the application', () => {
  let server: http.Server;
  let port = 0;
  const handle = cors(POLICY);
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (handle(req, res)) return;
      const row = rows[Number(req.url?.slice(1))];
      if (row === undefined) return void res.end();
      row.write(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => closeServer(server));

  rows.forEach(({ desc, want }, i) => {
    it(desc, async () => {
      const reply = await viaFetch(port, { method: 'GET', path: `/${i}`, headers: [['Origin', APP]] });
      const got = (header(reply, 'vary') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      expect(got, `${desc}: vary: got ${JSON.stringify(got)}; want ${JSON.stringify(want)}`).toEqual(want);
      expect(reply.status, `${desc}: status`).toBe(200);
      expect(header(reply, 'access-control-allow-origin'), `${desc}: access-control-allow-origin`).toBe(APP);
    });
  });

  it('an odd-length header array is still refused as Node refuses it', async () => {
    const s = http.createServer((req, res) => {
      if (handle(req, res)) return;
      let message = '';
      try {
        res.writeHead(200, ['Vary'] as unknown as string[]);
      } catch (err) {
        message = (err as { code?: string }).code ?? 'thrown';
      }
      res.end(message);
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const p = (s.address() as AddressInfo).port;
    const reply = await viaFetch(p, { method: 'GET', path: '/', headers: [['Origin', APP]] });
    await closeServer(s);
    expect(reply.body, `writeHead(200, ['Vary']): got ${JSON.stringify(reply.body)}; want ERR_INVALID_ARG_VALUE`).toBe('ERR_INVALID_ARG_VALUE');
  });

  it("Express res.vary() after corset: one origin, the application's name kept", async () => {
    const app = express();
    app.use(cors(POLICY));
    app.get('/', (_req, res) => {
      res.vary('Accept-Encoding').vary('Origin').send('ok');
    });
    const s = http.createServer(app);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const p = (s.address() as AddressInfo).port;
    const reply = await viaFetch(p, { method: 'GET', path: '/', headers: [['Origin', APP]] });
    await closeServer(s);
    const got = (header(reply, 'vary') ?? '').split(',').map((x) => x.trim().toLowerCase());
    expect(got, `vary: got ${JSON.stringify(got)}; want ["origin","accept-encoding"]`).toEqual(['origin', 'accept-encoding']);
  });

  it('the handler answers true for a preflight and false otherwise, and calls next only when false', () => {
    const calls: string[] = [];
    const fakeSocket = { encrypted: false };
    const mk = (method: string, headers: Record<string, string>) =>
      Object.assign(Object.create(http.IncomingMessage.prototype) as http.IncomingMessage, { method, headers, socket: fakeSocket });
    const mkRes = () => new http.ServerResponse(mk('GET', {}));
    const pre = handle(mk('OPTIONS', { origin: APP, 'access-control-request-method': 'GET', host: 'x' }), mkRes(), () => calls.push('next-pre'));
    const act = handle(mk('GET', { origin: APP, host: 'x' }), mkRes(), () => calls.push('next-act'));
    expect([pre, act, calls], 'handle(preflight), handle(actual): got; want [true, false, ["next-act"]]').toEqual([true, false, ['next-act']]);
  });
});

describe('corset-cors/node answers a preflight with headers an earlier layer set', () => {
  // The answer goes out through writeHead with a raw array when no Vary is set yet, else through
  // setHeader with Vary merged: both keep the earlier layer's other headers, and the decision's
  // replace any of the same name.
  const rows: { desc: string; before: [string, string][]; want: Record<string, string> }[] = [
    { desc: 'nothing set before', before: [], want: { 'access-control-allow-origin': APP, 'x-request-id': '' } },
    { desc: 'another header set before', before: [['X-Request-Id', '7']], want: { 'access-control-allow-origin': APP, 'x-request-id': '7' } },
    { desc: 'the same header set before', before: [['Access-Control-Allow-Origin', '*'], ['X-Request-Id', '8']], want: { 'access-control-allow-origin': APP, 'x-request-id': '8' } },
    { desc: 'Vary set before', before: [['Vary', 'Accept'], ['X-Request-Id', '9']], want: { 'access-control-allow-origin': APP, 'x-request-id': '9', vary: 'Accept, origin, access-control-request-method, access-control-request-headers, access-control-request-private-network' } },
  ];
  for (const { desc, before, want } of rows) {
    it(desc, async () => {
      const handle = cors({ ...POLICY, methods: ['PUT'] });
      const s = http.createServer((req, res) => {
        for (const [k, v] of before) res.setHeader(k, v);
        if (!handle(req, res)) res.end('not answered');
      });
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      const p = (s.address() as AddressInfo).port;
      const reply = await viaFetch(p, { method: 'OPTIONS', path: '/', headers: [['Origin', APP], ['Access-Control-Request-Method', 'PUT']] });
      await closeServer(s);
      expect(reply.status, `${desc}: status`).toBe(204);
      expect(header(reply, 'access-control-allow-methods'), `${desc}: access-control-allow-methods`).toBe('PUT');
      for (const [name, value] of Object.entries(want)) expect(header(reply, name) ?? '', `${desc}: ${name}`).toBe(value);
    });
  }
});
