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
        // A function, not a string: a string predicate is eval'd in the page, which the suite's
        // CSP page (no 'unsafe-eval') refuses.
        await page.waitForFunction(
          () => {
            const g = globalThis as { corsetReady?: boolean; corsetError?: string };
            if (g.corsetError !== undefined) throw new Error(g.corsetError);
            return g.corsetReady === true;
          },
          { timeout: timeoutMs },
        );
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
