// The engine-independent half of the real-browser suite: the browser bundles (built into a temp
// folder), two loopback servers on ephemeral ports (the page's origin A, and B reached as
// 127.0.0.1 — same site — and as localhost — another site) that log every request reaching them,
// and the scenario loop: for each row of ./scenarios.ts, the page predicts each fetch with every
// profile, performs it, and the harness pairs the predictions with what the engine did (the
// requests the servers saw, hop by hop, and what fetch() gave the page). ./engines.test.ts runs it
// in each engine through a driver (./driver.ts); ./record.ts writes what each engine did to
// ./recordings/<engine>.json.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DriverSession, EngineName } from './driver.js';
import { mainPage, noWasmPage, sandboxPage } from './page.js';
import { listenRaw, sentHeaders, type RawRequest, type RawResponse } from './raw-server.js';
import { ALLOW_RESPONSE, type Scenario } from './scenarios.js';

/** One request as it reached a server (or, predicted, as it should). */
export interface TraceEntry {
  hop: number;
  kind: 'preflight' | 'actual';
  method: string;
  /** The `Origin` header (compared on preflights, and on actual requests to another origin in cors mode). */
  origin?: string | undefined;
  acrm?: string | undefined;
  acrh?: string | null | undefined;
  /** Predicted only: the preflight cache may or may not spare this preflight. */
  maybe?: boolean;
}

export interface Prediction {
  error: string | null;
  sameOrigin: boolean;
  sameSite: boolean;
  preflightReasons: string[];
  cacheUse: string;
  trace: TraceEntry[];
  resolved: boolean;
  type: string | null;
  exposed: string[] | null;
  status: number | null;
  reason: string;
  tainted: boolean;
}

export interface Reality {
  resolved: boolean;
  type?: string;
  exposed?: string[];
  status?: number;
  redirected?: boolean;
  error?: string;
}

/** What one fetch of a scenario did in the engine, with ports written as templates (recordable). */
export interface Observed {
  trace: TraceEntry[];
  /** Sec-Fetch-Site of the first request that arrived, where the engine sends it. */
  site: string | null;
  reality: Reality;
  /** The engine's own CORS error name (or '(none reported)') for a failed fetch, where its driver reports them (Chromium). */
  corsError?: string;
}

export interface FetchRun {
  predictions: Record<string, Prediction>;
  observed: Observed;
}

export interface ScenarioRun {
  scenario: Scenario;
  fetches: FetchRun[];
}

/** Reasons that are TypeErrors or network errors before sending: no CORS error is reported. */
export const NO_CORS_ERROR = new Set([
  'invalid-url',
  'url-includes-credentials',
  'invalid-method',
  'forbidden-method',
  'method-not-allowed-in-no-cors-mode',
  'invalid-header-name',
  'invalid-header-value',
  'ok',
  'disallowed-by-mode',
  'cors-disabled-scheme',
  'redirect-mode-error',
  'too-many-redirects',
  'redirect-contains-credentials',
  'redirect-disallowed-scheme',
  'invalid-redirect-location',
  'redirect-mode-not-follow-in-no-cors',
  'body-with-get-or-head',
]);

/** Chromium's `Network.CorsError` name for a precheck reason (`allow-origin-mismatch` -> `AllowOriginMismatch`). */
export function corsErrorName(reason: string): string {
  return reason.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase());
}

export interface Filled {
  url: string;
  origin: string;
  chain: { preflight: RawResponse; response: RawResponse }[];
}

interface LogEntry extends TraceEntry {
  fetch: number;
  site: string | undefined;
}

export interface Harness {
  readonly portA: number;
  readonly portB: number;
  readonly pageUrl: string;
  readonly noWasmUrl: string;
  readonly bundleNames: Record<string, string>;
  fill(s: Scenario): Filled;
  /** Run `scenarios` in the session's open page (pageUrl), predicting each with `profiles`. */
  run(session: DriverSession, engine: EngineName, scenarios: readonly Scenario[], profiles: readonly string[]): Promise<ScenarioRun[]>;
  /** Replace this run's ports by templates ({{A}}, {{B}}, {{L}}, {{Bport}}). */
  normalise(s: string): string;
  close(): Promise<void>;
}

/**
 * The repository root: the working directory (vitest and `npm run` start there). Not derived from
 * import.meta.url, which names a bundle's folder when ./record.ts runs through scripts/run-ts.mjs.
 */
export const ROOT = process.cwd();

/** The loopback servers' ports: the page's origin A, and B (127.0.0.1 and localhost). */
export interface Ports {
  readonly portA: number;
  readonly portB: number;
}

function fillString(s: string, ports: Ports, origin: string, id: string, hop = 0): string {
  return s
    .replaceAll('{{origin}}', origin)
    .replaceAll('{{A}}', `http://127.0.0.1:${ports.portA}`)
    .replaceAll('{{B}}', `http://127.0.0.1:${ports.portB}`)
    .replaceAll('{{L}}', `http://localhost:${ports.portB}`)
    .replaceAll('{{Bport}}', String(ports.portB))
    .replaceAll('{{next}}', `/s/${id}/${hop + 1}`)
    .replaceAll('{{path}}', `/s/${id}`);
}

function fillResponse(res: RawResponse, ports: Ports, origin: string, id: string, hop: number): RawResponse {
  return { ...res, headers: res.headers.map(([n, v]) => [n, fillString(v, ports, origin, id, hop)] as [string, string]) };
}

/** A scenario with its templates filled for `ports`: its URL, the requesting origin, the servers' answers hop by hop. */
export function fillScenario(s: Scenario, ports: Ports): Filled {
  const origin = s.from === 'sandbox' ? 'null' : `http://127.0.0.1:${ports.portA}`;
  const base = { A: `http://127.0.0.1:${ports.portA}`, B: `http://127.0.0.1:${ports.portB}`, L: `http://localhost:${ports.portB}` }[s.target ?? 'B'];
  const url = s.url !== undefined ? fillString(s.url, ports, origin, s.id) : `${base}/s/${s.id}`;
  const steps = s.chain ?? [{ ...(s.preflight ? { preflight: s.preflight } : {}), response: s.response ?? ALLOW_RESPONSE }];
  const chain = steps.map((step, hop) => ({
    preflight: fillResponse(step.preflight ?? { status: 204, headers: [] }, ports, origin, s.id, hop),
    response: fillResponse(step.response, ports, origin, s.id, hop),
  }));
  return { url, origin, chain };
}

/** Replace the ports by templates ({{A}}, {{B}}, {{L}}, {{Bport}}, {{Aport}}), as the recordings write them. */
export function normaliser(ports: Ports): (s: string) => string {
  const { portA, portB } = ports;
  return (s) =>
    s
      .replaceAll(`http://127.0.0.1:${portA}`, '{{A}}')
      .replaceAll(`http://127.0.0.1:${portB}`, '{{B}}')
      .replaceAll(`http://localhost:${portB}`, '{{L}}')
      .replaceAll(`:${portB}`, ':{{Bport}}')
      .replaceAll(`:${portA}`, ':{{Aport}}');
}

/** What the page's runner (./page.ts) is given for one scenario: the fetch, and the answers as the engine receives them. */
export interface ScenarioInput {
  id: string;
  bundle: string;
  from: 'page' | 'sandbox';
  url: string;
  init: NonNullable<Scenario['init']>;
  chain: { preflight: RawResponse; response: RawResponse }[];
  repeat: Scenario['repeat'] | null;
  profiles: readonly string[];
}

/** The runner's input for a filled scenario, predicted with `profiles` in `engine`. */
export function scenarioInput(s: Scenario, filled: Filled, engine: EngineName, profiles: readonly string[]): ScenarioInput {
  const local = filled.url.startsWith('data:');
  // The prediction is given the header list the browser receives (the server adds two). A data:
  // URL's response is made by the browser itself: Firefox gives it a Content-Length beside the
  // Content-Type (the standard: Content-Type alone), so its list is what Firefox makes.
  const dataBody = local ? decodeURIComponent(filled.url.slice(filled.url.indexOf(',') + 1)) : '';
  const received = (r: RawResponse): RawResponse =>
    local
      ? engine === 'firefox'
        ? { status: r.status, headers: [...r.headers, ['Content-Length', String(Buffer.byteLength(dataBody))]] }
        : r
      : { status: r.status, headers: sentHeaders(r, 'GET') };
  return {
    id: s.id,
    bundle: 'index',
    from: s.from ?? 'page',
    url: filled.url,
    init: s.init ?? {},
    chain: filled.chain.map((c) => ({ preflight: received({ ...c.preflight, body: '' }), response: received(c.response) })),
    repeat: s.repeat ?? null,
    profiles,
  };
}

export async function startHarness(): Promise<Harness> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'corset-browser-'));
  const { buildBrowser } = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'build-browser.mjs')).href)) as {
    buildBrowser(o: { outdir: string }): Promise<Record<string, { file: string }>>;
  };
  const built = await buildBrowser({ outdir });
  const bundleNames = Object.fromEntries(Object.keys(built).map((name) => [name, `${name}.js`]));
  const servers: Server[] = [];
  const entries = new Map<string, { scenario: Scenario; filled: Filled }>();
  const logs = new Map<string, LogEntry[]>();
  let current = { id: '', fetch: 0 };
  let portA = 0;
  let portB = 0;

  function handler(req: RawRequest): RawResponse {
    const pathname = req.target.split('?')[0]!;
    const html = (body: string, extra: [string, string][] = []): RawResponse => ({
      status: 200,
      headers: [['Content-Type', 'text/html'], ['Cache-Control', 'no-store'], ...extra],
      body,
    });
    if (pathname === '/page.html') return html(mainPage(bundleNames));
    if (pathname === '/sandbox.html') return html(sandboxPage(bundleNames));
    if (pathname === '/nowasm.html') return html(noWasmPage(bundleNames), [['Content-Security-Policy', "script-src 'self' 'unsafe-inline'"]]);
    if (pathname.startsWith('/bundle/')) {
      const file = path.join(outdir, path.basename(pathname));
      if (!existsSync(file)) return { status: 404, headers: [], body: 'no such bundle' };
      return { status: 200, headers: [['Content-Type', 'text/javascript'], ['Access-Control-Allow-Origin', '*']], body: readFileSync(file, 'latin1') };
    }
    if (pathname === '/mark') {
      const q = new URLSearchParams(req.target.slice(req.target.indexOf('?') + 1));
      current = { id: q.get('id') ?? '', fetch: Number(q.get('fetch') ?? '0') };
      return { status: 200, headers: [['Access-Control-Allow-Origin', '*'], ['Cache-Control', 'no-store']], body: 'ok' };
    }
    const m = /^\/s\/(s\d+)(?:\/(\d+))?$/.exec(pathname);
    const entry = m ? entries.get(m[1]!) : undefined;
    if (entry === undefined) return { status: 404, headers: [], body: 'unknown' };
    const hop = m?.[2] === undefined ? 0 : Number(m[2]);
    const step = entry.filled.chain[Math.min(hop, entry.filled.chain.length - 1)]!;
    const log = logs.get(entry.scenario.id)!;
    const h = req.headers;
    const fetch = current.id === entry.scenario.id ? current.fetch : -1;
    const isPreflight = req.method === 'OPTIONS' && h['access-control-request-method'] !== undefined;
    if (isPreflight) {
      const acrm = h['access-control-request-method'] ?? '';
      const acrh = h['access-control-request-headers'] ?? '';
      log.push({ fetch, hop, kind: 'preflight', method: 'OPTIONS', origin: h['origin'], acrm, acrh: h['access-control-request-headers'] ?? null, site: h['sec-fetch-site'] });
      return { ...step.preflight, headers: step.preflight.headers.map(([n, v]) => [n, v.replace('{{acrm}}', acrm).replace('{{acrh}}', acrh)] as [string, string]), body: '' };
    }
    log.push({ fetch, hop, kind: 'actual', method: req.method, origin: h['origin'], site: h['sec-fetch-site'] });
    return step.response;
  }

  const a = await listenRaw(handler, '127.0.0.1');
  servers.push(a.server);
  portA = a.port;
  // B answers on 127.0.0.1 and on ::1 with the same port, so http://localhost:<B> reaches it
  // whichever address the engine tries first.
  for (let attempt = 0; ; attempt++) {
    const b4 = await listenRaw(handler, '127.0.0.1');
    try {
      const b6 = await listenRaw(handler, '::1', b4.port);
      servers.push(b4.server, b6.server);
      portB = b4.port;
      break;
    } catch (e) {
      b4.server.close();
      if (attempt > 10) throw e;
    }
  }

  const fill = (s: Scenario): Filled => fillScenario(s, { portA, portB });
  const normalise = normaliser({ portA, portB });

  /** Scenarios per driver round trip: fewer round trips, and a failure still names its row. */
  const BATCH = 24;

  async function run(session: DriverSession, engine: EngineName, scenarios: readonly Scenario[], profiles: readonly string[]): Promise<ScenarioRun[]> {
    const out: ScenarioRun[] = [];
    for (let at = 0; at < scenarios.length; at += BATCH) {
      const batch = scenarios.slice(at, at + BATCH);
      const inputs = batch.map((s) => {
        const filled = fill(s);
        entries.set(s.id, { scenario: s, filled });
        logs.set(s.id, []);
        return scenarioInput(s, filled, engine, profiles);
      });
      const results = await session.evaluate<({ predictions: Record<string, Prediction>; reality: Reality }[] | { error: string })[]>(
        '(inputs) => self.runScenarios(inputs)',
        inputs,
      );
      for (let i = 0; i < batch.length; i++) {
        const s = batch[i]!;
        const result = results[i]!;
        const url = inputs[i]!.url;
        if (!Array.isArray(result)) throw new Error(`${s.id} ${s.desc}: the page failed: ${result.error}`);
        const log = logs.get(s.id)!;
        const fetches: FetchRun[] = [];
        for (let k = 0; k < result.length; k++) {
          const { predictions, reality } = result[k]!;
          const mine = log.filter((e) => e.fetch === k);
          let corsError: string | undefined;
          const engineReports = session.corsErrorFor !== undefined && !reality.resolved && s.from !== 'sandbox' && !s.repeat && (s.chain?.length ?? 1) === 1;
          if (engineReports && !NO_CORS_ERROR.has(predictions[engine]?.reason ?? 'ok')) {
            // DevTools reports the error asynchronously: wait for it (up to 3 s, under a loaded machine).
            for (let w = 0; w < 150 && session.corsErrorFor!(url) === undefined; w++) await new Promise((r) => setTimeout(r, 20));
          }
          if (engineReports) corsError = session.corsErrorFor!(url) ?? '(none reported)';
          const observed: Observed = {
            trace: mine.map(({ fetch: _f, site: _s, ...t }) => t),
            site: mine[0]?.site ?? null,
            reality,
            ...(corsError === undefined ? {} : { corsError }),
          };
          fetches.push({ predictions, observed });
        }
        out.push({ scenario: s, fetches });
      }
    }
    return out;
  }

  return {
    portA,
    portB,
    pageUrl: `http://127.0.0.1:${portA}/page.html`,
    noWasmUrl: `http://127.0.0.1:${portA}/nowasm.html`,
    bundleNames,
    fill,
    run,
    normalise,
    async close() {
      for (const s of servers) s.close();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}

/**
 * What the prediction and the engine disagree on, one line each (empty: agreement). `engine` names
 * the engine in the messages; the CORS error is compared where the engine reported one.
 */
export function disagreements(p: Prediction, o: Observed, s: Scenario, engine: EngineName): string[] {
  const out: string[] = [];
  const local = s.url?.startsWith('data:') === true;
  const want = (what: string, got: unknown, wanted: unknown): void => {
    if (JSON.stringify(got) !== JSON.stringify(wanted)) out.push(`${what}: predicted ${JSON.stringify(got)}; ${engine} ${JSON.stringify(wanted)}`);
  };
  // A data: URL is answered by the browser itself: nothing reaches a server.
  if (!local) {
    const seen = [...o.trace];
    const predicted: TraceEntry[] = [];
    for (const t of p.trace) {
      const next = seen[0];
      const same = next !== undefined && next.hop === t.hop && next.kind === t.kind;
      if (t.maybe === true && !same) continue; // the cache spared it
      const { maybe: _m, ...rest } = t;
      predicted.push(rest);
      if (same) seen.shift();
    }
    const comparable = (t: TraceEntry, ref: TraceEntry | undefined): TraceEntry => {
      const c: TraceEntry = { hop: t.hop, kind: t.kind, method: t.method };
      if (t.kind === 'preflight') Object.assign(c, { origin: t.origin, acrm: t.acrm, acrh: t.acrh ?? null });
      else if (ref?.origin !== undefined) c.origin = t.origin;
      return c;
    };
    const n = Math.max(predicted.length, o.trace.length);
    for (let i = 0; i < n; i++) {
      const pi = predicted[i];
      const oi = o.trace[i];
      const pc = pi === undefined ? null : comparable(pi, pi);
      const oc = oi === undefined ? null : comparable(oi, pi);
      want(`request ${i + 1} (hop ${pi?.hop ?? oi?.hop}, ${pi?.kind ?? oi?.kind})`, pc, oc);
    }
  }
  want('fetch() resolved', p.resolved, o.reality.resolved);
  if (p.resolved && o.reality.resolved) {
    want('response type', p.type, o.reality.type);
    want('readable header names', p.exposed, o.reality.exposed);
    if (s.chain !== undefined) want('status', p.status, o.reality.status);
  }
  if (o.site !== null) {
    const predicted = p.sameOrigin ? 'same-origin' : p.sameSite ? 'same-site' : 'cross-site';
    want('Sec-Fetch-Site', predicted, o.site);
  }
  if (o.corsError !== undefined && !p.resolved && !NO_CORS_ERROR.has(p.reason)) want('CORS error', corsErrorName(p.reason), o.corsError);
  return out;
}
