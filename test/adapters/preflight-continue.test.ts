// `preflight: 'continue'` on every adapter, over real servers (127.0.0.1, ephemeral ports): a
// preflight gets the decision's headers and goes on to the application, which answers it. The
// same requests under the default `'answer'` show the difference (corset answers, the application
// is never reached). A denied preflight goes on as well, without any access-control-allow-*
// header, so the browser's CORS check fails whatever the application answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, start } from './servers.js';
import type { AdapterName, Running } from './servers.js';
import { header, viaFetch } from './http-client.js';
import type { Reply } from './http-client.js';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import type { CorsDecision } from '../../src/types.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
const policy = compilePolicy({ origins: [APP], methods: ['PUT'], allowHeaders: ['x-token'], maxAge: 60 });

function preflight(port: number, path: string, origin: string): Promise<Reply> {
  return viaFetch(port, {
    method: 'OPTIONS',
    path,
    headers: [
      ['Origin', origin],
      ['Access-Control-Request-Method', 'PUT'],
      ['Access-Control-Request-Headers', 'x-token'],
    ],
  });
}

/** What each application answers to an OPTIONS on /items, where it declares no OPTIONS route. */
const NO_OPTIONS_ROUTE: Record<AdapterName, { status: number; why: string }> = {
  node: { status: 404, why: 'the application falls through to its 404' },
  express: { status: 200, why: "Express's router answers OPTIONS itself with Allow" },
  fastify: { status: 404, why: "Fastify's not-found handler" },
  hono: { status: 404, why: "Hono's not-found handler" },
  fetch: { status: 404, why: 'the handler falls through to its 404' },
};

describe.each(ADAPTERS)("preflight: 'continue' (%s)", (name) => {
  let cont: Running;
  let answer: Running;
  const seen: CorsDecision[] = [];
  beforeAll(async () => {
    cont = await start(name, { policy, adapter: { preflight: 'continue', onDecision: (d: CorsDecision) => seen.push(d) } });
    answer = await start(name, { policy });
  });
  afterAll(async () => {
    await cont.close();
    await answer.close();
  });

  it('an allowed preflight reaches the application, which answers it with the CORS headers set', async () => {
    const before = seen.length;
    const res = await preflight(cont.port, '/plain', APP);
    expect(res.status, `${name}: status`).toBe(200);
    expect(res.body, `${name}: body from the application`).toBe('plain-options');
    expect(header(res, 'x-app')).toBe('reached');
    const want = policy.decide({ method: 'OPTIONS', origin: APP, requestMethod: 'PUT', requestHeaders: 'x-token' });
    expect(want.kind).toBe('preflight');
    for (const [k, v] of Object.entries(want.headers)) {
      if (k === 'vary') for (const m of v.split(', ')) expect(header(res, 'vary')?.toLowerCase(), `${name}: vary has ${m}`).toContain(m);
      else expect(header(res, k), `${name}: ${k}`).toBe(v);
    }
    expect(seen.slice(before).map((d) => `${d.kind}/${d.allowed}`)).toEqual(['preflight/true']);
  });

  it('a denied preflight reaches the application too, with no access-control-allow-* header', async () => {
    const res = await preflight(cont.port, '/plain', EVIL);
    expect(res.status).toBe(200);
    expect(header(res, 'x-app')).toBe('reached');
    const allow = Object.keys(res.fields).filter((k) => k.startsWith('access-control-allow-'));
    expect(allow, `${name}: denied preflight headers`).toEqual([]);
    expect(header(res, 'vary')?.toLowerCase()).toContain('origin');
  });

  it(`a path without an OPTIONS route: the application's own answer (${NO_OPTIONS_ROUTE[name].why})`, async () => {
    const res = await preflight(cont.port, '/items', APP);
    expect(res.status, `${name}: ${NO_OPTIONS_ROUTE[name].why}`).toBe(NO_OPTIONS_ROUTE[name].status);
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
    if (name === 'express') expect(header(res, 'allow')).toContain('GET');
  });

  it("by default ('answer') corset answers the same preflight and the application never sees it", async () => {
    const res = await preflight(answer.port, '/plain', APP);
    expect(res.status).toBe(204);
    expect(header(res, 'x-app')).toBeNull();
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
    const denied = await preflight(answer.port, '/plain', EVIL);
    expect(denied.status).toBe(403);
    expect(header(denied, 'x-app')).toBeNull();
  });

  it('actual requests are unchanged', async () => {
    const res = await viaFetch(cont.port, { method: 'GET', path: '/items', headers: [['Origin', APP]] });
    expect(res.status).toBe(200);
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
  });
});
