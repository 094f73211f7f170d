// corset-cors/fetch and corset-cors/hono called with standard `Request`s, no server: what the real-server
// table cannot reach (immutable response headers, a response that cannot be copied, extra handler
// arguments, the Hono context in onDecision).
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { withCors } from '../../src/adapters/fetch.js';
import { cors as honoCors } from '../../src/adapters/hono.js';
import { emptyResponse, withDecisionHeaders } from '../../src/adapters/fetch-request.js';

const APP = 'https://app.example.com';
const POLICY = { origins: [APP] };
const req = (origin: string | null, init: RequestInit = {}) =>
  new Request('https://api.example.com/items', { ...init, headers: origin === null ? {} : { Origin: origin } });

describe('withDecisionHeaders', () => {
  const headers = { 'access-control-allow-origin': APP, vary: 'origin' };
  it('mutable headers: set in place', () => {
    const res = new Response('x', { headers: { Vary: 'Accept' } });
    const out = withDecisionHeaders(res, headers);
    expect([out === res, out.headers.get('vary'), out.headers.get('access-control-allow-origin')], 'in place').toEqual([true, 'Accept, origin', APP]);
  });
  it('immutable headers (Response.redirect): a copy with the headers, same status and location', () => {
    const res = Response.redirect('https://api.example.com/next', 307);
    const out = withDecisionHeaders(res, headers);
    expect(
      [out === res, out.status, out.headers.get('location'), out.headers.get('access-control-allow-origin')],
      'withDecisionHeaders(Response.redirect(...))',
    ).toEqual([false, 307, 'https://api.example.com/next', APP]);
  });
  it('a network error cannot be copied: returned unchanged', () => {
    const res = Response.error();
    const out = withDecisionHeaders(res, headers);
    expect(out === res, 'withDecisionHeaders(Response.error()): got a different response; want the same').toBe(true);
  });
});

/** A response's header fields, in order. */
function fields(res: Response): string[][] {
  const out: string[][] = [];
  res.headers.forEach((value, name) => out.push([name, value]));
  return out;
}

describe('emptyResponse (a template per frozen header record, cloned per request)', () => {
  const frozen = Object.freeze({ 'access-control-allow-origin': APP, vary: 'origin' });
  it('every call gets its own response: a change to one reaches neither the next nor the template', async () => {
    const first = emptyResponse(204, frozen);
    first.headers.set('x-app', 'mine');
    first.headers.set('vary', 'origin, accept');
    const second = emptyResponse(204, frozen);
    expect(
      [first === second, second.status, second.headers.get('x-app'), second.headers.get('vary'), second.headers.get('access-control-allow-origin'), await second.text()],
      'emptyResponse(204, same record) after the first response was changed',
    ).toEqual([false, 204, null, 'origin', APP, '']);
  });
  it('the same record with another status: that status, not the cached one', () => {
    emptyResponse(204, frozen);
    expect([emptyResponse(403, frozen).status, emptyResponse(204, frozen).status], 'statuses for one record').toEqual([403, 204]);
  });
  it('a record that is not frozen is read as it is now, never from a template', () => {
    const open: Record<string, string> = { 'access-control-allow-origin': APP };
    emptyResponse(204, open);
    open['access-control-allow-origin'] = 'https://other.example';
    expect(emptyResponse(204, open).headers.get('access-control-allow-origin'), 'after the record changed').toBe('https://other.example');
  });
  it('a frozen record: each response has headers of its own, and the status asked for', () => {
    const frozen = Object.freeze({ 'access-control-allow-origin': APP, vary: 'origin' });
    const a = emptyResponse(204, frozen);
    a.headers.set('x-later', '1');
    a.headers.delete('access-control-allow-origin');
    const b = emptyResponse(403, frozen);
    expect([b.status, fields(b)], 'the next response after the first was edited').toEqual([403, [['access-control-allow-origin', APP], ['vary', 'origin']]]);
    expect(emptyResponse(204, frozen).status, 'back to 204').toBe(204);
  });
  it('preflights answered through withCors and corset-cors/hono: one response each, equal headers', async () => {
    const preflight = () => new Request('https://api.example.com/', { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'GET' } });
    const h = withCors(POLICY, () => new Response('no'));
    const app = new Hono();
    app.use(honoCors(POLICY));
    for (const answer of [(r: Request) => h(r), (r: Request) => app.fetch(r)]) {
      const a = await answer(preflight());
      const b = await answer(preflight());
      expect([a === b, a.status, fields(a)], 'two preflights').toEqual([false, 204, fields(b)]);
      expect(a.headers.get('access-control-allow-origin'), 'allow-origin').toBe(APP);
    }
  });
});

describe('withCors', () => {
  it('passes extra arguments (a Worker’s env and ctx) to the handler', async () => {
    const seen: unknown[] = [];
    const h = withCors(POLICY, (_r: Request, env: { n: number }, ctx: string) => {
      seen.push(env.n, ctx);
      return new Response('ok');
    });
    const res = await h(req(APP), { n: 1 }, 'ctx');
    expect([seen, res.headers.get('access-control-allow-origin')], 'withCors(handler)(req, env, ctx)').toEqual([[1, 'ctx'], APP]);
  });
  it('a preflight does not call the handler', async () => {
    let called = false;
    const h = withCors(POLICY, () => ((called = true), new Response('no')));
    const res = await h(new Request('https://api.example.com/', { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'GET' } }));
    expect([res.status, called, await res.text()], 'preflight: [status, handler called, body]').toEqual([204, false, '']);
  });
  it('a handler that rejects: the rejection reaches the caller', async () => {
    const h = withCors(POLICY, async () => {
      throw new Error('boom');
    });
    await expect(h(req(APP))).rejects.toThrow('boom');
  });
  it('a handler returning a fetch-like immutable response still gets the headers', async () => {
    const h = withCors(POLICY, () => Response.redirect('https://api.example.com/x', 302));
    const res = await h(req(APP));
    expect([res.status, res.headers.get('access-control-allow-origin')], 'redirect response').toEqual([302, APP]);
  });
  it('onDecision receives the Request', async () => {
    const seen: unknown[] = [];
    const r = req(APP);
    const h = withCors(POLICY, () => new Response('ok'), { onDecision: (d, request) => seen.push(d.reason, request === r) });
    await h(r);
    expect(seen, 'onDecision(decision, request)').toEqual(['ok', true]);
  });
  const bad: { desc: string; call: () => unknown; error: RegExp }[] = [
    { desc: 'handler not a function', call: () => withCors(POLICY, 'x' as unknown as () => Response), error: /withCors\(handler\)/ },
    { desc: 'policy missing', call: () => withCors(undefined as unknown as typeof POLICY, () => new Response()), error: /withCors\(policy\)/ },
  ];
  for (const { desc, call, error } of bad) {
    it(`setup: ${desc} is a TypeError`, () => {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(error);
    });
  }
});

describe('corset-cors/hono', () => {
  it('onDecision receives the Context; an immutable response from the route gets the headers', async () => {
    const seen: unknown[] = [];
    const app = new Hono();
    app.use(honoCors(POLICY, { onDecision: (d, c) => seen.push(d.reason, typeof c.req.header === 'function') }));
    app.get('/r', () => Response.redirect('https://api.example.com/x', 302));
    const res = await app.request('https://api.example.com/r', { headers: { Origin: APP, Vary: 'x' } });
    expect(
      [seen, res.status, res.headers.get('access-control-allow-origin'), res.headers.get('vary')],
      'hono: [onDecision, status, acao, vary]',
    ).toEqual([['ok', true], 302, APP, 'origin']);
  });
  it('a route that sets Vary itself, answered through app.request', async () => {
    const app = new Hono();
    app.use(honoCors(POLICY));
    app.get('/v', (c) => c.text('v', 200, { Vary: 'Accept-Encoding' }));
    const res = await app.request('https://api.example.com/v', { headers: { Origin: APP } });
    expect(res.headers.get('vary'), 'vary').toBe('Accept-Encoding, origin');
  });
});
