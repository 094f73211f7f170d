// The validated form of a policy: what the validator produces from a CorsPolicyInit and what the
// engines and decide() consume. Nothing here can hold an invalid value: every string is already
// normalised (lower-case, punycode, default port elided) by the URL module.

/** Schemes an origin pattern may name. Browsers send `Origin` for http(s) documents only. */
export type PatternScheme = 'http' | 'https';

/** The port part of a pattern. */
export type PortSpec =
  | { readonly kind: 'default' } // no port in the pattern (or the scheme's default): the origin has none
  | { readonly kind: 'exact'; readonly port: number } // a non-default port
  | { readonly kind: 'any' }; // `:*` — any port, the default included

/**
 * The host part of a pattern.
 * - exact: a serialized host (domain, IPv4, or bracketed IPv6), e.g. `example.com`.
 * - subdomains: `*.suffix` — one or more whole DNS labels, then `.suffix`; never the apex.
 * - glob: one label holds `prefix*suffix`; `*` stands for 1+ chars of `[a-z0-9-]` and the whole
 *   label stays within 63 bytes. `left` are the whole labels before that label, `right` those
 *   after it (each joined with dots, possibly empty). Host = left . prefix*suffix . right.
 */
export type HostSpec =
  | { readonly kind: 'exact'; readonly host: string }
  | { readonly kind: 'subdomains'; readonly suffix: string }
  | {
      readonly kind: 'glob';
      readonly left: string;
      readonly prefix: string;
      readonly suffix: string;
      readonly right: string;
    };

/** One entry of `origins` (or `credentialedOrigins`), validated. `index` is its position there. */
export type OriginRule =
  | {
      readonly kind: 'tuple';
      readonly index: number;
      /** The pattern as written, for `matchOrigin` and messages. */
      readonly source: string;
      readonly scheme: PatternScheme;
      readonly host: HostSpec;
      readonly port: PortSpec;
    }
  | { readonly kind: 'null'; readonly index: number; readonly source: string }
  /**
   * The exact origin of an app or extension (`capacitor://localhost`, `chrome-extension://<id>`),
   * canonical as src/origin/app-origin.ts defines it, so `source` is both the entry as written and
   * the one `Origin` value it matches. Never a wildcard, never matched by `origins: '*'`.
   */
  | { readonly kind: 'app'; readonly index: number; readonly source: string }
  | {
      readonly kind: 'regexp';
      readonly index: number;
      readonly source: string;
      /** A copy without the `g` and `y` flags, so `test` keeps no state between calls. */
      readonly regexp: RegExp;
      /**
       * The match the engines run: the same answer as `regexp.test`, in linear time (re2js, see
       * src/policy/linear-regexp.ts) for a policy compiled by compilePolicy.
       */
      readonly test: (origin: string) => boolean;
    };

export type TupleRule = Extract<OriginRule, { kind: 'tuple' }>;

/** Which origins a policy allows. */
export type OriginSet =
  | { readonly kind: 'any' } // origins: '*' (never `null`)
  | { readonly kind: 'list'; readonly rules: readonly OriginRule[] };

/** A validated policy: every field resolved to its default, every value normalised. */
export interface ValidatedPolicy {
  readonly origins: OriginSet;
  readonly credentials: boolean;
  /** Tiered policy (origins '*'): the rules whose origins get credentials; null when not tiered. */
  readonly credentialedOrigins: readonly OriginRule[] | null;
  /** Method names after Fetch's normalisation (§2.2.1), or '*'. Empty: safelisted methods only. */
  readonly methods: readonly string[] | '*';
  /** Header names, lower-case, or '*'; without credentials a list may hold '*' beside names. */
  readonly allowHeaders: readonly string[] | '*';
  /** Header names, lower-case (`set-cookie` refused), or '*'. */
  readonly exposeHeaders: readonly string[] | '*';
  readonly maxAge: number | null;
  readonly privateNetwork: boolean;
  readonly preflightStatus: number;
  readonly deniedPreflightStatus: number;
  readonly allowNullOrigin: boolean;
  readonly engine: 'auto' | 'wasm' | 'js';
}

/**
 * The result of matching one `Origin` header value against a rule list.
 * - `MATCH_INVALID`: not a canonical serialized origin (or longer than any origin can be).
 * - `MATCH_NONE`: a canonical origin (or `null`) that no rule allows.
 * - otherwise: the `index` of the earliest rule that allows it (>= 0).
 */
export const MATCH_NONE = -1;
export const MATCH_INVALID = -2;

/**
 * What every engine provides: one rule list compiled into tables. Internal: its callers (decide,
 * src/compile/origin-answers.ts, the bulk path) pass strings and arrays of strings only; the
 * public functions in front of it check what untyped callers give (src/arguments.ts).
 */
export interface OriginMatcher {
  /** `MATCH_INVALID`, `MATCH_NONE`, or the earliest allowing rule's index. Never throws. */
  match(origin: string): number;
  /** Batch form of `match(...) >= 0`: one byte per input, 1 allowed, 0 not. */
  matchMany(origins: readonly string[]): Uint8Array;
}

/**
 * `rules` arranged by rule index: the list itself when each rule sits at its own index (as
 * validation and loadMatcher make it: no copy of a list of a million), else a copy so arranged.
 */
export function byRuleIndex(rules: readonly OriginRule[]): readonly (OriginRule | undefined)[] {
  for (let i = 0; i < rules.length; i++) {
    if ((rules[i] as OriginRule).index !== i) {
      const out: OriginRule[] = [];
      for (const rule of rules) out[rule.index] = rule;
      return out;
    }
  }
  return rules;
}
