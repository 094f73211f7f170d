// exportPolicy: a whole validated policy as JSON for loadPolicy (the format: ./policy-data.ts), so
// that an edge runtime runs a policy checked here without carrying the validator, its messages,
// the pattern parser, re2js or the Public Suffix List.
import type { CorsPolicyInit } from '../types.js';
import type { OriginRule } from './rules.js';
import { exportRule, isCompiledPolicy } from './export.js';
import { PolicyError } from './issues.js';
import { validatePolicy } from './validate.js';
import {
  POLICY_FORMAT,
  POLICY_FORMAT_VERSION,
  policyIntegrity,
  type ExportedPolicy,
  type ExportedPolicyBody,
  type ExportedPolicyRule,
} from './policy-data.js';

/**
 * Validate `init` exactly as `compilePolicy` does and return it as JSON for `loadPolicy`. Throws
 * `PolicyError` (every error in `err.issues`) for an invalid policy, and an Error for a RegExp
 * origin entry: a loaded policy runs no RegExp (the linear-time RegExp engine is more than the
 * rest of an edge Worker together), so such a policy stays with compilePolicy.
 */
export function exportPolicy(init: CorsPolicyInit): ExportedPolicy {
  if (isCompiledPolicy(init)) {
    throw new TypeError(
      'corset: exportPolicy(init): got a compiled CorsPolicy, which does not keep its rules; pass the CorsPolicyInit you compiled it from',
    );
  }
  const { policy, issues } = validatePolicy(init);
  if (policy === null) throw new PolicyError(issues);
  const rules = (list: readonly OriginRule[], path: string): ExportedPolicyRule[] =>
    list.map((rule, i) => {
      if (rule.kind === 'regexp') {
        throw new Error(
          `corset: exportPolicy(init): ${path}[${i}] ${rule.source} is a RegExp, and a policy for loadPolicy runs none (no RegExp engine at the edge); write the origins as patterns (https://*.example.com, https://pr-*.example.com), or compile this policy with compilePolicy where it runs`,
        );
      }
      return exportRule(rule) as ExportedPolicyRule;
    });
  const body: ExportedPolicyBody = {
    origins: policy.origins.kind === 'list' ? rules(policy.origins.rules, 'origins') : '*',
    credentialedOrigins: policy.credentialedOrigins === null ? null : rules(policy.credentialedOrigins, 'credentialedOrigins'),
    credentials: policy.credentials,
    methods: policy.methods === '*' ? '*' : [...policy.methods],
    allowHeaders: policy.allowHeaders === '*' ? '*' : [...policy.allowHeaders],
    exposeHeaders: policy.exposeHeaders === '*' ? '*' : [...policy.exposeHeaders],
    maxAge: policy.maxAge,
    privateNetwork: policy.privateNetwork,
    preflightStatus: policy.preflightStatus,
    deniedPreflightStatus: policy.deniedPreflightStatus,
    allowNullOrigin: policy.allowNullOrigin,
    engine: policy.engine,
  };
  return { format: POLICY_FORMAT, version: POLICY_FORMAT_VERSION, integrity: policyIntegrity(body), policy: body };
}
