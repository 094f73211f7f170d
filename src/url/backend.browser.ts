// The URL backend of the browser bundles: the platform's own `URL` (the browser's WHATWG URL
// parser) instead of whatwg-url, which with tr46 is ~168 KB gzipped. scripts/build-browser.mjs
// maps ./backend.ts to this file; the exports are the same, and test/precheck-url-backend.test.ts
// holds the two to the same answers on the WPT URL data.
import type { ParsedURL } from './backend.js';

export type { ParsedURL } from './backend.js';

/** The URL parser's name, for diagnostics and tests. */
export const URL_BACKEND = 'platform-url';

/** The special schemes (URL §4.1): their URLs always have a host and a list path. */
const SPECIAL: ReadonlySet<string> = new Set(['ftp', 'file', 'http', 'https', 'ws', 'wss']);

/**
 * URL §4.4 "URL parsing" (no base) through the platform's `URL`. Returns null on failure; never
 * throws, whatever the input.
 *
 * `URL` does not expose the record itself, so two of its parts are read back from the
 * serialization: the host is null (not empty) when the serialized URL has no `//` after the
 * scheme (URL §4.5 "URL serializer", step 2), and the path is opaque when a non-special URL has no
 * host and its path does not begin with `/` (a list path always serializes with a leading `/`).
 */
export function parseURL(input: string): ParsedURL | null {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  const scheme = url.protocol.slice(0, -1);
  const hasHost = url.href.startsWith('//', url.protocol.length);
  const host = hasHost ? url.hostname : null;
  const opaque = !SPECIAL.has(scheme) && !hasHost && !url.pathname.startsWith('/');
  return {
    scheme,
    host,
    port: url.port === '' ? null : Number(url.port),
    opaquePath: opaque ? url.pathname : null,
  };
}

/** URL §4.4 parsing of `input` against `base`, serialized (see ./backend.ts). Never throws. */
export function resolveURL(input: string, base: string): string | null {
  try {
    return new URL(input, base).href;
  } catch {
    return null;
  }
}
