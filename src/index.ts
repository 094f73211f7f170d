/**
 * The package root: origins and sites, policies, decisions, live policies, the browser-side precheck. The same API in Node, browsers and Fetch runtimes.
 * @module corset-cors
 */
// corset: the package root (Node). Everything in DESIGN.md's public API is exported from here.
export type * from './types.js';

// Origins and sites (URL §4.7, HTML §7.1.1)
export { parseOrigin, parseOriginHeader, serializeOrigin, isSameOrigin } from './origin/origin.js';
export { isSameSite, isSchemelesslySameSite, siteOf } from './origin/site.js';
export { MAX_ORIGIN_LENGTH } from './origin/limits.js';

// Policy
export { compilePolicy, lintPolicy } from './compile/compile-policy.js';
export { PolicyError, POLICY_ISSUE_CODES } from './policy/issues.js';
export type { PolicyIssueCode } from './policy/issues.js';
// A validated policy's origin rules as JSON, for loadMatcher() in the browser matcher bundle
export { exportMatcher, MATCHER_FORMAT, MATCHER_FORMAT_VERSION } from './policy/export.js';
export type { ExportedMatcher, ExportedRule } from './policy/export.js';
// A whole validated policy as JSON, and its loader without the validator (corset-cors/edge)
export { exportPolicy } from './policy/export-policy.js';
export { loadPolicy } from './edge/load-policy.js';
export type { LoadPolicyOptions } from './edge/load-policy.js';
export { POLICY_FORMAT, POLICY_FORMAT_VERSION } from './policy/policy-data.js';
export type { ExportedPolicy, ExportedPolicyBody, ExportedPolicyRule } from './policy/policy-data.js';

// Live policies: origins that change at runtime (DESIGN.md, "Origins that change at runtime")
export { createLivePolicy } from './live/live-policy.js';
export type { LiveOptions, LivePolicy } from './live/live-policy.js';
export { watchPolicyFile } from './live/watch-policy-file.js';
export type { PolicyFileWatcher, WatchPolicyFileOptions } from './live/watch-policy-file.js';

// Decisions (server side)
export { DECISION_REASONS } from './decide/reasons.js';
export type { DecisionReason } from './decide/reasons.js';

// Engines: resolves once the WebAssembly matcher can run (at once where it already can)
export { ready } from './engine/ready.js';

// Browser side (Fetch, as a browser runs it)
export { planFetch, checkPreflight, checkResponse, checkRedirect, PreflightCache, PRECHECK_REASONS, corsErrorNameOf, useEngineProfiles, detectEngine, detectEngineVersion } from './precheck/index.js';
export type { PlanFetchOptions, PrecheckReason, PreflightCacheOptions, PreflightCacheParameters, RedirectParameters } from './precheck/index.js';
