// The seam between decide() and a live policy (src/live/): origins allowed beside the compiled
// rules, added at runtime (`addOrigins`) or answered by a resolver. decide() consults it only
// after the compiled rules missed a canonical origin, so a policy without it pays nothing, and
// an origin the rules allow never reaches it.
import type { CorsDecision } from '../types.js';

/**
 * One origin allowed beside the rules, with the decisions decide() built for it (one per request
 * shape). `owner` names the compiled decide those decisions belong to: when a live policy swaps
 * in a new compiled policy, the new decide sees a different owner and rebuilds them, so an entry
 * outlives any number of updates without a stale header.
 */
export interface ExtraOrigin {
  /** The origin, as the matched pattern (`CorsDecision.matched`). */
  readonly source: string;
  /**
   * A rule of the running policy allows the origin too: `first` skips the entry so that the rule
   * answers (and `matched` names it). Kept by the live policy for its running snapshot.
   */
  shadowed: boolean;
  owner: object | null;
  actual: CorsDecision | undefined;
  preflight: CorsDecision | undefined;
  pna: CorsDecision | undefined;
}

export function newExtraOrigin(source: string): ExtraOrigin {
  return { source, shadowed: false, owner: null, actual: undefined, preflight: undefined, pna: undefined };
}

/** Why an origin beside the rules is not (yet) allowed: decide() denies with this reason. */
export type ExtraDenial = 'origin-unresolved' | 'resolver-timeout' | 'resolver-error';

export interface ExtraOrigins {
  /**
   * Asked before the rules, with the header value as it came (any string): the entry of an
   * origin allowed beside the rules that no rule shadows, else undefined. Never asks a resolver.
   */
  first(origin: string): ExtraOrigin | undefined;
  /**
   * Called with a canonical serialized origin (never `null`) that no compiled rule allows: its
   * entry when allowed, a denial reason, or null (not allowed: `origin-not-allowed`).
   * Under a tiered policy an allowed origin joins `credentialedOrigins`, and a denial reason
   * leaves it in the public tier (the lookup only ever decides credentials there).
   */
  lookup(origin: string): ExtraOrigin | ExtraDenial | null;
}
