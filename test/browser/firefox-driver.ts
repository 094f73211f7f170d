// The Firefox driver: Debian's `firefox-esr`, driven by puppeteer-core over WebDriver BiDi (the
// system executable; puppeteer downloads nothing). Headless, a fresh temporary profile, and prefs
// that keep every outside connection shut: no telemetry, updates, remote settings, captive-portal
// or connectivity checks, safe browsing, DNS-over-HTTPS, prefetch or speculative connections; a
// proxy that is never used and a failing PAC/remote host for anything that slips through.
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { type BrowserDriver, type DriverSession, jsonEvaluation } from './driver.js';

const FIREFOX = '/usr/bin/firefox';

/** No connection leaves the machine: every service that would call out is off or pointed at a closed loopback port. */
export const OFFLINE_PREFS: Record<string, string | number | boolean> = {
  'app.normandy.enabled': false,
  'app.update.auto': false,
  'app.update.enabled': false,
  'browser.aboutHomeSnippets.updateUrl': '',
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.topsites': false,
  'browser.newtabpage.enabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.search.update': false,
  'browser.startup.homepage': 'about:blank',
  'browser.startup.page': 0,
  'captivedetect.canonicalURL': '',
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': '',
  'extensions.blocklist.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.update.enabled': false,
  'geo.provider.network.url': '',
  'media.gmp-gmpopenh264.enabled': false,
  'media.gmp-manager.url': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.http.speculative-parallel-limit': 0,
  'network.predictor.enabled': false,
  'network.prefetch-next': false,
  'network.proxy.type': 0,
  'network.trr.mode': 5,
  'services.settings.server': 'http://127.0.0.1:9/',
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.unified': false,
};

export const firefoxDriver: BrowserDriver = {
  engine: 'firefox',
  executable: FIREFOX,
  installHint: 'apt-get install -y firefox-esr',
  available: () => existsSync(FIREFOX),
  async launch(): Promise<DriverSession> {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      extraPrefsFirefox: OFFLINE_PREFS,
      timeout: 60_000,
    });
    const page = await browser.newPage();
    const version = await browser.version();
    let closed = false;
    return {
      version,
      async open(url, timeoutMs = 30_000) {
        await page.goto(url);
        // Polled with evaluate (WebDriver BiDi script.callFunction), not waitForFunction: its poller
        // builds the predicate with Function(), which a CSP page without 'unsafe-eval' refuses in
        // Firefox 140.
        const until = Date.now() + timeoutMs;
        for (;;) {
          const state = await page.evaluate(() => {
            const g = globalThis as { corsetReady?: boolean; corsetError?: string };
            return g.corsetError !== undefined ? `error: ${g.corsetError}` : g.corsetReady === true ? 'ready' : 'waiting';
          });
          if (state === 'ready') return;
          if (state.startsWith('error: ')) throw new Error(state.slice(7));
          if (Date.now() > until) throw new Error(`firefox: ${url} not ready after ${timeoutMs} ms`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      async evaluate<T>(fnSource: string, arg?: unknown): Promise<T> {
        const json = await page.evaluate(jsonEvaluation(fnSource, arg));
        return (json === undefined ? undefined : JSON.parse(json as string)) as T;
      },
      async close() {
        if (closed) return;
        closed = true;
        await browser.close();
      },
    };
  },
};
