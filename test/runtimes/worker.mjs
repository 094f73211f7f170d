// The workerd Worker of the runtime tests: app.mjs as a module Worker, bundled by esbuild with the
// conditions wrangler uses (workerd, worker, browser).
import { handler } from './app.mjs';

export default { fetch: handler };
