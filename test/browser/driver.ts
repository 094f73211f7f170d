// The one interface the real-browser suite drives every engine through. A driver launches its
// browser (offline: loopback only, a fresh profile), opens a loopback page, runs a script in it and
// closes; the scenario harness (./harness.ts) knows nothing else about the engine. Drivers:
// ./chromium-driver.ts (playwright-core over CDP), ./firefox-driver.ts (puppeteer-core over
// WebDriver BiDi), ./webkit-driver.ts (classic WebDriver: WebKitWebDriver and the MiniBrowser).
//
// The script given to `evaluate` is the source of a function expression, `(arg) => ...` or
// `async (arg) => { ... }`; it runs in the open page's main frame with `arg` as its argument and
// its (awaited) result comes back through JSON. So a driver needs no more than what classic
// WebDriver's "Execute Async Script" offers; frames are reached by the page itself (postMessage).

/** The engines the suite knows; each is predicted with the corset profile of the same name. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface DriverSession {
  /** The browser's own version string (`chromium/156.0...`, `firefox/153.8.0`, `webkit/2.48...`). */
  readonly version: string;
  /**
   * Navigate the (single) page to `url`, an http://127.0.0.1 URL, and wait until the page sets
   * `globalThis.corsetReady === true` (or fail with `globalThis.corsetError`, or after `timeoutMs`).
   */
  open(url: string, timeoutMs?: number): Promise<void>;
  /** `(${fnSource})(arg)` in the open page's main frame, awaited; argument and result through JSON. */
  evaluate<T = unknown>(fnSource: string, arg?: unknown): Promise<T>;
  /**
   * The CORS error the engine itself reported for a request to `url` (fragment removed), where
   * the engine tells a driver (Chromium's DevTools `corsError` name, such as
   * `MissingAllowOriginHeader`); undefined where it does not, or did not.
   */
  corsErrorFor?(url: string): string | undefined;
  /** Close the browser and everything the driver started (by pid); safe to call twice. */
  close(): Promise<void>;
}

export interface BrowserDriver {
  readonly engine: EngineName;
  /** The executable (or WebDriver server) the driver starts. */
  readonly executable: string;
  /** How to install what is missing, for the loud skip message (`apt-get install -y chromium`). */
  readonly installHint: string;
  /** Whether everything the driver needs is on this machine. */
  available(): boolean;
  launch(): Promise<DriverSession>;
}

/** Where a scenario run sends a missing browser: a failure under CI=true, a loud skip otherwise. */
export function announceMissing(driver: BrowserDriver): void {
  if (driver.available() || process.env['CI'] === 'true') return;
  console.warn(
    `\n*** corset: ${driver.executable} not found: the ${driver.engine} part of the real-browser suite (test/browser/) is SKIPPED. ` +
      `Install it with \`${driver.installHint}\` (Debian). With CI=true this is a failure. ***\n`,
  );
}

/** An expression that runs `(${fnSource})(arg)` in the page and gives its awaited result as JSON text. */
export function jsonEvaluation(fnSource: string, arg: unknown): string {
  return `(async () => JSON.stringify(await (${fnSource})(${JSON.stringify(arg ?? null)})))()`;
}
