// A cheap, certain-only check for the commonest `Origin` value, `http(s)://` and a plain DNS name
// (letters, digits, hyphens, dots; the last label starting with a letter), with or without a
// port: one native RegExp test instead of a character loop in TypeScript. It answers true only
// where the canonical scan (src/origin/canonical-origin.ts scanCanonicalOrigin) answers YES, so
// a caller that needs nothing but "canonical or not" may skip the scan on true; on false the
// caller runs the scan, which decides. test/exact-miss.test.ts holds it to the scan and to the full
// URL parser (property test).
//
// Why each part is enough (URL §4.4 basic URL parser, §3.5 host parser, HTML §7.1.1 origin
// serialization): a lower-case ASCII domain of non-empty `[a-z0-9-]` labels passes domain to
// ASCII unchanged unless a label begins `xn--` (punycode is validated, so those are left to the
// scan); a last label beginning with a letter does not "end in a number" (no IPv4 parsing); no
// empty label, no trailing dot; a port of 1 to 5 digits without a leading zero serializes as
// written when it is at most 65535 and not the scheme's default.
import { MAX_HOST_LENGTH } from '../origin/limits.js';

const PLAIN_ORIGIN = /^https?:\/\/(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*(?::[1-9][0-9]{0,4})?$/;

/**
 * True only when `s` is certainly a canonical serialized http(s) origin with a plain DNS host;
 * false says nothing (the canonical scan decides). Callers cap the length first (any cap works:
 * the RegExp's work is linear in the length, and long values go to the scan).
 */
export function isPlainCanonicalOrigin(s: string): boolean {
  if (!PLAIN_ORIGIN.test(s) || s.includes('xn--')) return false;
  const https = s.charCodeAt(4) === 0x73; /* s */
  const hostStart = https ? 8 : 7;
  const colon = s.indexOf(':', hostStart);
  const hostEnd = colon < 0 ? s.length : colon;
  if (hostEnd - hostStart > MAX_HOST_LENGTH) return false; // the scan refuses it
  if (colon < 0) return true;
  let port = 0;
  for (let i = colon + 1; i < s.length; i++) port = port * 10 + (s.charCodeAt(i) - 0x30);
  return port <= 65535 && port !== (https ? 443 : 80);
}
