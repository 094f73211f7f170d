// An `origins` entry of a scheme other than http/https: the exact origin of an app or browser
// extension (`capacitor://localhost`, `chrome-extension://<id>`), checked against the one form a
// browser sends (src/origin/app-origin.ts), with a warning that names the platform and what the
// origin does and does not prove, and an error for schemes whose pages send `Origin: null`.
import type { OriginRule } from './rules.js';
import { appOriginParts, isAppScheme } from '../origin/app-origin.js';
import { quote } from './issues.js';
import type { Issues } from './issue-collector.js';

/** Schemes whose documents have an opaque origin: a browser sends `Origin: null` for them. */
const NULL_SCHEMES: ReadonlySet<string> = new Set(['file', 'data', 'blob', 'javascript', 'about', 'filesystem']);

/** A known webview or extension scheme: who sends it, and the shape of its host when fixed. */
interface Platform {
  readonly who: string;
  /** What the origin says about the sender (a sentence), for the warning. */
  readonly proves: string;
  /** The host's shape, and how to say it; null when the platform lets the app choose it. */
  readonly id: { readonly shape: RegExp; readonly what: string } | null;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SHARED =
  'every app built with it sends the same origin, and a native client can send any Origin, so it shows where a page runs, not whose app it is; authenticate the user as for any client';

/** The platforms corset names. A scheme not listed is accepted with a warning that says so. */
export const APP_PLATFORMS: Readonly<Record<string, Platform>> = {
  capacitor: { who: 'Capacitor apps on iOS (on Android, Capacitor serves https://localhost)', proves: SHARED, id: null },
  ionic: { who: 'Ionic apps on iOS (the Ionic WKWebView plugin)', proves: SHARED, id: null },
  tauri: { who: 'Tauri apps on macOS and Linux (on Windows, Tauri serves http://tauri.localhost)', proves: SHARED, id: null },
  'chrome-extension': {
    who: 'an extension in Chrome, Edge or another Chromium browser',
    proves: 'the id is the same for every user of the extension; a native client can still send any Origin',
    id: { shape: /^[a-p]{32}$/, what: '32 letters a-p (the extension id shown on chrome://extensions)' },
  },
  'moz-extension': {
    who: 'a Firefox extension',
    proves: 'Firefox gives each installation of an extension its own random UUID, so this entry allows one browser profile only',
    id: { shape: new RegExp(`^${UUID}$`), what: 'a lower-case UUID (the "Internal UUID" on about:debugging)' },
  },
  'safari-web-extension': {
    who: 'a Safari web extension',
    proves: 'Safari gives each installation of an extension its own UUID, so this entry allows one installation only',
    id: { shape: new RegExp(`^${UUID}$`, 'i'), what: 'a UUID, written exactly as browser.runtime.getURL("") shows it' },
  },
};

/**
 * The rule for an entry the tuple pattern parser refused for its scheme (`pattern-scheme`,
 * `pattern-no-scheme`), when
 * that scheme can be an app's: the rule, or null with the issues added. undefined when the entry
 * is not one (a special scheme such as `ws`, or no scheme at all): the caller keeps its own error.
 */
export function validateAppOrigin(entry: string, index: number, path: string, issues: Issues): OriginRule | null | undefined {
  const colon = entry.indexOf(':');
  const schemeText = colon < 0 ? '' : entry.slice(0, colon);
  if (!/^[A-Za-z][A-Za-z0-9+.-]*$/.test(schemeText)) return undefined;
  const scheme = schemeText.toLowerCase();
  const where = `corset: ${path}: ${quote(entry)}`;
  if (NULL_SCHEMES.has(scheme)) {
    issues.add(
      'null-origin-scheme',
      path,
      `${where}: a page on ${scheme}: has an opaque origin, so a browser sends \`Origin: null\` for it, never this value; to allow such pages, list "null" with allowNullOrigin: true (which allows any page that sends null)`,
    );
    return null;
  }
  if (!isAppScheme(scheme) || !entry.startsWith('//', colon + 1)) return undefined; // ws, ftp, ...; or no `://`
  const parts = appOriginParts(entry);
  if (parts === null) {
    reportNotCanonical(entry, scheme, colon, path, where, issues);
    return null;
  }
  const [, host, port] = parts;
  const platform = APP_PLATFORMS[scheme];
  if (platform === undefined) {
    issues.add(
      'app-origin',
      path,
      `${where} has the scheme ${quote(scheme)}, for which corset knows no platform: it is matched exactly as written; check that your app's webview sends exactly this Origin`,
    );
    return { kind: 'app', index, source: entry };
  }
  if (platform.id !== null && (!platform.id.shape.test(host) || port !== null)) {
    issues.add(
      'app-origin-id',
      path,
      `${where} is not an origin ${platform.who} can have: after ${scheme}:// comes ${platform.id.what}, and no port`,
    );
    return null;
  }
  issues.add('app-origin', path, `${where} is the origin of ${platform.who}: ${platform.proves}`);
  return { kind: 'app', index, source: entry };
}

/** Why an app origin is not in the form a browser sends, in the most specific words that fit. */
function reportNotCanonical(entry: string, scheme: string, colon: number, path: string, where: string, issues: Issues): void {
  const rest = entry.slice(colon + 1);
  if (rest.length === 2) {
    issues.add('app-origin-not-canonical', path, `${where} is not scheme://host[:port]: an app origin is written as its webview sends it, e.g. "capacitor://localhost"`);
    return;
  }
  const authorityEnd = rest.slice(2).search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest.slice(2) : rest.slice(2, authorityEnd + 2);
  if (authority.includes('*')) {
    issues.add(
      'pattern-wildcard-position',
      path,
      `${where}: an app or extension origin is matched exactly: no wildcard in its host or port, and origins: '*' never covers it; list each origin`,
    );
    return;
  }
  const head = `${scheme}:${rest.slice(0, authorityEnd < 0 ? rest.length : authorityEnd + 2)}`;
  if (authorityEnd >= 0) {
    issues.add('pattern-has-path', path, `${where} has a path, query or fragment: an origin is scheme://host[:port] only, so it would never match; write ${quote(head)}`);
    return;
  }
  if (authority.includes('@')) {
    issues.add('pattern-has-userinfo', path, `${where} has a user name or password: an origin never carries them; write scheme://host[:port] only`);
    return;
  }
  const hint = head !== entry && appOriginParts(head) !== null ? `; write ${quote(head)}` : '';
  issues.add(
    'app-origin-not-canonical',
    path,
    `${where} is not an app origin in the form browsers send: a lower-case scheme, "://", a host of letters, digits, "-", "_" and dots (labels of 1-63 characters, 253 in all), and optionally ":" and a port 0-65535 without a leading zero${hint}`,
  );
}
