// The precheck against a real Chromium (issue 5). Two loopback servers on ephemeral ports (the
// page's origin A, and B reached as 127.0.0.1 — same site — and as localhost — another site) log
// every request that reaches them; the page, built from the browser bundle, predicts each fetch()
// with both profiles and then performs it. For every scenario in ./scenarios.ts:
//   - the 'chromium' profile must predict exactly what Chromium did: whether a preflight was sent
//     and what it carried, whether the actual request was sent, whether fetch() resolved, the
//     response type and the header names a script can read, same-origin/same-site (checked
//     against the Sec-Fetch-Site header Chromium sent), and the CORS error DevTools reports;
//   - the 'spec' profile must predict the same, except on rows marked with a deviation, where it
//     must differ (so every documented deviation is shown to be real, and no other exists here).
// The matcher bundle's loadMatcher is also held, in the page, to the full bundle's compilePolicy
// (exports made in Node with exportMatcher), with and without WebAssembly.
// Debian's `chromium` package, driven by playwright-core. Missing Chromium: skipped with a loud
// message locally, a failure when CI=true.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
// @ts-expect-error: a plain .mjs build script without declarations
import { buildBrowser } from '../../scripts/build-browser.mjs';
import { exportMatcher, type ExportedMatcher, type ExportedRule } from '../../src/policy/export.js';
import { mainPage, noWasmPage, sandboxPage } from './page.js';
import { listenRaw, sentHeaders, type RawRequest, type RawResponse } from './raw-server.js';
import { ALLOW_RESPONSE, SCENARIOS, type Scenario } from './scenarios.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const haveChromium = existsSync(CHROMIUM);
const inCI = process.env['CI'] === 'true';

if (!haveChromium && !inCI) {
  console.warn(
    `\n*** corset: ${CHROMIUM} not found: the real-browser suite (test/browser/) is SKIPPED. ` +
      'Install it with `apt-get install -y chromium` (Debian). With CI=true this is a failure. ***\n',
  );
}

describe('Chromium is there', () => {
  it.runIf(inCI)('CI=true: /usr/bin/chromium must exist (apt-get install -y chromium)', () => {
    expect(haveChromium, `${CHROMIUM} is missing in CI`).toBe(true);
  });
});

interface Logged {
  preflight: RawRequest | null;
  actual: RawRequest | null;
}

interface Prediction {
  error: string | null;
  sameOrigin: boolean;
  sameSite: boolean;
  preflight: boolean;
  preflightReasons: string[];
  preflightHeaders: Record<string, string> | null;
  actualSent: boolean;
  resolved: boolean;
  type: string | null;
  exposed: string[] | null;
  reason: string;
}

interface Reality {
  resolved: boolean;
  type?: string;
  exposed?: string[];
  error?: string;
}

/** Chromium's `Network.CorsError` name for a precheck reason (`allow-origin-mismatch` -> `AllowOriginMismatch`). */
function corsErrorName(reason: string): string {
  return reason.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase());
}

/** Reasons that are TypeErrors or network errors before sending: no CORS error is reported. */
const NO_CORS_ERROR = new Set([
  'invalid-url',
  'url-includes-credentials',
  'invalid-method',
  'forbidden-method',
  'method-not-allowed-in-no-cors-mode',
  'invalid-header-name',
  'invalid-header-value',
  'ok',
  // Refused by the renderer before the network service sees the request (no DevTools CORS error):
  'disallowed-by-mode',
  'cors-disabled-scheme',
]);

describe.runIf(haveChromium)('the precheck against Chromium (real fetches on loopback)', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'corset-browser-'));
  const servers: Server[] = [];
  const scenarioById = new Map<string, { scenario: Scenario; filled: Filled }>();
  const logs = new Map<string, Logged>();
  let browser: Browser;
  let page: Page;
  let cdp: CDPSession;
  let portA = 0;
  let portB = 0;
  let bundleNames: Record<string, string> = {};
  const corsErrors = new Map<string, string>();

  interface Filled {
    url: string;
    origin: string;
    preflight: RawResponse;
    response: RawResponse;
  }

  function fillString(s: string, origin: string, id: string): string {
    return s
      .replaceAll('{{origin}}', origin)
      .replaceAll('{{A}}', `http://127.0.0.1:${portA}`)
      .replaceAll('{{B}}', `http://127.0.0.1:${portB}`)
      .replaceAll('{{L}}', `http://localhost:${portB}`)
      .replaceAll('{{Bport}}', String(portB))
      .replaceAll('{{path}}', `/s/${id}`);
  }

  function fillResponse(res: RawResponse, origin: string, id: string): RawResponse {
    return { ...res, headers: res.headers.map(([n, v]) => [n, fillString(v, origin, id)] as [string, string]) };
  }

  function fill(s: Scenario): Filled {
    const origin = s.from === 'sandbox' ? 'null' : `http://127.0.0.1:${portA}`;
    const base = { A: `http://127.0.0.1:${portA}`, B: `http://127.0.0.1:${portB}`, L: `http://localhost:${portB}` }[s.target ?? 'B'];
    const url = s.url !== undefined ? fillString(s.url, origin, s.id) : `${base}/s/${s.id}`;
    const preflight = fillResponse(s.preflight ?? { status: 204, headers: [] }, origin, s.id);
    const response = fillResponse(s.response ?? ALLOW_RESPONSE, origin, s.id);
    return { url, origin, preflight, response };
  }

  /** The server side: static files on A, scenario answers on both. */
  function handler(req: RawRequest): RawResponse {
    const pathname = req.target.split('?')[0]!;
    const js = { 'Content-Type': 'text/javascript', 'Access-Control-Allow-Origin': '*' };
    if (pathname === '/page.html') return { status: 200, headers: [['Content-Type', 'text/html']], body: mainPage(bundleNames) };
    if (pathname === '/sandbox.html') return { status: 200, headers: [['Content-Type', 'text/html']], body: sandboxPage(bundleNames) };
    if (pathname === '/nowasm.html') {
      return {
        status: 200,
        headers: [
          ['Content-Type', 'text/html'],
          ['Content-Security-Policy', "script-src 'self' 'unsafe-inline'"],
        ],
        body: noWasmPage(bundleNames),
      };
    }
    if (pathname.startsWith('/bundle/')) {
      const file = path.join(outdir, path.basename(pathname));
      if (!existsSync(file)) return { status: 404, headers: [], body: 'no such bundle' };
      return { status: 200, headers: Object.entries(js), body: readFileSync(file, 'latin1') };
    }
    const m = /^\/s\/(s\d+)$/.exec(pathname);
    const entry = m ? scenarioById.get(m[1]!) : undefined;
    if (entry === undefined) return { status: 404, headers: [], body: 'unknown' };
    const log = logs.get(entry.scenario.id)!;
    const isPreflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (isPreflight) {
      log.preflight = req;
      const acrm = req.headers['access-control-request-method'] ?? '';
      const acrh = req.headers['access-control-request-headers'] ?? '';
      return {
        ...entry.filled.preflight,
        headers: entry.filled.preflight.headers.map(([n, v]) => [n, v.replace('{{acrm}}', acrm).replace('{{acrh}}', acrh)] as [string, string]),
        body: '',
      };
    }
    log.actual = req;
    return entry.filled.response;
  }

  beforeAll(async () => {
    const built = (await buildBrowser({ outdir })) as Record<string, { file: string }>;
    bundleNames = Object.fromEntries(Object.keys(built).map((name) => [name, `${name}.js`]));
    const a = await listenRaw(handler, '127.0.0.1');
    servers.push(a.server);
    portA = a.port;
    // B answers on 127.0.0.1 and on ::1 with the same port, so http://localhost:<B> reaches it
    // whichever address Chromium tries first.
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
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    const context = await browser.newContext(); // a fresh, empty profile
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    const urls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFailed', (e: { requestId: string; corsErrorStatus?: { corsError: string } }) => {
      const url = urls.get(e.requestId);
      if (url !== undefined && e.corsErrorStatus !== undefined) corsErrors.set(url, e.corsErrorStatus.corsError);
    });
    await cdp.send('Network.enable');
    await page.goto(`http://127.0.0.1:${portA}/page.html`);
    await page.waitForFunction(() => (globalThis as { corsetReady?: boolean }).corsetReady === true);
    const sandbox = page.frames().find((f) => f.url().endsWith('/sandbox.html'));
    await sandbox!.waitForFunction(() => (globalThis as { corsetReady?: boolean }).corsetReady === true);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) s.close();
    rmSync(outdir, { recursive: true, force: true });
  });

  /** What the 'chromium' prediction and Chromium disagree on, one line each (empty: agreement). */
  function disagreements(p: Prediction, real: Reality, log: Logged, corsError: string | undefined, s: Scenario): string[] {
    const out: string[] = [];
    const local = s.url?.startsWith('data:') === true;
    const want = (what: string, got: unknown, wanted: unknown): void => {
      if (JSON.stringify(got) !== JSON.stringify(wanted)) out.push(`${what}: predicted ${JSON.stringify(got)}; Chromium ${JSON.stringify(wanted)}`);
    };
    want('preflight sent', p.preflight, log.preflight !== null);
    if (p.preflight && log.preflight !== null) {
      const h = log.preflight.headers;
      const ph = p.preflightHeaders ?? {};
      want('Access-Control-Request-Method', ph['access-control-request-method'], h['access-control-request-method']);
      want('Access-Control-Request-Headers', ph['access-control-request-headers'], h['access-control-request-headers']);
      want('preflight Origin', ph['origin'], h['origin']);
      want('preflight Accept', ph['accept'], h['accept']);
    }
    // A data: URL is answered by the browser itself: nothing reaches a server.
    if (!local) want('actual request sent', p.actualSent, log.actual !== null);
    want('fetch() resolved', p.resolved, real.resolved);
    if (p.resolved && real.resolved) {
      want('response type', p.type, real.type);
      want('readable header names', p.exposed, real.exposed);
    }
    const arrived = log.actual ?? log.preflight;
    const site = arrived?.headers['sec-fetch-site'];
    if (site !== undefined) {
      const predicted = p.sameOrigin ? 'same-origin' : p.sameSite ? 'same-site' : 'cross-site';
      want('Sec-Fetch-Site', predicted, site);
    }
    if (!real.resolved && s.from !== 'sandbox' && !NO_CORS_ERROR.has(p.reason)) {
      want('CORS error', corsErrorName(p.reason), corsError ?? '(none reported)');
    }
    return out;
  }

  const outcomes: { s: Scenario; spec: string[]; chromium: string[] }[] = [];

  it(`runs ${SCENARIOS.length} scenarios (at least 150), predicting each one in the page first`, async () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(150);
    const sandbox = page.frames().find((f) => f.url().endsWith('/sandbox.html'))!;
    for (const s of SCENARIOS) {
      const filled = fill(s);
      scenarioById.set(s.id, { scenario: s, filled });
      logs.set(s.id, { preflight: null, actual: null });
      // The prediction is given the header list the browser receives (the server adds two).
      const local = filled.url.startsWith('data:');
      const received = (r: RawResponse): RawResponse => (local ? r : { status: r.status, headers: sentHeaders(r, 'GET') });
      const input = { bundle: 'precheck', url: filled.url, init: s.init ?? {}, preflight: received({ ...filled.preflight, body: '' }), response: received(filled.response) };
      const frame = s.from === 'sandbox' ? sandbox : page.mainFrame();
      const { predictions, reality } = (await frame.evaluate(
        (i) => (globalThis as unknown as { runScenario: (x: unknown) => Promise<unknown> }).runScenario(i),
        input,
      )) as { predictions: Record<'spec' | 'chromium', Prediction>; reality: Reality };
      const log = logs.get(s.id)!;
      const predictsCorsError = !reality.resolved && !NO_CORS_ERROR.has(predictions.chromium.reason) && s.from !== 'sandbox';
      if (predictsCorsError) {
        // DevTools reports the error asynchronously: wait for it (up to 3 s, under a loaded machine).
        for (let i = 0; i < 150 && !corsErrors.has(filled.url.split('#')[0]!); i++) await new Promise((r) => setTimeout(r, 20));
      }
      const corsError = corsErrors.get(filled.url.split('#')[0]!);
      if (process.env['CORSET_BROWSER_DUMP']) {
        const line = JSON.stringify({ id: s.id, desc: s.desc, chromium: predictions.chromium, reality, log, corsError });
        (globalThis as { __dump?: string[] }).__dump = [...((globalThis as { __dump?: string[] }).__dump ?? []), line];
      }
      outcomes.push({
        s,
        spec: disagreements(predictions.spec, reality, log, corsError, s),
        chromium: disagreements(predictions.chromium, reality, log, corsError, s),
      });
    }
  }, 120_000);

  afterAll(() => {
    const dump = (globalThis as { __dump?: string[] }).__dump;
    if (dump && process.env['CORSET_BROWSER_DUMP']) writeFileSync(process.env['CORSET_BROWSER_DUMP'], dump.join('\n'));
  });

  it("the 'chromium' profile predicts what Chromium did, on every scenario", () => {
    const wrong = outcomes.filter((o) => o.chromium.length > 0).map((o) => `${o.s.id} ${o.s.desc}:\n    ${o.chromium.join('\n    ')}`);
    expect(wrong, `planFetch/checkPreflight/checkResponse (profile chromium) vs Chromium:\n  ${wrong.join('\n  ')}`).toEqual([]);
  });

  it("the 'spec' profile differs from Chromium exactly on the rows marked as deviations", () => {
    const wrong: string[] = [];
    for (const o of outcomes) {
      if (o.s.deviation === undefined && o.spec.length > 0) wrong.push(`${o.s.id} ${o.s.desc}: unexpected difference:\n    ${o.spec.join('\n    ')}`);
      if (o.s.deviation !== undefined && o.spec.length === 0) wrong.push(`${o.s.id} ${o.s.desc}: marked ${o.s.deviation}, but the standard's answer is Chromium's`);
    }
    expect(wrong, `profile spec vs Chromium:\n  ${wrong.join('\n  ')}`).toEqual([]);
  });

  it('the small bundle and the full bundle answer the same plans', async () => {
    const rows = SCENARIOS.filter((s) => s.from !== 'sandbox').slice(0, 40);
    const got = await page.evaluate(
      (inputs) =>
        inputs.map((i) => {
          const b = (globalThis as unknown as { corsetBundles: Record<string, { planFetch: (o: string, init: unknown, opt: unknown) => unknown }> }).corsetBundles;
          const a = b['precheck']!.planFetch(self.origin, { url: i.url, ...i.init }, { profile: 'chromium' });
          const f = b['index']!.planFetch(self.origin, { url: i.url, ...i.init }, { profile: 'chromium' });
          return JSON.stringify(a) === JSON.stringify(f) ? null : `${i.url}: ${JSON.stringify(a)} vs ${JSON.stringify(f)}`;
        }),
      rows.map((s) => ({ url: fill(s).url, init: s.init ?? {} })),
    );
    expect(got.filter((x) => x !== null)).toEqual([]);
  });

  it('works where WebAssembly cannot run (no WebAssembly global, CSP without wasm-unsafe-eval)', async () => {
    const p2 = await browser.newPage();
    await p2.goto(`http://127.0.0.1:${portA}/nowasm.html`);
    await p2.waitForFunction(() => {
      const g = globalThis as { corsetReady?: boolean; corsetError?: string };
      return g.corsetReady === true || g.corsetError !== undefined;
    });
    const init = { origins: ['https://app.example.com', 'http://*.localhost:*'] };
    const result = await p2.evaluate(async ({ init, exported }) => {
      const g = globalThis as unknown as { corsetError?: string; corsetBundles: Record<string, Record<string, (...a: unknown[]) => unknown>> };
      if (g.corsetError !== undefined) return { error: g.corsetError };
      const out: Record<string, unknown> = { wasm: typeof (globalThis as { WebAssembly?: unknown }).WebAssembly };
      for (const [name, b] of Object.entries(g.corsetBundles)) {
        const plan = b['planFetch']!(self.origin, { url: 'http://127.0.0.1:1/x', method: 'PUT' }) as { needsPreflight: boolean };
        const entry: Record<string, unknown> = { needsPreflight: plan.needsPreflight };
        if (typeof b['ready'] === 'function' && (typeof b['compilePolicy'] === 'function' || typeof b['loadMatcher'] === 'function')) {
          await b['ready']!();
          // The full entry compiles the init; the matcher entry loads the export made in Node.
          const policy = (typeof b['compilePolicy'] === 'function' ? b['compilePolicy']!(init) : b['loadMatcher']!(exported)) as {
            engine: string;
            isOriginAllowed(o: string): boolean;
          };
          entry['engine'] = policy.engine;
          entry['allowed'] = policy.isOriginAllowed('http://dev.localhost:5173');
          entry['denied'] = policy.isOriginAllowed('https://other.example.com');
        }
        out[name] = entry;
      }
      return out;
    }, { init, exported: exportMatcher(init) });
    await p2.close();
    expect(result['error'], String(result['error'])).toBeUndefined();
    expect(result['wasm']).toBe('undefined');
    for (const name of Object.keys(bundleNames)) {
      const entry = result[name] as Record<string, unknown>;
      expect(entry['needsPreflight'], `${name}: planFetch without WebAssembly`).toBe(true);
      if (name !== 'precheck') {
        expect(entry, `${name}: compilePolicy / loadMatcher without WebAssembly`).toEqual({ needsPreflight: true, engine: 'js', allowed: true, denied: false });
      }
    }
  });

  it('the matcher bundles run the WebAssembly engine in Chromium after ready()', async () => {
    const names = Object.keys(bundleNames).filter((n) => n !== 'precheck');
    const init = { origins: ['https://app.example.com', 'http://*.localhost:*'], engine: 'wasm' as const };
    const got = await page.evaluate(async ({ ns, init, exported }) => {
      const out: Record<string, unknown> = {};
      const bundles = (globalThis as unknown as { corsetBundles: Record<string, Record<string, (...a: unknown[]) => unknown>> }).corsetBundles;
      for (const n of ns) {
        const b = bundles[n]!;
        await b['ready']!();
        const policy = (typeof b['compilePolicy'] === 'function' ? b['compilePolicy']!(init) : b['loadMatcher']!(exported)) as {
          engine: string;
          matchOrigins(o: string[]): Uint8Array;
        };
        out[n] = { engine: policy.engine, matches: [...policy.matchOrigins(['https://app.example.com', 'http://a.localhost:1', 'https://evil.example', 'http://localhost.evil:1'])] };
      }
      return out;
    }, { ns: names, init, exported: exportMatcher(init) });
    expect(names).toContain('matcher');
    for (const n of names) expect(got[n], `${n}.js in Chromium`).toEqual({ engine: 'wasm', matches: [1, 1, 0, 0] });
  });

  it("the matcher bundle's loadMatcher answers as the full bundle's compilePolicy, and refuses tampered exports, on Chromium's URL parser", async () => {
    const inits = [
      { origins: ['https://app.example.com', 'https://*.example.org:*', 'http://pr-*.preview.example.net:8080', 'http://[::1]:*', 'https://xn--bcher-kva.example', 'null'], allowNullOrigin: true },
      { origins: '*' as const, credentialedOrigins: ['https://app.example.com', 'https://*.example.org'] },
    ];
    const origins = [
      'https://app.example.com', 'https://a.b.example.org:8443', 'https://example.org', 'http://pr-7.preview.example.net:8080',
      'http://pr-7.preview.example.net', 'http://[::1]:3000', 'http://[0:0::1]:3000', 'https://xn--bcher-kva.example', 'https://bücher.example',
      'null', 'https://APP.example.com', 'https://app.example.com.', `https://${'a'.repeat(300)}.org`, '', 'https://a_b.example.org',
    ];
    // Edited exports: an upper-case host, an IPv4 short form, a default port, a wildcard over nothing.
    const first = exportMatcher(inits[0]!);
    const tamper = (pattern: string): ExportedMatcher => ({ ...first, origins: [pattern, ...(first.origins as readonly ExportedRule[]).slice(1)] });
    const tampered = [tamper('https://APP.example.com'), tamper('https://127.1'), tamper('https://example.com:443'), tamper('https://*.')];
    const got = await page.evaluate(
      ({ inits, exports, origins, tampered }) => {
        const b = (globalThis as unknown as { corsetBundles: Record<string, Record<string, (...a: unknown[]) => unknown>> }).corsetBundles;
        type M = { matchOrigin(o: string): string | null; matchOrigins(o: string[]): Uint8Array };
        const diffs: string[] = [];
        inits.forEach((init, i) => {
          for (const engine of ['js', 'wasm']) {
            const want = b['index']!['compilePolicy']!({ ...init, engine }) as M;
            const have = b['matcher']!['loadMatcher']!(exports[i], { engine }) as M;
            for (const o of origins) if (want.matchOrigin(o) !== have.matchOrigin(o)) diffs.push(`${i} ${engine} ${o}: ${have.matchOrigin(o)} vs ${want.matchOrigin(o)}`);
            if (String([...want.matchOrigins(origins)]) !== String([...have.matchOrigins(origins)])) diffs.push(`${i} ${engine} matchOrigins`);
          }
        });
        const refusals = tampered.map((e) => {
          try {
            b['matcher']!['loadMatcher']!(e);
            return 'accepted';
          } catch (err) {
            return String((err as Error).message).split(':').slice(0, 3).join(':');
          }
        });
        return { diffs, refusals };
      },
      { inits, exports: inits.map((i) => exportMatcher(i)), origins, tampered },
    );
    expect(got.diffs, 'loadMatcher vs compilePolicy in Chromium').toEqual([]);
    expect(got.refusals).toEqual([
      'corset: loadMatcher(exported): origins[0] makes "https',
      'corset: loadMatcher(exported): origins[0] makes "https',
      'corset: loadMatcher(exported): origins[0] makes "https',
      'corset: loadMatcher(exported): origins[0] has a wildcard over no domain; make it with exportMatcher() or `corset compile`, do not edit it',
    ]);
  });

  it('the logged response headers are what the prediction was given (server sanity)', () => {
    const res: RawResponse = { status: 200, headers: [['X-A', '1']] };
    expect(sentHeaders(res, 'GET').map(([n]) => n)).toEqual(['X-A', 'Content-Length', 'Connection']);
  });
});
