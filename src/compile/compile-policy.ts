// compilePolicy / lintPolicy (DESIGN.md, "Public API"): validate the whole policy once, collect
// every problem, throw once; then compile the origin rules with the chosen engine and the
// decide function with every header string it will ever send.
//
// src/compile/ is the layer that composes the others (origin -> policy -> engine -> decide ->
// compile -> adapters): the validator (src/policy/), the engines (src/engine/) and decide
// (src/decide/) meet here, and nowhere below.
import type { CorsPolicy, CorsPolicyInit, PolicyIssue } from '../types.js';
import { validatePolicy } from '../policy/validate.js';
import { PolicyError } from '../policy/issues.js';
import { compileValidated } from './compile-validated.js';

export { compileValidated, validatedPolicyOf } from './compile-validated.js';

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

