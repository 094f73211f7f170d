// A validated policy compiled: the origin rules with the chosen engine and the decide function
// with every header string it will ever send. What compilePolicy (compile-policy.ts) runs after
// the validator, and loadPolicy (src/edge/load-policy.ts) after its checks of a policy compiled
// ahead of time: this module imports no validator, so the edge build carries none.
import type { CorsPolicy } from '../types.js';
import type { OriginMatcher, OriginRule, ValidatedPolicy } from '../policy/rules.js';
import { createMatcher } from '../engine/select.js';
import { createDecide } from '../decide/decide.js';
import { createOriginAnswers } from './origin-answers.js';
import type { ExtraOrigins } from '../decide/extra-origins.js';

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
