// A whole policy compiled ahead of time, as JSON (version 1): what `exportPolicy` (./export-policy.ts)
// and `corset compile --format policy` write, and `loadPolicy` (src/edge/load-policy.ts) reads
// without the validator or the Public Suffix List. Every check ran where it was written; the
// loader checks the shape and every invariant decide() relies on, and the integrity field:
//
//   { format: 'corset-policy', version: 1,
//     integrity: 'sha256-<64 hex digits>',   // SHA-256 of JSON.stringify(policy), as written
//     policy: {
//       origins: ['https://app.example.com', { pattern: 'https://*.example.com', source: 'https://*.Example.com' }],
//                                             // or '*'; entries as in exportMatcher (no RegExp)
//       credentialedOrigins: null,            // a tiered policy's list (origins '*'), or null
//       credentials: true,
//       methods: ['GET', 'PUT'],              // normalised (Fetch §2.2.1), or '*'
//       allowHeaders: ['content-type'],       // lower case; '*' alone or beside names
//       exposeHeaders: [],
//       maxAge: 600,                          // or null
//       privateNetwork: false,
//       preflightStatus: 204,
//       deniedPreflightStatus: 403,
//       allowNullOrigin: false,
//       engine: 'auto' } }
//
// The integrity field is a checksum against edits and corruption, not a signature: whoever can
// write the file can recompute it. (Whoever can write it can also list any origin: the file is as
// trusted as the code that imports it.) What it guards is that a policy the validator refused
// (a wildcard over a public suffix, an http:// origin with credentials) is not slipped past the
// checks that only the validator can run.
import type { ExportedRule } from './export.js';
import { sha256Hex } from './sha256.js';

/** The `format` tag of an exported policy. */
export const POLICY_FORMAT = 'corset-policy';
/** The format version this corset writes and `loadPolicy` reads. */
export const POLICY_FORMAT_VERSION = 1;
/** The integrity field's algorithm prefix. */
export const POLICY_INTEGRITY_PREFIX = 'sha256-';

/** An origin entry of an exported policy: a pattern (or 'null'), never a RegExp. */
export type ExportedPolicyRule = Exclude<ExportedRule, { readonly regexp: string }>;

/** The validated policy, as JSON (src/policy/rules.ts ValidatedPolicy). */
export interface ExportedPolicyBody {
  /** `origins`, validated, in normal form. */
  readonly origins: '*' | readonly ExportedPolicyRule[];
  /** `credentialedOrigins`, validated, or null. */
  readonly credentialedOrigins: readonly ExportedPolicyRule[] | null;
  /** `credentials`. */
  readonly credentials: boolean;
  /** `methods`, normalised. */
  readonly methods: readonly string[] | '*';
  /** `allowHeaders`, lower case. */
  readonly allowHeaders: readonly string[] | '*';
  /** `exposeHeaders`, lower case. */
  readonly exposeHeaders: readonly string[] | '*';
  /** `maxAge`, or null when not set. */
  readonly maxAge: number | null;
  /** `privateNetwork`. */
  readonly privateNetwork: boolean;
  /** `preflightStatus`. */
  readonly preflightStatus: number;
  /** `deniedPreflightStatus`. */
  readonly deniedPreflightStatus: number;
  /** `allowNullOrigin`. */
  readonly allowNullOrigin: boolean;
  /** `engine`. */
  readonly engine: 'auto' | 'wasm' | 'js';
}

/** What `exportPolicy` returns and `loadPolicy` takes: JSON-serialisable, no functions. */
export interface ExportedPolicy {
  /** Always `POLICY_FORMAT`. */
  readonly format: typeof POLICY_FORMAT;
  /** Always `POLICY_FORMAT_VERSION`. */
  readonly version: typeof POLICY_FORMAT_VERSION;
  /** `sha256-` and the SHA-256 of `JSON.stringify(policy)`. */
  readonly integrity: string;
  /** The validated policy. */
  readonly policy: ExportedPolicyBody;
}

/** The keys of ExportedPolicyBody, sorted and comma-separated (what the loader requires exactly). */
export const POLICY_BODY_KEYS =
  'allowHeaders,allowNullOrigin,credentialedOrigins,credentials,deniedPreflightStatus,engine,exposeHeaders,maxAge,methods,origins,preflightStatus,privateNetwork';

/** `sha256-` and the SHA-256 of the body's JSON, as written (as given, for the loader). */
export function policyIntegrity(body: unknown): string {
  return `${POLICY_INTEGRITY_PREFIX}${sha256Hex(JSON.stringify(body))}`;
}
