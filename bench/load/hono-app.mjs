// The load test's Hono app (bench/load.mjs), the same under @hono/node-server, Deno and Bun:
// variant none (no CORS), peer (hono/cors), corset (corset-cors/hono, the built dist/hono.js) or
// floor (the same answers hand-written: floorCors in policy.mjs),
// answering every method on / with 200 `ok`.
import { BODY, CORSET_POLICY, HONO_CORS_OPTIONS, floorCors } from './policy.mjs';

export async function honoApp(variant) {
  const { Hono } = await import('hono');
  const app = new Hono();
  if (variant === 'corset') {
    const { cors } = await import('../../dist/hono.js');
    app.use(cors(CORSET_POLICY));
  } else if (variant === 'peer') {
    const { cors } = await import('hono/cors');
    app.use(cors(HONO_CORS_OPTIONS));
  } else if (variant === 'floor') {
    app.use(async function floorHono(c, next) {
      const { preflight, headers } = floorCors(c.req.method, c.req.header('origin'), c.req.header('access-control-request-method'));
      for (const [name, value] of headers) c.header(name, value);
      if (preflight) return c.body(null, 204);
      await next();
    });
  } else if (variant !== 'none') throw new Error(`load servers: no variant ${variant} for hono`);
  app.all('/', (c) => c.text(BODY));
  return app;
}
