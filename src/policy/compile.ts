// compilePolicy / lintPolicy (DESIGN.md, "Public API"): validate the whole policy once, collect
// every problem, throw once; then compile the origin rules with the chosen engine and the
// decide function with every header string it will ever send.
import type { CorsPolicy, CorsPolicyInit, PolicyIssue } from '../types.js';
import type { OriginMatcher, OriginRule, ValidatedPolicy } from './rules.js';
import { validatePolicy } from './validate.js';
import { PolicyError } from './issues.js';
import { createMatcher } from '../engine/select.js';
import { createDecide } from '../decide/decide.js';
import { describeType, isCanonicalTupleOrigin } from '../origin/origin.js';
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';

/**
 * Validate `init` and compile it. Throws `PolicyError` (with every error in `err.issues`) for an
 * invalid policy, including a non-object `init` from an untyped caller (code `policy-not-object`):
 * every problem with the policy argument is reported the same way. Throws a plain Error when
 * `engine: 'wasm'` is asked for where WebAssembly cannot run (only `'auto'` falls back).
 */
export function compilePolicy(init: CorsPolicyInit): CorsPolicy {
  const { policy, issues } = validatePolicy(init);
  if (policy === null) throw new PolicyError(issues);
  return compileValidated(policy);
}

/**
 * Every issue `compilePolicy` would throw for, plus warnings. Never throws, whatever `init` is.
 * (Whether WebAssembly can run here is a property of the runtime, not of the policy: it is not an
 * issue, and `compilePolicy` reports it by throwing.)
 */
export function lintPolicy(init: CorsPolicyInit): PolicyIssue[] {
  return validatePolicy(init).issues;
}

/** The compiled policy for a validated one. */
function compileValidated(policy: ValidatedPolicy): CorsPolicy {
  // origins '*' has no rules, but the engine is still chosen (and `'wasm'` refused where it
  // cannot run) exactly as for a list.
  const originRules: readonly OriginRule[] = policy.origins.kind === 'list' ? policy.origins.rules : [];
  const selected = createMatcher(originRules, policy.engine);
  const originsMatcher: OriginMatcher | null = policy.origins.kind === 'list' ? selected.matcher : null;
  const credentialedRules = policy.credentialedOrigins;
  const credentialedMatcher =
    credentialedRules === null ? null : createMatcher(credentialedRules, policy.engine).matcher;

  const decide = createDecide(policy, { origins: originsMatcher, credentialed: credentialedMatcher });
  const sources = sourcesByIndex(originRules);
  const credentialedSources = credentialedRules === null ? [] : sourcesByIndex(credentialedRules);
  const anyOrigin = policy.origins.kind === 'any';
  const allowNullOrigin = policy.allowNullOrigin;

  /**
   * The pattern that allows `origin`, as decide() reads the policy: for a tiered policy the
   * credentialed entry first (it is the answer the origin gets), then `*` for any tuple origin;
   * for a list, the earliest entry. `null` only with `allowNullOrigin`. Total over strings.
   */
  function resolve(origin: string): string | null {
    if (origin.length > MAX_ORIGIN_LENGTH) return null;
    if (origin === 'null' && !allowNullOrigin) return null;
    if (credentialedMatcher !== null) {
      const m = credentialedMatcher.match(origin);
      if (m >= 0) return credentialedSources[m] ?? null;
    }
    if (anyOrigin) return origin !== 'null' && isCanonicalTupleOrigin(origin) ? '*' : null;
    if (originsMatcher === null) return null;
    const m = originsMatcher.match(origin);
    return m >= 0 ? (sources[m] ?? null) : null;
  }

  const compiled: CorsPolicy = {
    engine: selected.engine,
    isOriginAllowed(origin: string): boolean {
      requireString(origin, 'origin', 'isOriginAllowed');
      return resolve(origin) !== null;
    },
    matchOrigin(origin: string): string | null {
      requireString(origin, 'origin', 'matchOrigin');
      return resolve(origin);
    },
    matchOrigins(origins: readonly string[]): Uint8Array {
      if (!Array.isArray(origins)) {
        throw new TypeError(`corset: matchOrigins(origins): origins must be an array of strings, got ${describeType(origins)}`);
      }
      for (let i = 0; i < origins.length; i++) requireString(origins[i], `origins[${i}]`, 'matchOrigins');
      // A plain list: one call into the engine for the whole batch (the WASM engine amortises
      // the boundary). Its `null` rule exists only with allowNullOrigin (validation refuses it
      // otherwise), so the engine's answer is already decide()'s.
      if (originsMatcher !== null && credentialedMatcher === null) return originsMatcher.matchMany(origins);
      const out = new Uint8Array(origins.length);
      for (let i = 0; i < origins.length; i++) out[i] = resolve(origins[i] as string) === null ? 0 : 1;
      return out;
    },
    decide,
  };
  return Object.freeze(compiled);
}

function sourcesByIndex(rules: readonly OriginRule[]): string[] {
  const out: string[] = [];
  for (const rule of rules) out[rule.index] = rule.source;
  return out;
}

function requireString(value: unknown, name: string, fn: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`corset: ${fn}(${name}): ${name} must be a string, got ${describeType(value)}`);
  }
}
