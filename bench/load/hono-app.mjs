// The load test's Hono app (bench/load.mjs), the same under @hono/node-server, Deno and Bun:
// variant none (no CORS), peer (hono/cors) or corset (corset-cors/hono, the built dist/hono.js),
// answering every method on / with 200 `ok`.
import { BODY, CORSET_POLICY, HONO_CORS_OPTIONS } from './policy.mjs';

export async function honoApp(variant) {
  const { Hono } = await import('hono');
  const app = new Hono();
  if (variant === 'corset') {
    const { cors } = await import('../../dist/hono.js');
    app.use(cors(CORSET_POLICY));
  } else if (variant === 'peer') {
    const { cors } = await import('hono/cors');
    app.use(cors(HONO_CORS_OPTIONS));
  } else if (variant !== 'none') throw new Error(`load servers: no variant ${variant} for hono`);
  app.all('/', (c) => c.text(BODY));
  return app;
}
