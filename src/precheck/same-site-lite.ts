// HTML §7.1.1 "same site" without the Public Suffix List, for the small browser entry
// (dist/browser/precheck.js must not carry tldts: ~47 KB gzipped).
//
// Two origins are same site when their schemes match and they are schemelessly same site: the
// same host with no registrable domain, or the same non-null registrable domain (URL §3.2: the
// public suffix plus one label). Most pairs are decided without the list:
//   - an opaque origin is same site only with itself;
//   - different schemes: not same site;
//   - the same host: same site;
//   - an IP address host has no registrable domain, so another host is not same site with it;
//   - two domains whose last two labels differ cannot share a registrable domain (it has at least
//     two labels, and a host that is itself a public suffix has none): not same site.
// What is left, two different domains sharing their last two labels or more (`a.example.com`
// and `b.example.com` are same site; `a.github.io` and `b.github.io` are not), needs the list.
// There the answer comes from `registrableDomain` when the caller passes one; without it the
// answer is false (cross-site, the conservative reading) and a console warning says so, once.
import type { Origin } from '../types.js';
import { isIpAddressHost } from '../origin/origin.js';

/** URL §3.2 "registrable domain" of a host, as the caller's PSL gives it (null for none). */
export type RegistrableDomainFn = (host: string) => string | null;

/** How many whole labels, counted from the right, two hosts share (a trailing dot must match). */
function sharedLabelSuffix(a: string, b: string): number {
  if (a.endsWith('.') !== b.endsWith('.')) return 0;
  const la = a.replace(/\.$/, '').split('.');
  const lb = b.replace(/\.$/, '').split('.');
  let k = 0;
  while (k < la.length && k < lb.length && la[la.length - 1 - k] === lb[lb.length - 1 - k]) k++;
  return k;
}

let warned = false;

function warnOnce(a: string, b: string): void {
  if (warned) return;
  warned = true;
  const c = (globalThis as { console?: { warn?: (...args: unknown[]) => void } }).console;
  c?.warn?.(`corset: sameSite of ${a} and ${b} needs the Public Suffix List; answering false (pass { registrableDomain } or use corset-cors/browser)`);
}

/** HTML "same site" for origins, exact where no PSL is needed (see the file comment). */
export function sameSiteWithoutPsl(a: Origin, b: Origin, registrableDomain?: RegistrableDomainFn): boolean {
  if (a.opaque || b.opaque) return a === b;
  if (a.scheme !== b.scheme) return false;
  if (a.host === b.host) return true;
  if (isIpAddressHost(a.host) || isIpAddressHost(b.host)) return false;
  if (typeof registrableDomain === 'function') {
    let da: string | null = null;
    let db: string | null = null;
    try {
      da = registrableDomain(a.host);
      db = registrableDomain(b.host);
    } catch {
      return false;
    }
    return typeof da === 'string' && da !== '' && da === db;
  }
  if (sharedLabelSuffix(a.host, b.host) < 2) return false;
  warnOnce(a.serialized, b.serialized);
  return false;
}
