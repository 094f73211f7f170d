// The adapters' public types, checked by `tsc -p test/tsconfig.json` (npm test type-checks the
// tests): each adapter fits its framework's slot without a cast, and wrong options are type errors.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { RequestHandler } from 'express';
import type { FastifyPluginCallback } from 'fastify';
import Fastify from 'fastify';
import type { MiddlewareHandler } from 'hono';
import { cors as nodeCors } from '../../src/adapters/node.js';
import type { NodeCorsHandler } from '../../src/adapters/node.js';
import corset from '../../src/adapters/fastify.js';
import type { FastifyCorsHook, FastifyCorsOptions, FastifyRouteCors, PreflightMode } from '../../src/adapters/fastify.js';
import { withCors } from '../../src/adapters/fetch.js';
import { cors as honoCors } from '../../src/adapters/hono.js';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import type { CorsDecision, CorsPolicy, CorsPolicyInit } from '../../src/types.js';

const init = { origins: ['https://app.example.com'] } as const;

describe('adapter types', () => {
  it('corset-cors/node is Express middleware and a node:http handler', () => {
    const handler = nodeCors(init);
    expectTypeOf(handler).toEqualTypeOf<NodeCorsHandler>();
    const asExpress: RequestHandler = handler;
    expectTypeOf(handler).returns.toEqualTypeOf<boolean>();
    // @ts-expect-error rejectDenied is a boolean
    expect(() => nodeCors(init, { rejectDenied: 'yes' })).toThrow(TypeError);
    expect(typeof asExpress, 'typeof cors(...)').toBe('function');
  });
  it('corset-cors/fastify registers with typed options, and request.corsDecision is typed', async () => {
    expectTypeOf(corset).toMatchTypeOf<FastifyPluginCallback<FastifyCorsOptions>>();
    const app = Fastify();
    await app.register(corset, { policy: compilePolicy(init), onDecision: (d, request) => void [d.reason, request.url] });
    app.get('/', async (request) => {
      expectTypeOf(request.corsDecision).toEqualTypeOf<CorsDecision | null>();
      return 'ok';
    });
    await app.ready();
    await app.close();
  });
  it('corset-cors/fastify: config.cors, hook and preflight are typed', async () => {
    const app = Fastify();
    await app.register(corset, { policy: init, hook: 'preHandler', preflight: 'continue' });
    // @ts-expect-error hook is 'onRequest' or 'preHandler'
    await expect(Fastify().register(corset, { policy: init, hook: 'onSend' })).rejects.toThrow(TypeError);
    // @ts-expect-error preflight is 'answer' or 'continue'
    expect(() => nodeCors(init, { preflight: 'skip' })).toThrow(TypeError);
    app.get('/off', { config: { cors: false } }, async () => 'off');
    app.get('/own', { config: { cors: { origins: ['https://partner.example.org'] } } }, async () => 'own');
    app.get('/compiled', { config: { cors: compilePolicy(init) } }, async () => 'compiled');
    // @ts-expect-error config.cors is false or a policy
    expect(() => app.get('/bad', { config: { cors: true } }, async () => 'bad')).toThrow(TypeError);
    expectTypeOf<FastifyRouteCors>().toEqualTypeOf<false | CorsPolicyInit | CorsPolicy>();
    expectTypeOf<FastifyCorsHook>().toEqualTypeOf<'onRequest' | 'preHandler'>();
    expectTypeOf<PreflightMode>().toEqualTypeOf<'answer' | 'continue'>();
    await app.close();
  });
  it('corset-cors/fetch keeps the handler’s extra arguments', () => {
    const h = withCors(init, (_req: Request, env: { KV: string }) => new Response(env.KV));
    expectTypeOf(h).parameters.toEqualTypeOf<[Request, { KV: string }]>();
    expectTypeOf(h).returns.toEqualTypeOf<Promise<Response>>();
    // @ts-expect-error the handler must return a Response
    expect(() => withCors(init, () => 'text')).not.toThrow();
  });
  it('corset-cors/hono is a MiddlewareHandler; onDecision receives the Context', () => {
    const mw = honoCors(init, { onDecision: (_d, c) => void c.req.path });
    expectTypeOf(mw).toEqualTypeOf<MiddlewareHandler>();
  });
});
