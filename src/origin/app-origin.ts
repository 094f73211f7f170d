// Origins of apps and browser extensions: `capacitor://localhost`, `chrome-extension://<id>`,
// `moz-extension://<uuid>`, and the like. The URL standard gives a URL of such a scheme an opaque
// origin (URL §4.7 "origin", step "Otherwise: return a new opaque origin"), yet the webviews and
// browsers that load pages from them send `Origin: scheme://host` for those pages (WebKit for
// WKURLSchemeHandler schemes, Chromium and Firefox for their extension schemes). corset reads such
// a value strictly, in the one form a browser sends it (docs/app-origins.md):
//
//   app-origin = scheme "://" host [ ":" port ]
//   scheme     = a-z *( a-z / 0-9 / "+" / "-" / "." )      lower case; not a special scheme
//                (URL §4.1: http, https, ws, wss, ftp, file) nor one whose pages send `null`
//                (data, blob, javascript, about, filesystem)
//   host       = label *( "." label ), label = 1*63( ALPHA / DIGIT / "-" / "_" ), at most 253
//                in all. Case is kept (URL §3.5 opaque-host parser: no lower-casing), so a
//                Safari extension's upper-case UUID is compared as it is sent.
//   port       = "0" / a decimal of 1-5 digits without a leading zero, at most 65535
//
// and the whole value at most MAX_ORIGIN_LENGTH characters. Every such value is a URL the URL
// parser gives back unchanged (test/app-origin.test.ts holds the two to it), with no path: so
// it is its own serialization, and matching it is string equality. assembly/scan.ts
// (isAppOrigin) makes the same decision over bytes for the WebAssembly engine.
import { MAX_HOST_LENGTH, MAX_ORIGIN_LENGTH } from './limits.js';

// The grammar above, as one RegExp (the page's matcher bundle carries it: small matters). Linear:
// the scheme ends at the first `:`, and labels are split by mandatory dots. The lookahead refuses
// the special schemes (URL §4.1) and those whose pages send `null`.
const APP_ORIGIN =
  /^(?!(?:https?|wss?|ftp|file|data|blob|javascript|about|filesystem):)([a-z][a-z0-9+.-]*):\/\/([\w-]{1,63}(?:\.[\w-]{1,63})*)(?::(0|[1-9]\d{0,4}))?$/;

/** Whether an origin of this (lower-case) scheme can be an app's: not special, not `null`-producing. */
export function isAppScheme(scheme: string): boolean {
  return APP_ORIGIN.test(`${scheme}://x`);
}

/** The parts of a canonical app origin: scheme, host, and port (null when it has none). */
export type AppOriginParts = readonly [scheme: string, host: string, port: number | null];

/** Whether `s` is a canonical app origin (never a tuple origin, never `null`). */
export function isCanonicalAppOrigin(s: string): boolean {
  const m = s.length > MAX_ORIGIN_LENGTH ? null : APP_ORIGIN.exec(s);
  return m !== null && (m[2] as string).length <= MAX_HOST_LENGTH && Number(m[3] ?? 0) <= 65535;
}

/** `s` split into its parts when it is a canonical app origin (see the grammar above), else null. */
export function appOriginParts(s: string): AppOriginParts | null {
  const m = isCanonicalAppOrigin(s) ? (APP_ORIGIN.exec(s) as RegExpExecArray) : null;
  return m === null ? null : [m[1] as string, m[2] as string, m[3] === undefined ? null : Number(m[3])];
}
