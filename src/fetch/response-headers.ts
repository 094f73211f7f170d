// Fetch §2.2.2 "Headers" (Fetch Review Draft 2025-12 numbering): which response headers a script
// may read from a CORS response ("CORS-safelisted response-header name") and from a basic one
// ("forbidden response-header name" is in ./header-names.ts).
import { isForbiddenResponseHeaderName } from './header-names.js';
import { requireString } from '../arguments.js';
import { byteLowercase } from './safelisted-request-header.js';

/**
 * The names Fetch §2.2.2 safelists whatever the server says: "`Cache-Control`,
 * `Content-Language`, `Content-Length`, `Content-Type`, `Expires`, `Last-Modified`, `Pragma`",
 * byte-lowercased.
 */
export const CORS_SAFELISTED_RESPONSE_HEADER_NAMES: readonly string[] = Object.freeze([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);

const SAFELISTED: ReadonlySet<string> = new Set(CORS_SAFELISTED_RESPONSE_HEADER_NAMES);

/**
 * Fetch §2.2.2: "A CORS-safelisted response-header name, given a list of header names list, is a
 * header name that is a byte-case-insensitive match for one of: `Cache-Control`,
 * `Content-Language`, `Content-Length`, `Content-Type`, `Expires`, `Last-Modified`, `Pragma`; any
 * item in list that is not a forbidden response-header name."
 *
 * `exposed` is the response's CORS-exposed header-name list (from `Access-Control-Expose-Headers`).
 */
export function isCorsSafelistedResponseHeaderName(name: string, exposed: readonly string[]): boolean {
  requireString(name, 'name', 'isCorsSafelistedResponseHeaderName');
  const lower = byteLowercase(name);
  if (SAFELISTED.has(lower)) return true;
  if (isForbiddenResponseHeaderName(lower)) return false;
  for (const item of exposed) if (byteLowercase(item) === lower) return true;
  return false;
}
