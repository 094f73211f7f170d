// The Deno / Bun / Node server of the runtime tests: app.mjs on 127.0.0.1 at an ephemeral port;
// prints one JSON line `{ "port": N }` once it listens. Node serves it through @hono/node-server
// (run with `--conditions=worker`, so the app gets the package's dist/web build).
import { handler } from './app.mjs';

const onListen = (port) => console.log(JSON.stringify({ port }));
if (typeof Deno !== 'undefined') {
  Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => onListen(port) }, handler);
} else if (typeof Bun !== 'undefined') {
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler });
  onListen(server.port);
} else if (typeof process !== 'undefined' && process.release?.name === 'node') {
  const { serve } = await import('@hono/node-server');
  serve({ fetch: handler, hostname: '127.0.0.1', port: 0 }, (info) => onListen(info.port));
} else {
  throw new Error('server.mjs runs under Deno, Bun or Node');
}
