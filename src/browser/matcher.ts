// The precheck-plus-matcher browser entry (dist/browser/matcher.js, budget 15 KB gzipped): the
// small entry's precheck and origin functions, plus compilePolicy/lintPolicy with the origin
// matcher (the WebAssembly module embedded, instantiated asynchronously: `await ready()` first;
// where WebAssembly cannot run, `engine: 'auto'` uses the TypeScript engine).
//
// No Public Suffix List here: scripts/build-browser.mjs swaps src/origin/site.ts for
// ./site-without-psl.ts, so a wildcard pattern over a domain is refused (`public-suffix-wildcard`)
// until a PSL is installed with setRegistrableDomain() (or the policy sets
// allowPublicSuffixWildcards). The full entry (dist/browser/index.js) carries the list.
export * from './precheck.js';
export { compilePolicy, lintPolicy } from '../policy/compile.js';
export { PolicyError, POLICY_ISSUE_CODES } from '../policy/issues.js';
export { ready } from '../engine/ready.js';
export { setRegistrableDomain } from './site-without-psl.js';
