/**
 * The precheck bundle plus `loadMatcher`: a policy's origin matcher, validated on the server (`exportMatcher`) and run in the page.
 * @module corset-cors/browser/matcher
 */
// The precheck-plus-matcher browser entry (dist/browser/matcher.js, budget 15 KB gzipped): the
// small entry's precheck and origin functions, plus the origin matcher of a policy validated on
// the server. The policy validator (with its messages, the pattern parser and the Public Suffix
// List) stays out of this bundle: the server runs `exportMatcher(init)` (or `corset compile
// policy.json`), the page runs `loadMatcher(exported)` on the result (src/browser/load-matcher.ts
// says what it checks). The WebAssembly module is embedded and instantiated asynchronously:
// `await ready()` before loadMatcher; where WebAssembly cannot run, `engine: 'auto'` uses the
// TypeScript engine. compilePolicy and lintPolicy are in the full entry (dist/browser/index.js).
export * from './precheck.js';
export { loadMatcher, type LoadMatcherOptions, type OriginMatcherPolicy } from './load-matcher.js';
export type { ExportedMatcher, ExportedRule } from '../policy/export.js';
export { ready } from '../engine/ready.js';
