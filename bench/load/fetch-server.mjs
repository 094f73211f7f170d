// One Deno or Bun server of the load test (bench/load.mjs), under `Deno.serve` or `Bun.serve`:
//   deno run --allow-net=127.0.0.1 --allow-read=<repo> bench/load/fetch-server.mjs <framework> <variant>
//   bun run bench/load/fetch-server.mjs <framework> <variant>
// framework `fetch` (a bare Fetch handler; variants none, corset = corset-cors/fetch withCors) or
// `hono` (variants none, peer = hono/cors, corset = corset-cors/hono); both also `floor`, the
// same answers hand-written for this one policy (floorCors in policy.mjs). It imports the built files
// (dist/fetch.js, dist/hono.js) by path and hono from the repo's node_modules: nothing is fetched.
// Every variant answers every method on / with 200 `ok` (text/plain) unless CORS answered first.
// Listens on 127.0.0.1 at an ephemeral port and prints one line `{"port":N}` on stdout.
import { BODY, CORSET_POLICY, floorCors } from './policy.mjs';
import { honoApp } from './hono-app.mjs';

const args = typeof Deno !== 'undefined' ? Deno.args : process.argv.slice(2);
const [framework, variant] = args;

let handler;
if (framework === 'fetch') {
  const ok = () => new Response(BODY, { headers: { 'content-type': 'text/plain' } });
  if (variant === 'none') handler = ok;
  else if (variant === 'corset') {
    const { withCors } = await import('../../dist/fetch.js');
    handler = withCors(CORSET_POLICY, ok);
  } else if (variant === 'floor') {
    handler = (req) => {
      const { preflight, headers } = floorCors(req.method, req.headers.get('origin'), req.headers.get('access-control-request-method'));
      if (preflight) return new Response(null, { status: 204, headers });
      const res = ok();
      for (const [name, value] of headers) res.headers.set(name, value);
      return res;
    };
  } else throw new Error(`fetch-server: no variant ${variant} for fetch`);
} else if (framework === 'hono') {
  const app = await honoApp(variant);
  handler = app.fetch;
} else {
  throw new Error(`fetch-server: unknown framework ${framework}`);
}

const listening = (port) => console.log(JSON.stringify({ port }));
if (typeof Deno !== 'undefined') {
  Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => listening(port) }, handler);
} else if (typeof Bun !== 'undefined') {
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler });
  listening(server.port);
} else {
  throw new Error('fetch-server.mjs runs under Deno or Bun');
}
