// compilePolicy / lintPolicy (DESIGN.md, "Public API"): validate the whole policy once, collect
// every problem, throw once; then compile the origin rules with the chosen engine and the
// decide function with every header string it will ever send.
import type { CorsPolicy, CorsPolicyInit, PolicyIssue } from './types.js';
import type { OriginMatcher, OriginRule, ValidatedPolicy } from './policy/rules.js';
import { validatePolicy } from './policy/validate.js';
import { PolicyError } from './policy/issues.js';
import { createMatcher } from './engine/select.js';
import { createDecide } from './decide/decide.js';
import { createOriginAnswers } from './policy/origin-answers.js';
import type { ExtraOrigins } from './decide/extra-origins.js';

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

/**
 * The compiled policy for a validated one. `extra`: a live policy's origins beside the rules
 * (src/live/), consulted by decide() after the rules miss.
 */
export function compileValidated(policy: ValidatedPolicy, extra: ExtraOrigins | null = null): CorsPolicy {
  // origins '*' has no rules, but the engine is still chosen (and `'wasm'` refused where it
  // cannot run) exactly as for a list.
  const originRules: readonly OriginRule[] = policy.origins.kind === 'list' ? policy.origins.rules : [];
  const selected = createMatcher(originRules, policy.engine);
  const originsMatcher: OriginMatcher | null = policy.origins.kind === 'list' ? selected.matcher : null;
  const credentialedRules = policy.credentialedOrigins;
  const credentialedMatcher =
    credentialedRules === null ? null : createMatcher(credentialedRules, policy.engine).matcher;

  const decide = createDecide(policy, { origins: originsMatcher, credentialed: credentialedMatcher, extra });
  const answers = createOriginAnswers({
    engine: selected.engine,
    origins: originsMatcher === null ? null : { matcher: originsMatcher, rules: originRules },
    credentialed: credentialedMatcher === null || credentialedRules === null ? null : { matcher: credentialedMatcher, rules: credentialedRules },
    allowNullOrigin: policy.allowNullOrigin,
  });
  const compiled: CorsPolicy = Object.freeze({ ...answers, decide });
  validatedOf.set(compiled, policy);
  return compiled;
}

/** Each compiled policy's validated form, so a live policy can be made from a compiled one. */
const validatedOf = new WeakMap<CorsPolicy, ValidatedPolicy>();

/** The validated policy `compiled` was built from, or null when compilePolicy did not build it. */
export function validatedPolicyOf(compiled: CorsPolicy): ValidatedPolicy | null {
  return validatedOf.get(compiled) ?? null;
}
