// exportMatcher: the origin rules of a validated policy as plain JSON, for the browser matcher
// bundle (dist/browser/matcher.js). That bundle carries no policy validator: the validator, its
// messages, the pattern parser and the Public Suffix List are several times its 15 KB budget. So
// a policy is validated here, once, on the server (or by `corset compile`), and the page loads the
// result with `loadMatcher` (src/browser/load-matcher.ts), which checks that every rule has a
// form the strict pattern parser (./pattern.ts) could have produced before any engine runs it.
//
// The format (version 1), every string already normalised by the URL parser:
//
//   { format: 'corset-matcher', version: 1,
//     anyOrigin: false,                       // true for origins: '*' (then origins is [])
//     origins: [                              // one entry per `origins` entry, index = position
//       { kind: 'tuple', index: 0, source: 'https://*.Example.com', scheme: 'https',
//         host: { kind: 'subdomains', suffix: 'example.com' }, port: { kind: 'default' } },
//       { kind: 'null', index: 1, source: 'null' },                 // only with allowNullOrigin
//       { kind: 'regexp', index: 2, source: '/^https:\\/\\/a\\.test$/', pattern: '^https:\\/\\/a\\.test$', flags: '' },
//     ],
//     credentialedOrigins: null,              // a tiered policy's list (origins '*'), or null
//     allowNullOrigin: false,
//     engine: 'auto' }
//
// Only what decides `isOriginAllowed` / `matchOrigin` / `matchOrigins` travels: methods, headers
// and the other response options stay on the server, where `decide` answers with them.
import type { CorsPolicyInit } from '../types.js';
import type { HostSpec, OriginRule, PatternScheme, PortSpec } from './rules.js';
import { validatePolicy } from './validate.js';
import { PolicyError } from './issues.js';

/** The `format` tag of an exported matcher. */
export const MATCHER_FORMAT = 'corset-matcher';
/** The format version this corset writes and `loadMatcher` reads. */
export const MATCHER_FORMAT_VERSION = 1;

/** One validated `origins` (or `credentialedOrigins`) entry, as JSON. */
export type ExportedRule =
  | {
      readonly kind: 'tuple';
      readonly index: number;
      readonly source: string;
      readonly scheme: PatternScheme;
      readonly host: HostSpec;
      readonly port: PortSpec;
    }
  | { readonly kind: 'null'; readonly index: number; readonly source: 'null' }
  | {
      readonly kind: 'regexp';
      readonly index: number;
      /** As written (`/^https:\/\/a\.test$/g`), for `matchOrigin`. */
      readonly source: string;
      /** `RegExp.prototype.source` and `flags` of the copy corset runs (never `g` or `y`). */
      readonly pattern: string;
      readonly flags: string;
    };

/** What `exportMatcher` returns and `loadMatcher` takes: JSON-serialisable, no functions. */
export interface ExportedMatcher {
  readonly format: typeof MATCHER_FORMAT;
  readonly version: typeof MATCHER_FORMAT_VERSION;
  readonly anyOrigin: boolean;
  readonly origins: readonly ExportedRule[];
  readonly credentialedOrigins: readonly ExportedRule[] | null;
  readonly allowNullOrigin: boolean;
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
  const anyOrigin = policy.origins.kind === 'any';
  return {
    format: MATCHER_FORMAT,
    version: MATCHER_FORMAT_VERSION,
    anyOrigin,
    origins: policy.origins.kind === 'list' ? policy.origins.rules.map(exportRule) : [],
    credentialedOrigins: policy.credentialedOrigins === null ? null : policy.credentialedOrigins.map(exportRule),
    allowNullOrigin: policy.allowNullOrigin,
    engine: policy.engine,
  };
}

/** A fresh plain copy of one validated rule (no shared objects, no RegExp instance). */
function exportRule(rule: OriginRule): ExportedRule {
  switch (rule.kind) {
    case 'tuple':
      return {
        kind: 'tuple',
        index: rule.index,
        source: rule.source,
        scheme: rule.scheme,
        host: { ...rule.host },
        port: { ...rule.port },
      };
    case 'null':
      return { kind: 'null', index: rule.index, source: 'null' };
    case 'regexp':
      return { kind: 'regexp', index: rule.index, source: rule.source, pattern: rule.regexp.source, flags: rule.regexp.flags };
  }
}

/** What compilePolicy returns: an object with the CorsPolicy methods and no `origins`. */
function isCompiledPolicy(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  try {
    const v = value as Record<string, unknown>;
    return typeof v['decide'] === 'function' && typeof v['isOriginAllowed'] === 'function' && !('origins' in v);
  } catch {
    return false;
  }
}
