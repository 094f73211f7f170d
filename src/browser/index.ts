/**
 * The full browser bundle: the package root's API on the platform's `URL`, with the Public Suffix List.
 * @module corset-cors/browser
 */
// The full browser entry (dist/browser/index.js): the package root's API, as in Node, with the
// platform's `URL` in place of whatwg-url (scripts/build-browser.mjs swaps the backend) and the
// Public Suffix List (tldts) for exact same-site answers. The precheck here is the exact one.
export * from '../index.js';
export {
  planFetch,
  checkPreflight,
  checkResponse,
  checkRedirect,
  PreflightCache,
  PRECHECK_REASONS,
  corsErrorNameOf,
  useEngineProfiles,
  detectEngine,
  detectEngineVersion,
  type PlanFetchOptions,
  type PrecheckReason,
} from '../precheck/index.js';
export { URL_BACKEND } from '../url/backend.js';
// ready() is in DESIGN.md's public API; exported here whether or not the root exports it yet.
export { ready } from '../engine/ready.js';
// The matcher bundle's loader, so that a page can move between the two bundles without changes.
export { loadMatcher, type LoadMatcherOptions, type OriginMatcherPolicy } from './load-matcher.js';
