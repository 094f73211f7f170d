// Sites: HTML §7.1.1 "obtain a site", "same site" and "schemelessly same site", with the
// registrable domain from the Public Suffix List (URL §3.2 "registrable domain"), private section
// included, through tldts.
import { getDomain } from 'tldts';
import type { Origin, TupleOrigin } from '../types.js';
import { toOrigin } from './origin.js';
import { isAppScheme } from './app-origin.js';

/**
 * An app or extension origin (from parseOriginHeader, ./app-origin.ts): its host is no DNS name,
 * so it has no registrable domain and shares a site with nothing but itself. The URL standard
 * calls such an origin opaque (URL §4.7), and an opaque origin is same site only with itself
 * (HTML §7.1.1 "schemelessly same site", step 1): so `capacitor://localhost` is never same site
 * with `https://localhost`.
 */
function isAppOrigin(origin: TupleOrigin): boolean {
  return isAppScheme(origin.scheme);
}

const PSL_OPTIONS = { allowPrivateDomains: true, detectIp: true, extractHostname: false } as const;

/**
 * URL §3.2 "registrable domain" of a host: null for IP addresses (and IPv6), for a host that is
 * itself a public suffix, and for a host with no label before its public suffix. A trailing dot is
 * kept: the registrable domain of `www.example.com.` is `example.com.` (URL §3.2's own example).
 */
export function registrableDomain(host: string): string | null {
  if (host.startsWith('[')) return null; // IPv6
  const dotted = host.endsWith('.');
  const bare = dotted ? host.slice(0, -1) : host;
  if (bare === '' || bare.endsWith('.')) return null;
  const domain = getDomain(bare, PSL_OPTIONS);
  if (domain === null || domain === '') return null;
  return dotted ? `${domain}.` : domain;
}

/** HTML §7.1.1 "obtain a site" for a tuple origin: (scheme, registrable domain or host). */
function siteHost(origin: TupleOrigin): string {
  return registrableDomain(origin.host) ?? origin.host;
}

/**
 * HTML §7.1.1 "obtain a site", serialized (`https://example.co.uk`). An opaque origin is its own
 * site, which has no serialization here: null. null also for an unparsable string.
 */
export function siteOf(origin: Origin | string): string | null {
  const o = toOrigin(origin, 'origin', 'siteOf');
  if (o === null || o.opaque) return null;
  if (isAppOrigin(o)) return o.serialized; // its own site
  return `${o.scheme}://${siteHost(o)}`;
}

/**
 * HTML §7.1.1 "schemelessly same site":
 * 1. If A and B are the same opaque origin, return true.
 * 2. If A and B are both tuple origins: let hostA be A's host, hostB B's host. If hostA equals hostB
 *    and hostA's registrable domain is null, return true. If hostA's registrable domain equals
 *    hostB's registrable domain and is non-null, return true.
 * 3. Return false.
 */
export function isSchemelesslySameSite(a: Origin | string, b: Origin | string): boolean {
  const oa = toOrigin(a, 'a', 'isSchemelesslySameSite');
  const ob = toOrigin(b, 'b', 'isSchemelesslySameSite');
  if (oa === null || ob === null) return false;
  return schemelesslySameSite(oa, ob);
}

function schemelesslySameSite(oa: Origin, ob: Origin): boolean {
  if (oa.opaque || ob.opaque) return oa === ob; // step 1
  if (isAppOrigin(oa) || isAppOrigin(ob)) return oa.serialized === ob.serialized; // step 1, see isAppOrigin
  const domainA = registrableDomain(oa.host);
  if (oa.host === ob.host && domainA === null) return true;
  return domainA !== null && domainA === registrableDomain(ob.host);
}

/**
 * HTML §7.1.1 "same site": A and B are schemelessly same site, and either both opaque or both
 * tuple origins with the same scheme.
 */
export function isSameSite(a: Origin | string, b: Origin | string): boolean {
  const oa = toOrigin(a, 'a', 'isSameSite');
  const ob = toOrigin(b, 'b', 'isSameSite');
  if (oa === null || ob === null) return false;
  if (!schemelesslySameSite(oa, ob)) return false;
  if (oa.opaque || ob.opaque) return oa.opaque && ob.opaque;
  return oa.scheme === ob.scheme;
}
