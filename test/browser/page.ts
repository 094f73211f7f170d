// The pages the real-browser suite loads. Each imports the built browser bundles, asks them for
// their prediction (planFetch, then checkPreflight / checkRedirect / checkResponse against the
// answers the servers will give, a PreflightCache for a repeat fetch), and then performs the real
// fetch(). Plain JavaScript, run as served, in every engine. A scenario from the sandboxed
// (opaque-origin) frame is relayed to it with postMessage, so a driver only ever talks to the
// main frame.

/**
 * The prediction half of the runner: pure functions of the bundle, the scenario input and the
 * clock (`now`, passed in), reading only `self.origin`, `location.href` and `Headers`. The page runs
 * it before each real fetch; test/precheck-replay.test.ts runs the same text in Node against the
 * recordings (test/browser/recordings/), with those three given and a fake clock.
 */
export const PREDICTOR = String.raw`
const ACRM = 'access-control-request-method';
const ACRH = 'access-control-request-headers';
const NORMALISED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];

function fill(headers, plan) {
  const pre = plan && plan.preflight ? plan.preflight.headers : {};
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

function normaliseMethod(m) {
  return NORMALISED.includes(String(m).toUpperCase()) ? String(m).toUpperCase() : String(m);
}

// One fetch as the profile predicts it: the requests that reach the servers (hop by hop: the
// preflight, if any, then the request), and what fetch() gives the page.
function predictFetch(corset, profile, input, init, cache, now) {
  const options = { profile };
  if (cache) { options.cache = cache; options.now = now; }
  let plan = corset.planFetch(self.origin, Object.assign({ url: input.url }, init), options);
  const first = plan;
  const trace = [];
  let method = normaliseMethod(init.method === undefined ? 'GET' : init.method);
  let hop = 0;
  let tainted = false;
  let current = input.url;
  const crossOrigin = () => {
    try { return self.origin === 'null' || new URL(current, location.href).origin !== self.origin; } catch { return true; }
  };
  const out = (o) => Object.assign({
    error: first.error, sameOrigin: first.sameOrigin, sameSite: first.sameSite, preflightReasons: first.preflightReasons,
    cacheUse: first.preflightCache, trace, resolved: false, type: null, exposed: null, status: null, reason: 'ok', tainted,
  }, o);
  if (plan.error !== null) return out({ reason: plan.error });
  for (;;) {
    const step = input.chain[Math.min(hop, input.chain.length - 1)];
    if (plan.needsPreflight) {
      const h = plan.preflight.headers;
      const entry = { hop, kind: 'preflight', method: 'OPTIONS', acrm: h[ACRM], acrh: h[ACRH] === undefined ? null : h[ACRH], origin: h.origin };
      if (plan.preflightCache === 'maybe') entry.maybe = true;
      trace.push(entry);
      const pre = corset.checkPreflight(plan, asResponse(step.preflight, plan));
      if (!pre.ok) return out({ reason: pre.reason });
      if (cache) cache.record(plan, asResponse(step.preflight, plan), now);
    }
    trace.push({ hop, kind: 'actual', method, origin: crossOrigin() && init.mode !== 'no-cors' ? (tainted || self.origin === 'null' ? 'null' : self.origin) : undefined });
    const res = asResponse(step.response, plan);
    if (typeof corset.checkRedirect !== 'function') {
      const rc = corset.checkResponse(plan, res);
      return out(rc.ok ? { resolved: true, type: rc.type, exposed: rc.exposedHeaders, status: step.response.status, reason: 'ok' } : { reason: rc.reason });
    }
    const r = corset.checkRedirect(plan, res);
    if (r.kind === 'follow') {
      plan = r.plan;
      current = r.url;
      if (r.methodChanged) method = 'GET';
      tainted = tainted || r.taintedOrigin;
      hop++;
      continue;
    }
    if (r.kind === 'opaque-redirect') return out({ resolved: true, type: 'opaqueredirect', exposed: [], status: 0 });
    if (r.kind === 'error') return out({ reason: r.reason });
    const rc = r.response;
    const opaque = rc.type === 'opaque';
    return out(rc.ok ? { resolved: true, type: rc.type, exposed: rc.exposedHeaders, status: opaque ? 0 : step.response.status } : { reason: rc.reason });
  }
}

// The fetches of a scenario: its init, and the repeat's over it.
function fetchInits(input) {
  return [input.init].concat(input.repeat ? [Object.assign({}, input.init, input.repeat.init || {})] : []);
}

// One fetch predicted with every profile of the input, at now; caches (one PreflightCache per
// profile, made here for a repeat) is carried from one fetch of the scenario to the next.
function predictEach(corset, input, init, caches, now) {
  const predictions = {};
  for (const profile of input.profiles) {
    if (input.repeat && !caches[profile]) caches[profile] = new corset.PreflightCache({ profile });
    predictions[profile] = predictFetch(corset, profile, input, init, caches[profile], now);
  }
  return predictions;
}
`;

/** In-page runner: `self.runScenario(input)` returns the predictions and what really happened. */
export const RUNNER = String.raw`${PREDICTOR}
async function realFetch(url, init) {
  try {
    const res = await fetch(url, init);
    const reality = { resolved: true, type: res.type, exposed: [...res.headers.keys()], status: res.status, redirected: res.redirected };
    await res.text().catch(() => '');
    return reality;
  } catch (e) {
    return { resolved: false, error: String(e && e.message) };
  }
}

async function announce(input, k) {
  // Tell the servers which fetch of the scenario comes next (the log files requests under it).
  await fetch('/mark?id=' + input.id + '&fetch=' + k, { cache: 'no-store' }).then((r) => r.text());
}

async function runHere(input) {
  const corset = self.corsetBundles[input.bundle];
  const caches = {};
  const inits = fetchInits(input);
  const fetches = [];
  for (let k = 0; k < inits.length; k++) {
    if (k > 0 && input.repeat.waitMs) await new Promise((r) => setTimeout(r, input.repeat.waitMs));
    const predictions = predictEach(corset, input, inits[k], caches, Date.now());
    await announce(input, k);
    const reality = await realFetch(input.url, inits[k]);
    fetches.push({ predictions, reality });
  }
  return fetches;
}

let relaySeq = 0;
const pending = new Map();
self.addEventListener('message', async (e) => {
  const d = e.data;
  if (d && d.corsetRun && window.parent !== window && e.source === window.parent) {
    const result = await runHere(d.input).catch((err) => ({ error: String(err && err.stack || err) }));
    window.parent.postMessage({ corsetResult: true, seq: d.seq, result }, '*');
  } else if (d && d.corsetResult && pending.has(d.seq)) {
    pending.get(d.seq)(d.result);
    pending.delete(d.seq);
  }
});

// Many scenarios in one call (one driver round trip), in order; a failure is reported per scenario.
self.runScenarios = async (inputs) => {
  const out = [];
  for (const input of inputs) out.push(await self.runScenario(input).catch((err) => ({ error: String(err && err.stack || err) })));
  return out;
};

self.runScenario = (input) => {
  if (input.from !== 'sandbox') return runHere(input);
  const frame = document.querySelector('iframe');
  const seq = ++relaySeq;
  return new Promise((resolve) => {
    pending.set(seq, resolve);
    frame.contentWindow.postMessage({ corsetRun: true, seq, input }, '*');
  });
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
READY
</script>
BODY
</body></html>`;
}

/** The main page (a tuple origin) with a sandboxed iframe (an opaque origin) inside it; ready once the frame is. */
export function mainPage(bundles: Record<string, string>): string {
  const ready = `const frame = document.querySelector('iframe');
const frameReady = () => new Promise((resolve) => {
  const ask = () => { try { frame.contentWindow.postMessage({ corsetPing: true }, '*'); } catch {} };
  self.addEventListener('message', (e) => { if (e.data && e.data.corsetPong) resolve(); });
  ask(); const t = setInterval(ask, 50); frameReady.stop = () => clearInterval(t);
});
frameReady().then(() => { frameReady.stop(); self.corsetReady = true; });`;
  return pageHtml(bundles).replace('READY', ready).replace('BODY', '<iframe sandbox="allow-scripts" src="/sandbox.html"></iframe>');
}

/** The sandboxed frame's document: same runner, opaque origin (`self.origin === 'null'`). */
export function sandboxPage(bundles: Record<string, string>): string {
  const ready = `self.addEventListener('message', (e) => { if (e.data && e.data.corsetPing) window.parent.postMessage({ corsetPong: true }, '*'); });
self.corsetReady = true;`;
  return pageHtml(bundles).replace('READY', ready).replace('BODY', '');
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
