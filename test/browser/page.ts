// The pages the real-browser suite loads. Each imports a built browser bundle, asks it for its
// prediction (planFetch, then checkPreflight/checkResponse against the answers the server will
// give), and then performs the real fetch(). Plain JavaScript: it runs in Chromium as served.

/** In-page runner: `window.runScenario(input)` returns the predictions and what really happened. */
export const RUNNER = String.raw`
const ACRM = 'access-control-request-method';
const ACRH = 'access-control-request-headers';

function fill(headers, plan) {
  const pre = plan.preflight ? plan.preflight.headers : {};
  return headers.map(([n, v]) => [n, v.replace('{{acrm}}', pre[ACRM] || '').replace('{{acrh}}', pre[ACRH] || '')]);
}

// A response as the page's prediction sees it: a plain record when no name repeats (values may
// carry the server's whitespace), a Headers object (which joins repeats with ", ") when one does.
function asResponse(res, plan) {
  const list = fill(res.headers, plan);
  const lower = list.map(([n]) => n.toLowerCase());
  const repeated = lower.some((n, i) => lower.indexOf(n) !== i);
  if (repeated) {
    const h = new Headers();
    for (const [n, v] of list) h.append(n, v);
    return { status: res.status, headers: h };
  }
  return { status: res.status, headers: Object.fromEntries(list) };
}

function predict(corset, input, profile) {
  const plan = corset.planFetch(self.origin, Object.assign({ url: input.url }, input.init), { profile });
  const pre = plan.needsPreflight ? corset.checkPreflight(plan, asResponse(input.preflight, plan)) : null;
  const rc = corset.checkResponse(plan, asResponse(input.response, plan));
  const preflightPassed = pre === null || pre.ok;
  const sent = plan.error === null && preflightPassed;
  const resolved = sent && rc.ok;
  return {
    error: plan.error,
    sameOrigin: plan.sameOrigin,
    sameSite: plan.sameSite,
    preflight: plan.needsPreflight,
    preflightReasons: plan.preflightReasons,
    preflightHeaders: plan.preflight ? plan.preflight.headers : null,
    actualSent: sent,
    resolved,
    type: resolved ? rc.type : null,
    exposed: resolved ? rc.exposedHeaders : null,
    reason: plan.error !== null ? plan.error : !preflightPassed ? pre.reason : rc.reason,
  };
}

self.runScenario = async (input) => {
  const corset = self.corsetBundles[input.bundle];
  const predictions = {};
  for (const profile of ['spec', 'chromium']) predictions[profile] = predict(corset, input, profile);
  let reality;
  try {
    const res = await fetch(input.url, input.init);
    reality = { resolved: true, type: res.type, exposed: [...res.headers.keys()] };
    await res.text().catch(() => '');
  } catch (e) {
    reality = { resolved: false, error: String(e && e.message) };
  }
  return { predictions, reality };
};
`;

function pageHtml(bundles: Record<string, string>, extraHead = ''): string {
  const imports = Object.entries(bundles)
    .map(([name, file], i) => `import * as b${i} from '/bundle/${file}'; self.corsetBundles[${JSON.stringify(name)}] = b${i};`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8">${extraHead}</head><body>
<script type="module">
self.corsetBundles = {};
${imports}
${RUNNER}
self.corsetReady = true;
</script>
BODY
</body></html>`;
}

/** The main page (a tuple origin) with a sandboxed iframe (an opaque origin) inside it. */
export function mainPage(bundles: Record<string, string>): string {
  return pageHtml(bundles).replace('BODY', '<iframe sandbox="allow-scripts" src="/sandbox.html"></iframe>');
}

/** The sandboxed frame's document: same runner, opaque origin (`self.origin === 'null'`). */
export function sandboxPage(bundles: Record<string, string>): string {
  return pageHtml(bundles).replace('BODY', '');
}

/**
 * A page where WebAssembly cannot run: the bundle is loaded only after `WebAssembly` is removed
 * from the global object, and the page's CSP (served with it) has no 'wasm-unsafe-eval' either.
 */
export function noWasmPage(bundles: Record<string, string>): string {
  const imports = Object.entries(bundles)
    .map(([name, file]) => `self.corsetBundles[${JSON.stringify(name)}] = await import('/bundle/${file}');`)
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"></head><body>
<script type="module">
delete globalThis.WebAssembly;
self.corsetBundles = {};
try {
${imports}
self.corsetReady = true;
} catch (e) { self.corsetError = String(e && e.stack || e); }
</script>
</body></html>`;
}
