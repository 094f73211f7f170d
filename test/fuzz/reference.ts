// The plain reference the engines are held to: one anchored RegExp per tuple rule, built from the
// rule's structure (not from the tables), the full URL parser for "is this canonical", and a loop
// over the rules in `origins` order. Slow and obvious on purpose. App and extension origins
// (`capacitor://localhost`) are read by isReferenceAppOrigin, written apart from
// src/origin/app-origin.ts, and matched by equality with an app rule only.
import { URL as WhatwgURL } from 'whatwg-url';
import { MAX_HOST_LENGTH, MAX_LABEL_LENGTH, MAX_ORIGIN_LENGTH } from '../../src/origin/limits.js';
import { parseCanonicalOriginSlow } from '../../src/origin/origin.js';
import { MATCH_INVALID, MATCH_NONE, type OriginRule } from '../../src/policy/rules.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** One DNS label: 1 to 63 of [a-z0-9-], and the next character is not one of them. */
const DNS_LABEL_AHEAD = `(?=[a-z0-9-]{1,${MAX_LABEL_LENGTH}}(?![a-z0-9-]))`;

/** The anchored RegExp of a tuple rule. */
export function referenceRegExp(rule: Extract<OriginRule, { kind: 'tuple' }>): RegExp {
  let host: string;
  switch (rule.host.kind) {
    case 'exact':
      host = escape(rule.host.host);
      break;
    case 'subdomains':
      host = `(?:${DNS_LABEL_AHEAD}[a-z0-9-]+\\.)+${escape(rule.host.suffix)}`;
      break;
    case 'glob': {
      const { left, prefix, suffix, right } = rule.host;
      host =
        (left === '' ? '' : `${escape(left)}\\.`) +
        `${DNS_LABEL_AHEAD}${escape(prefix)}[a-z0-9-]+${escape(suffix)}` +
        (right === '' ? '' : `\\.${escape(right)}`);
      break;
    }
  }
  let port: string;
  switch (rule.port.kind) {
    case 'default':
      port = '';
      break;
    case 'exact':
      port = `:${rule.port.port}`;
      break;
    case 'any':
      port = '(?::[0-9]+)?';
      break;
  }
  return new RegExp(`^${rule.scheme}://${host}${port}$`);
}

const NOT_APP = ['http', 'https', 'ws', 'wss', 'ftp', 'file', 'data', 'blob', 'javascript', 'about', 'filesystem'];

/**
 * Whether `s` is an app origin in the one form corset accepts (docs/app-origins.md): a lower-case
 * non-special scheme, `://`, dot-separated labels of 1-63 `[A-Za-z0-9_-]` (253 in all), an
 * optional decimal port 0-65535 without a leading zero; and, as a check of that claim, a URL the
 * URL parser (whatwg-url) serializes back to `s` with an empty path.
 */
export function isReferenceAppOrigin(s: string): boolean {
  if (s.length > MAX_ORIGIN_LENGTH) return false;
  const sep = s.indexOf('://');
  if (sep < 1) return false;
  const scheme = s.slice(0, sep);
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme) || NOT_APP.includes(scheme)) return false;
  const rest = s.slice(sep + 3);
  const colon = rest.indexOf(':');
  const host = colon < 0 ? rest : rest.slice(0, colon);
  if (colon >= 0) {
    const port = rest.slice(colon + 1);
    if (!/^[0-9]+$/.test(port) || String(Number(port)) !== port || Number(port) > 65535) return false;
  }
  if (host.length === 0 || host.length > MAX_HOST_LENGTH) return false;
  for (const label of host.split('.')) if (label.length === 0 || label.length > MAX_LABEL_LENGTH || !/^[A-Za-z0-9_-]+$/.test(label)) return false;
  let url: WhatwgURL;
  try {
    url = new WhatwgURL(s);
  } catch {
    throw new Error(`reference: ${JSON.stringify(s)} passes the grammar but the URL parser refuses it`);
  }
  if (url.href !== s || url.pathname !== '' || url.host !== rest) {
    throw new Error(`reference: ${JSON.stringify(s)} passes the grammar but the URL parser gives ${JSON.stringify(url.href)}`);
  }
  return true;
}

export interface Reference {
  match(origin: string): number;
}

/** The reference matcher of a rule list. `canonical` memoises the full parser across calls. */
export function createReference(rules: readonly OriginRule[], canonical = new Map<string, boolean>()): Reference {
  const ordered = [...rules].sort((a, b) => a.index - b.index);
  const tests = ordered.map((rule) => {
    if (rule.kind === 'tuple') {
      const regexp = referenceRegExp(rule);
      return (s: string) => s !== 'null' && regexp.test(s);
    }
    if (rule.kind === 'null') return (s: string) => s === 'null';
    if (rule.kind === 'app') return (s: string) => s === rule.source;
    const regexp = rule.regexp;
    return (s: string) => s !== 'null' && regexp.test(s);
  });
  return {
    match(origin: string): number {
      if (origin.length > MAX_ORIGIN_LENGTH) return MATCH_INVALID;
      if (origin !== 'null') {
        let ok = canonical.get(origin);
        if (ok === undefined) {
          ok = parseCanonicalOriginSlow(origin) !== null;
          if (canonical.size > 200_000) canonical.clear();
          canonical.set(origin, ok);
        }
        if (!ok) {
          // Not a tuple origin: an app origin matches only an app rule equal to it.
          if (!isReferenceAppOrigin(origin)) return MATCH_INVALID;
          const app = ordered.find((rule) => rule.kind === 'app' && rule.source === origin);
          return app === undefined ? MATCH_NONE : app.index;
        }
      }
      for (let i = 0; i < ordered.length; i++) if ((tests[i] as (s: string) => boolean)(origin)) return (ordered[i] as OriginRule).index;
      return MATCH_NONE;
    },
  };
}
