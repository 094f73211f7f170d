// The matcher bundle's stand-in for src/origin/site.ts (scripts/build-browser.mjs swaps it in for
// the `matcher` entry only): the same exports, without the Public Suffix List (tldts, ~47 KB
// gzipped, over that bundle's 15 KB budget).
//
// Its one job in that bundle is the policy validator's question "is this wildcard's base a
// public suffix?" (src/policy/validate.ts asks `registrableDomain(base) === null`). Without the
// list that question cannot be answered, and a wrong "no" would let `https://*.github.io` through.
// So, until a PSL is installed with setRegistrableDomain(), every domain is answered as having no
// registrable domain: every wildcard over a domain (other than localhost) is refused with
// `public-suffix-wildcard`, unless the policy sets `allowPublicSuffixWildcards: true`. That refuses
// safe policies too, never allows an unsafe one; the full bundle (dist/browser/index.js) checks
// exactly.
import type { Origin } from '../types.js';
import { toOrigin } from '../origin/origin.js';
import { sameSiteWithoutPsl, type RegistrableDomainFn } from '../precheck/same-site-lite.js';

let installed: RegistrableDomainFn | null = null;

/**
 * Install a Public Suffix List lookup (URL §3.2 "registrable domain" of a host, null when the
 * host has none) for this bundle's policy validation and same-site answers. Pass null to remove it.
 */
export function setRegistrableDomain(fn: RegistrableDomainFn | null): void {
  if (fn !== null && typeof fn !== 'function') {
    throw new TypeError('corset: setRegistrableDomain(fn): fn must be a function or null');
  }
  installed = fn;
}

/** URL §3.2 "registrable domain": from the installed PSL; without one, null (see above). */
export function registrableDomain(host: string): string | null {
  if (installed === null || host.startsWith('[')) return null;
  try {
    const d = installed(host);
    return typeof d === 'string' && d !== '' ? d : null;
  } catch {
    return null;
  }
}

function originOf(value: Origin | string, name: string, fn: string): Origin | null {
  return toOrigin(value, name, fn);
}

/** HTML "same site", exact where no PSL is needed (src/precheck/same-site-lite.ts). */
export function isSameSite(a: Origin | string, b: Origin | string): boolean {
  const oa = originOf(a, 'a', 'isSameSite');
  const ob = originOf(b, 'b', 'isSameSite');
  if (oa === null || ob === null) return false;
  return sameSiteWithoutPsl(oa, ob, installed ?? undefined);
}
