// compiledCors from corset-cors/hono: the `cors` middleware for a compiled policy (what a small
// Worker imports beside loadPolicy). It answers as `cors` does for the same policy (a table of
// requests through Hono's app.request), and refuses anything but a compiled policy at setup.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { compiledCors, cors } from '../src/adapters/hono.js';
import { loadPolicy } from '../src/edge/index.js';
import { compilePolicy, exportPolicy, type CorsPolicyInit } from '../src/index.js';

const init: CorsPolicyInit = {
  origins: ['https://app.example.com', 'https://*.preview.example.com'],
  credentials: true,
  methods: ['GET', 'PUT'],
  allowHeaders: ['content-type'],
  exposeHeaders: ['x-request-id'],
  maxAge: 600,
};

function app(middleware: ReturnType<typeof cors>): Hono {
  const a = new Hono();
  a.use(middleware);
  a.get('/items', (c) => c.text('items', 200, { vary: 'Accept-Encoding' }));
  return a;
}

const rows: { desc: string; method: string; headers: Record<string, string> }[] = [
  { desc: 'allowed preflight', method: 'OPTIONS', headers: { origin: 'https://pr-2.preview.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' } },
  { desc: 'denied preflight method', method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'DELETE' } },
  { desc: 'denied preflight origin', method: 'OPTIONS', headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'PUT' } },
  { desc: 'allowed actual', method: 'GET', headers: { origin: 'https://app.example.com' } },
  { desc: 'denied actual', method: 'GET', headers: { origin: 'https://preview.example.com' } },
  { desc: 'no Origin', method: 'GET', headers: {} },
  { desc: 'non-canonical Origin', method: 'GET', headers: { origin: 'https://APP.example.com' } },
];

describe('compiledCors (corset-cors/hono)', () => {
  const reference = app(cors(init));
  for (const [name, policy] of [['loadPolicy(exportPolicy(init))', loadPolicy(JSON.parse(JSON.stringify(exportPolicy(init))))], ['compilePolicy(init)', compilePolicy(init)]] as const) {
    it(`given ${name}, answers every row as cors(init)`, async () => {
      const subject = app(compiledCors(policy));
      for (const row of rows) {
        const [got, want] = await Promise.all([subject, reference].map(async (a) => {
          const r = await a.request('https://api.example.com/items', { method: row.method, headers: row.headers });
          const headers: Record<string, string> = {};
          r.headers.forEach((value, key) => {
            headers[key] = value;
          });
          return { status: r.status, headers, body: await r.text() };
        }));
        expect(got, row.desc).toEqual(want);
      }
    });
  }

  it('refuses a CorsPolicyInit and non-objects at setup (TypeError)', () => {
    expect(() => compiledCors(init as never)).toThrow(TypeError);
    expect(() => compiledCors(init as never)).toThrow(/compiledCors\(policy\) from corset-cors\/hono takes a compiled policy .* a CorsPolicyInit needs cors\(policy\), which carries the validator/);
    expect(() => compiledCors(null as never)).toThrow(/got null$/);
    expect(() => compiledCors('https://app.example.com' as never)).toThrow(TypeError);
  });
});
