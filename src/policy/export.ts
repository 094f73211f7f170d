// exportMatcher: the origin rules of a validated policy as plain JSON, for the browser matcher
// bundle (dist/browser/matcher.js). That bundle carries no policy validator: the validator, its
// messages, the pattern parser and the Public Suffix List are several times its 15 KB budget. So
// a policy is validated here, once, on the server (or by `corset compile`), and the page loads the
// result with `loadMatcher` (src/browser/load-matcher.ts), which checks that every rule has a
// form the strict pattern parser (./pattern.ts) could have produced before any engine runs it.
//
// The format (version 2): the policy's origin lists as it would write them, every pattern in the
// normal form the strict parser reads back as the same rule (formatOriginPattern: lower case,
// punycode, default port elided, IPv6 in its one form):
//
//   { format: 'corset-matcher', version: 2,
//     origins: [                              // or '*' (then credentialedOrigins may be a list)
//       'https://app.example.com',            // a pattern in normal form, also its source
//       { pattern: 'https://*.example.com', source: 'https://*.Example.com:443' },  // written otherwise
//       'null',                               // only with allowNullOrigin
//       'capacitor://localhost',              // an app or extension origin, exact and canonical
//       { regexp: '^https:\\/\\/a\\.test$', flags: '', source: '/^https:\\/\\/a\\.test$/g' },
//     ],
//     credentialedOrigins: null,              // a tiered policy's list (origins '*'), or null
//     allowNullOrigin: false,
//     engine: 'auto' }
//
// `source` is what matchOrigin names (the pattern as the policy wrote it). A page downloads this
// JSON too, so it is as short as the policy: about the size of the patterns themselves.
//
// Only what decides `isOriginAllowed` / `matchOrigin` / `matchOrigins` travels: methods, headers
// and the other response options stay on the server, where `decide` answers with them.
import type { CorsPolicyInit } from '../types.js';
import type { OriginRule } from './rules.js';
import { formatOriginPattern } from './pattern.js';
import { validatePolicy } from './validate.js';
import { PolicyError } from './issues.js';

/** The `format` tag of an exported matcher. */
export const MATCHER_FORMAT = 'corset-matcher';
/** The format version this corset writes and `loadMatcher` reads. */
export const MATCHER_FORMAT_VERSION = 2;

/** One validated `origins` (or `credentialedOrigins`) entry, as JSON. */
export type ExportedRule =
  /** `'null'`, or a pattern in normal form that is also its source. */
  | string
  /** A pattern in normal form, and the source the policy wrote it as. */
  | {
      /** The pattern in normal form. */
      readonly pattern: string;
      /** The entry as the policy wrote it. */
      readonly source: string;
    }
  | {
      /** `RegExp.prototype.source` and `flags` of the copy corset runs (never `g` or `y`). */
      readonly regexp: string;
      /** The copy's flags. */
      readonly flags: string;
      /** As written (`/^https:\/\/a\.test$/g`), for `matchOrigin`. */
      readonly source: string;
    };

/** What `exportMatcher` returns and `loadMatcher` takes: JSON-serialisable, no functions. */
export interface ExportedMatcher {
  /** Always `MATCHER_FORMAT`. */
  readonly format: typeof MATCHER_FORMAT;
  /** Always `MATCHER_FORMAT_VERSION`. */
  readonly version: typeof MATCHER_FORMAT_VERSION;
  /** The policy's `origins`, validated. */
  readonly origins: '*' | readonly ExportedRule[];
  /** The policy's `credentialedOrigins`, validated, or null. */
  readonly credentialedOrigins: readonly ExportedRule[] | null;
  /** The policy's `allowNullOrigin`. */
  readonly allowNullOrigin: boolean;
  /** The policy's `engine`. */
  readonly engine: 'auto' | 'wasm' | 'js';
}

/**
 * Validate `init` exactly as `compilePolicy` does and return its origin rules as JSON for
 * `loadMatcher` in the browser matcher bundle. Throws `PolicyError` (every error in
 * `err.issues`) for an invalid policy, so an export never carries an unvalidated rule.
 *
 * Takes the policy's init object. A compiled `CorsPolicy` does not keep its rules, so one passed
 * here is a TypeError that says so (rather than a list of "unknown option" issues).
 */
export function exportMatcher(init: CorsPolicyInit): ExportedMatcher {
  if (isCompiledPolicy(init)) {
    throw new TypeError(
      'corset: exportMatcher(init): got a compiled CorsPolicy, which does not keep its rules; pass the CorsPolicyInit you compiled it from',
    );
  }
  const { policy, issues } = validatePolicy(init);
  if (policy === null) throw new PolicyError(issues);
  return {
    format: MATCHER_FORMAT,
    version: MATCHER_FORMAT_VERSION,
    origins: policy.origins.kind === 'list' ? policy.origins.rules.map(exportRule) : '*',
    credentialedOrigins: policy.credentialedOrigins === null ? null : policy.credentialedOrigins.map(exportRule),
    allowNullOrigin: policy.allowNullOrigin,
    engine: policy.engine,
  };
}

/** One validated rule as JSON (no shared objects, no RegExp instance). */
export function exportRule(rule: OriginRule): ExportedRule {
  switch (rule.kind) {
    case 'tuple': {
      const pattern = formatOriginPattern(rule);
      return pattern === rule.source ? pattern : { pattern, source: rule.source };
    }
    case 'null':
      return 'null';
    case 'app':
      return rule.source; // canonical: its own normal form
    case 'regexp':
      return { regexp: rule.regexp.source, flags: rule.regexp.flags, source: rule.source };
  }
}

/** What compilePolicy returns: an object with the CorsPolicy methods and no `origins`. */
export function isCompiledPolicy(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  try {
    const v = value as Record<string, unknown>;
    return typeof v['decide'] === 'function' && typeof v['isOriginAllowed'] === 'function' && !('origins' in v);
  } catch {
    return false;
  }
}
