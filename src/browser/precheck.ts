/**
 * The small browser bundle: the Fetch-standard precheck (`planFetch`, `checkPreflight`, `checkResponse`) and the origin functions, without the Public Suffix List.
 * @module corset-cors/browser/precheck
 */
// The small browser entry (dist/browser/precheck.js, budget 8 KB gzipped): the Fetch-standard
// precheck and the origin functions, on the platform's `URL`, without the Public Suffix List.
// `sameSite` is exact wherever the list is not needed (src/precheck/same-site-lite.ts says which
// pairs those are); for the rest pass `{ registrableDomain }` or use the full entry.
export type * from '../types.js';
export {
  planFetch,
  checkPreflight,
  checkResponse,
  type LitePlanFetchOptions,
  type PrecheckReason,
  type RegistrableDomainFn,
} from '../precheck/lite.js';
export { parseOrigin, serializeOrigin, isSameOrigin } from '../origin/origin.js';
export { URL_BACKEND } from '../url/backend.js';
