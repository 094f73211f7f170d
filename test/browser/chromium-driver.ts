// The Chromium driver: Debian's `chromium`, driven by playwright-core over the DevTools protocol.
// Offline: no background networking, component updates, sync or QUIC; a fresh, empty context.
// DevTools reports each CORS failure by name (`Network.loadingFailed` -> `corsErrorStatus`), which
// the harness compares with the precheck's reason (corsErrorFor).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { type BrowserDriver, type DriverSession, jsonEvaluation } from './driver.js';

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
  '--disable-domain-reliability',
  '--no-pings',
];

/** The URL without its fragment (how DevTools names a request). */
function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

export const chromiumDriver: BrowserDriver = {
  engine: 'chromium',
  executable: CHROMIUM,
  installHint: 'apt-get install -y chromium',
  available: () => existsSync(CHROMIUM),
  async launch(): Promise<DriverSession> {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const urls = new Map<string, string>();
    const corsErrors = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFailed', (e: { requestId: string; corsErrorStatus?: { corsError: string } }) => {
      const url = urls.get(e.requestId);
      if (url !== undefined && e.corsErrorStatus !== undefined) corsErrors.set(withoutFragment(url), e.corsErrorStatus.corsError);
    });
    await cdp.send('Network.enable');
    let closed = false;
    return {
      version: `chromium/${browser.version()}`,
      async open(url, timeoutMs = 30_000) {
        await page.goto(url);
        // A function, not a string: a string predicate is eval'd in the page, which the suite's
        // CSP page (no 'unsafe-eval') refuses.
        await page.waitForFunction(
          () => {
            const g = globalThis as { corsetReady?: boolean; corsetError?: string };
            if (g.corsetError !== undefined) throw new Error(g.corsetError);
            return g.corsetReady === true;
          },
          undefined,
          { timeout: timeoutMs },
        );
      },
      async evaluate<T>(fnSource: string, arg?: unknown): Promise<T> {
        const json = await page.evaluate(jsonEvaluation(fnSource, arg));
        return (json === undefined ? undefined : JSON.parse(json as string)) as T;
      },
      corsErrorFor: (url) => corsErrors.get(withoutFragment(url)),
      async close() {
        if (closed) return;
        closed = true;
        await browser.close();
      },
    };
  },
};
