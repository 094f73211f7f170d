// The closed set of policy issue codes (DESIGN.md: "PolicyIssue.code values are a documented,
// closed set"), the error thrown for an invalid policy, and the helpers that write messages in
// one voice: they start `corset:`, name the place, quote the offending value, and say why.
import type { PolicyIssue, PolicyIssueSeverity } from '../types.js';

interface CodeInfo {
  readonly severity: PolicyIssueSeverity;
  readonly summary: string;
}

const CODES = {
  // --- errors: the policy is refused ---------------------------------------------------------
  'policy-not-object': { severity: 'error', summary: 'the policy is not a plain object' },
  'policy-unreadable': { severity: 'error', summary: 'reading an option threw (a getter or a Proxy)' },
  'unknown-option': { severity: 'error', summary: 'an option corset does not know, usually a typo ("did you mean" says which)' },
  'invalid-type': { severity: 'error', summary: 'an option or list entry has the wrong type' },
  'origins-missing': { severity: 'error', summary: '`origins` is absent: corset never guesses which origins to allow' },
  'pattern-too-long': { severity: 'error', summary: 'a pattern is longer than any origin pattern can be' },
  'pattern-unparsable': { severity: 'error', summary: 'a pattern is not scheme://host[:port] with a host the URL parser accepts' },
  'pattern-no-scheme': { severity: 'error', summary: 'a pattern has no `scheme://` (`example.com`, `*.example.com`)' },
  'pattern-scheme': { severity: 'error', summary: 'a pattern names a special scheme other than http or https (`ws`, `wss`, `ftp`): no page has such an origin' },
  'pattern-has-path': { severity: 'error', summary: 'a pattern has a path, query or fragment (`https://example.com/`): it would never match' },
  'pattern-has-userinfo': { severity: 'error', summary: 'a pattern has a user name or password' },
  'pattern-port': { severity: 'error', summary: 'a pattern has a port that is not 0-65535 or `*`' },
  'pattern-wildcard-position': { severity: 'error', summary: 'a `*` where the grammar allows none (`https://a.*.com`, `https://*`, two `*`)' },
  'pattern-wildcard-label': { severity: 'error', summary: 'the label around a `*` holds more than ASCII letters, digits and `-`, or is punycode' },
  'pattern-wildcard-ip': { severity: 'error', summary: 'a wildcard in or next to an IP address' },
  'pattern-host-too-long': { severity: 'error', summary: 'a pattern names hosts longer than DNS allows (253 characters)' },
  'pattern-label-length': { severity: 'error', summary: 'a pattern has an empty label or one longer than 63 characters' },
  'null-origin-scheme': { severity: 'error', summary: 'an origin of `file:`, `data:`, `blob:`, `javascript:`, `about:` or `filesystem:`: pages there send `Origin: null`' },
  'app-origin-not-canonical': { severity: 'error', summary: 'an app or extension origin not written as browsers send it (`scheme://host[:port]`, lower-case scheme)' },
  'app-origin-id': { severity: 'error', summary: "an extension origin whose id is not the platform's shape (Chromium: 32 letters a-p; Firefox, Safari: a UUID), or has a port" },
  'wildcard-in-list': { severity: 'error', summary: "`'*'` inside the `origins` list: allowing every origin is `origins: '*'`" },
  'wildcard-with-credentials': { severity: 'error', summary: '`*` (origins, methods or headers) together with `credentials: true`' },
  'null-origin': { severity: 'error', summary: '`null` in origins without `allowNullOrigin`' },
  'public-suffix-wildcard': { severity: 'error', summary: 'a wildcard over a public suffix (`*.com`, `*.github.io`) without `allowPublicSuffixWildcards`' },
  'insecure-origin': { severity: 'error', summary: 'an `http://` origin other than loopback given credentials, without `allowInsecureOrigins`' },
  'credentialed-origins-without-wildcard': { severity: 'error', summary: "`credentialedOrigins` without `origins: '*'`" },
  'invalid-method': { severity: 'error', summary: 'a method that is not an HTTP token' },
  'forbidden-method': { severity: 'error', summary: 'CONNECT, TRACE or TRACK: a browser never sends them' },
  'invalid-header-name': { severity: 'error', summary: 'a header name that is not an HTTP token' },
  'forbidden-request-header': { severity: 'error', summary: 'a header a page can never set (`cookie`, `host`, `sec-*`, ...) in `allowHeaders`' },
  'forbidden-response-header': { severity: 'error', summary: '`set-cookie` or `set-cookie2` in `exposeHeaders`: browsers never expose them' },
  'invalid-max-age': { severity: 'error', summary: '`maxAge` is not a non-negative integer number of seconds' },
  'preflight-status-not-ok': { severity: 'error', summary: '`preflightStatus` is not 200-299: browsers fail a preflight without an ok status' },
  'invalid-status': { severity: 'error', summary: '`deniedPreflightStatus` is not an integer from 200 to 599' },
  'regexp-unanchored': {
    severity: 'error',
    summary: 'a RegExp without `^` and `$` on every alternative (or with the `m` flag) also matches look-alike origins; refused unless `allowUnanchoredRegExp`, and always with credentials',
  },
  'regexp-not-re2': { severity: 'error', summary: 'a RegExp with a feature no linear-time (RE2) engine runs: a backreference, lookahead, lookbehind or the `v` flag' },
  'regexp-too-long': { severity: 'error', summary: 'a RegExp source longer than 1 024 characters' },
  'unknown-engine': { severity: 'error', summary: "`engine` is not 'auto', 'wasm' or 'js'" },
  // --- warnings: the policy works, but probably not as meant ----------------------------------
  'dangerous-option': { severity: 'warning', summary: 'an escape hatch is on (`allowNullOrigin`, `allowInsecureOrigins`, `allowPublicSuffixWildcards`, `allowUnanchoredRegExp`)' },
  'app-origin': { severity: 'warning', summary: 'an app or extension origin (`capacitor://localhost`): names the platform, and what the origin proves about the sender' },
  'origins-empty': { severity: 'warning', summary: 'an empty origins list allows no cross-origin request' },
  'duplicate-pattern': { severity: 'warning', summary: 'two entries normalise to the same pattern' },
  'shadowed-pattern': { severity: 'warning', summary: 'an entry allows nothing that another entry does not already allow' },
  'regexp-stateful-flag': { severity: 'warning', summary: 'a RegExp with the `g` or `y` flag: corset uses a copy without them' },
  'regexp-with-credentials': { severity: 'warning', summary: 'a RegExp origin together with credentials: one loose pattern exposes credentialed data' },
  'max-age-capped': { severity: 'warning', summary: '`maxAge` above what browsers honour (Chromium 7200 s, Firefox 86400 s)' },
  'duplicate-name': { severity: 'warning', summary: 'a method or header name listed twice (after normalisation)' },
  'method-not-normalized': { severity: 'warning', summary: 'a method with lower-case letters that Fetch does not normalise (`patch`): browsers send it as the page wrote it' },
  'name-covered-by-wildcard': { severity: 'warning', summary: 'a header name beside `*` in allowHeaders or exposeHeaders that `*` already covers (every name but `authorization` for allowHeaders)' },
  'wildcard-literal-for-credentialed': { severity: 'warning', summary: '`*` methods or headers in a tiered policy: browsers read `*` literally for the credentialed origins' },
} as const satisfies Record<string, CodeInfo>;

/** A `PolicyIssue.code`: one code of the closed set `POLICY_ISSUE_CODES`. */
export type PolicyIssueCode = keyof typeof CODES;

/**
 * Every code a `PolicyIssue` can carry, its severity, and one line on what it means: a closed
 * set. docs/policy-issues.md shows each with an example and its fix (a test holds the page to
 * this object); a code not listed here is never reported.
 */
export const POLICY_ISSUE_CODES: {
  readonly [C in PolicyIssueCode]: {
    /** `'error'`: the policy is refused; `'warning'`: `lintPolicy` reports it. */
    readonly severity: (typeof CODES)[C]['severity'];
    /** One line on what the code means. */
    readonly summary: string;
  };
} = Object.freeze(CODES);

/** One issue, its severity taken from the table. */
export function makeIssue(code: PolicyIssueCode, path: string, message: string): PolicyIssue {
  return { severity: POLICY_ISSUE_CODES[code].severity, code, path, message };
}

/** Quotes longer than this are cut (a 100 KB value must not become a 100 KB message). */
const MAX_QUOTED_LENGTH = 120;

/**
 * A value as a message quotes it: strings as JSON (controls and lone surrogates escaped), cut to
 * a readable length; RegExps as written; everything else by type, never by calling its methods.
 */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > MAX_QUOTED_LENGTH;
    const quoted = JSON.stringify(cut ? value.slice(0, MAX_QUOTED_LENGTH) : value);
    return cut ? `${quoted.slice(0, -1)}..." (${value.length} characters)` : quoted;
  }
  if (value instanceof RegExp) {
    let text: string;
    try {
      text = `/${String(value.source)}/${String(value.flags)}`;
    } catch {
      text = 'a RegExp';
    }
    return text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}...` : text;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return typeof value === 'bigint' ? `${value}n` : String(value);
  }
  return describeType(value);
}

/** The type of a value, in words, for "must be X, got Y". */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof RegExp) return 'a RegExp';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'function':
      return 'a function';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'bigint':
      return 'a bigint';
    case 'symbol':
      return 'a symbol';
    default:
      return typeof value;
  }
}

/**
 * Thrown by `compilePolicy` for an invalid policy. `issues` holds every error (warnings are for
 * `lintPolicy`); the message lists them all, one per line.
 */
export class PolicyError extends Error {
  /** Every error of the policy (warnings are for `lintPolicy`), in the order found. */
  readonly issues: PolicyIssue[];

  constructor(issues: readonly PolicyIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
    super(`corset: invalid CORS policy (${count}):\n${errors.map((i) => `  - ${i.message}`).join('\n')}`);
    this.name = 'PolicyError';
    this.issues = errors;
  }
}
