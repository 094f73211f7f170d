// The one module that owns the URL parser (DESIGN.md, "Seams that must stay single").
// In Node it is whatwg-url: exact, but slow (tens of microseconds a parse), so it serves policy
// compilation and inputs the fast paths cannot decide, never the per-request path for canonical
// input. The browser bundle replaces this file with ./backend.browser.ts (the platform's `URL`).
import { basicURLParse, serializeHost, serializeURL } from 'whatwg-url';

/** The parts of a URL record (URL §4.1) that origins need. */
export interface ParsedURL {
  /** The URL's scheme, lower-case, without the colon. */
  readonly scheme: string;
  /** The serialized host (URL §3.6 host serializer), or null when the URL has none. */
  readonly host: string | null;
  /** The port, or null for none / the scheme's default. */
  readonly port: number | null;
  /** The serialized path when the URL has an opaque path (e.g. `blob:`), else null. */
  readonly opaquePath: string | null;
}

/** The URL parser's name, for diagnostics and tests. */
export const URL_BACKEND = 'whatwg-url';

/**
 * URL §4.4 "URL parsing" (the basic URL parser with no base). Returns null on failure; never
 * throws, whatever the input.
 */
export function parseURL(input: string): ParsedURL | null {
  let record;
  try {
    record = basicURLParse(input);
  } catch {
    return null;
  }
  if (record === null) return null;
  return {
    scheme: record.scheme,
    host: record.host === null ? null : serializeHost(record.host),
    port: record.port,
    opaquePath: typeof record.path === 'string' ? record.path : null,
  };
}

/**
 * URL §4.4 "URL parsing" of `input` against the base URL `base` (a redirect's `Location` against
 * the request's current URL), serialized (URL §4.5). Null when either fails to parse; never throws.
 */
export function resolveURL(input: string, base: string): string | null {
  try {
    const baseURL = basicURLParse(base);
    if (baseURL === null) return null;
    const record = basicURLParse(input, { baseURL });
    return record === null ? null : serializeURL(record);
  } catch {
    return null;
  }
}
