// corset: the package root (Node). Everything in DESIGN.md's public API is exported from here.
export type * from './types.js';
export { parseOrigin, parseOriginHeader, serializeOrigin, isSameOrigin } from './origin/origin.js';
export { isSameSite, isSchemelesslySameSite, siteOf } from './origin/site.js';
export { MAX_ORIGIN_LENGTH } from './origin/limits.js';
