// The requests of the benchmark grid (issue 6, "The suite"): for a generated policy of one shape
// and size, requests of each class, and the verdict each contender must give before it is timed.
//
// Policies and origins come from the same generator as `corset bench` (src/cli/bench.ts), so the
// suite and the CLI measure the same inputs. Every origin is kept as two parts, joined and
// flattened per call (`freshString`): each request sees a freshly built flat header string whose
// hash no engine has cached, as a server does.
import { benchOrigins, type BenchShape } from '../../src/cli/bench.js';

/** Request classes, each a row group of the grid. */
export type RequestClass =
  | 'get-allowed'
  | 'get-allowed-distinct'
  | 'get-denied'
  | 'preflight-allowed'
  | 'preflight-denied'
  | 'preflight-hostile-acrh'
  | 'get-hostile-origin';

export const REQUEST_CLASSES: readonly RequestClass[] = [
  'get-allowed',
  'get-allowed-distinct',
  'get-denied',
  'preflight-allowed',
  'preflight-denied',
  'preflight-hostile-acrh',
  'get-hostile-origin',
];

export const CLASS_LABELS: Readonly<Record<RequestClass, string>> = {
  'get-allowed': 'GET, allowed origin',
  'get-allowed-distinct': 'GET, allowed, 1024 distinct origins',
  'get-denied': 'GET, denied origin',
  'preflight-allowed': 'preflight, allowed',
  'preflight-denied': 'preflight, denied origin',
  'preflight-hostile-acrh': 'preflight, allowed origin, 1 MB Access-Control-Request-Headers',
  'get-hostile-origin': 'GET, 8 KB Origin',
};

export interface BenchRequest {
  readonly method: 'GET' | 'OPTIONS';
  /** The `Origin` header as [scheme part, rest]: joined per call into a fresh string. */
  readonly origin: readonly [string, string];
  readonly requestMethod: string | null;
  readonly requestHeaders: string | null;
}

/** Requests per class (a power of two: contenders cycle through them). */
export const REQUEST_COUNT = 1024;

/**
 * Distinct origins among a class's requests (each repeated REQUEST_COUNT / HOT_ORIGINS times):
 * a gateway's traffic comes from a set of origins far smaller than its request count, and corset
 * keeps the decisions of up to 512 origins matched by wildcard rules (src/decide/decide.ts,
 * ORIGIN_CACHE_LIMIT). The `get-allowed-distinct` class has REQUEST_COUNT distinct origins, in
 * turn, where the rules allow that many (exact rules: at most n): for wildcard and glob rules,
 * the case where that cache cannot help.
 */
export const HOT_ORIGINS = 256;

/** What an allowed preflight asks for: a method and a header the generated policies allow. */
export const PREFLIGHT_METHOD = 'PUT';
export const PREFLIGHT_HEADERS = 'content-type,x-requested-with';

/**
 * 1 MiB of `, ,`: a header no browser sends (it lists at most a few dozen names), and that a
 * parser splitting on commas turns into ~350 000 empty elements. Built once: the grid measures
 * what a middleware does with it, not building it. (Node's HTTP parser refuses headers above
 * 16 KiB by default; gateways that raise `maxHeaderSize` or parse HTTP/2 themselves do see such
 * values.)
 */
export const HOSTILE_REQUEST_HEADERS = ', ,'.repeat(Math.ceil((1 << 20) / 3)).slice(0, 1 << 20);

/**
 * An 8 KiB `Origin`: 63-byte DNS labels (each one valid) and a tail no generated rule matches.
 * Longer than any serialized origin (DESIGN.md: 268 characters), so corset refuses it on its
 * length; a RegExp list scans it once per pattern. Unlike the other origins it is one prebuilt
 * flat string (joined with '', which V8 returns as is), not rebuilt per call: flattening an
 * 8 KiB rope costs about 10 us here, which would hide what every contender does with it. (The
 * floor's Set.has then finds its hash cached; no other contender hashes it.)
 */
export const HOSTILE_ORIGIN: readonly [string, string] = (() => {
  const label = `${'a'.repeat(63)}.`;
  let host = '';
  while (host.length + label.length <= 8192 - 'https://'.length - 'example.net'.length) host += label;
  const origin = `https://${host}example.net`;
  origin.charCodeAt(0); // flat before the first request
  return [origin, ''] as const;
})();

/** `count` requests of one class for a generated policy of `shape` and `n` rules. */
export function requestsFor(shape: BenchShape, n: number, cls: RequestClass, count = REQUEST_COUNT): BenchRequest[] {
  const hot = Math.min(HOT_ORIGINS, count);
  const allowed = benchOrigins(shape, n, hot, true);
  const denied = benchOrigins(shape, n, hot, false);
  const distinct = cls === 'get-allowed-distinct' ? benchOrigins(shape, n, count, true) : [];
  const out: BenchRequest[] = [];
  for (let j = 0; j < count; j++) {
    const k = j % hot;
    switch (cls) {
      case 'get-allowed':
        out.push({ method: 'GET', origin: allowed[k] as [string, string], requestMethod: null, requestHeaders: null });
        break;
      case 'get-allowed-distinct':
        out.push({ method: 'GET', origin: distinct[j] as [string, string], requestMethod: null, requestHeaders: null });
        break;
      case 'get-denied':
        out.push({ method: 'GET', origin: denied[k] as [string, string], requestMethod: null, requestHeaders: null });
        break;
      case 'preflight-allowed':
        out.push({ method: 'OPTIONS', origin: allowed[k] as [string, string], requestMethod: PREFLIGHT_METHOD, requestHeaders: PREFLIGHT_HEADERS });
        break;
      case 'preflight-denied':
        out.push({ method: 'OPTIONS', origin: denied[k] as [string, string], requestMethod: PREFLIGHT_METHOD, requestHeaders: PREFLIGHT_HEADERS });
        break;
      case 'preflight-hostile-acrh':
        out.push({ method: 'OPTIONS', origin: allowed[k] as [string, string], requestMethod: PREFLIGHT_METHOD, requestHeaders: HOSTILE_REQUEST_HEADERS });
        break;
      case 'get-hostile-origin':
        out.push({ method: 'GET', origin: HOSTILE_ORIGIN, requestMethod: null, requestHeaders: null });
        break;
    }
  }
  return out;
}

/**
 * The verdict each side must give, checked on every request before timing ("allowed" means the
 * response carries `Access-Control-Allow-Origin`, or `decision.allowed` for decide()).
 * The one difference: a preflight with a 1 MB `Access-Control-Request-Headers` is refused by
 * corset (`request-headers-too-long`), while the peers, configured with a fixed header list,
 * answer it without reading the header; the browser would then fail the preflight itself.
 */
export function expectedVerdict(cls: RequestClass, side: 'corset' | 'peer'): boolean {
  switch (cls) {
    case 'get-allowed':
    case 'get-allowed-distinct':
    case 'preflight-allowed':
      return true;
    case 'preflight-hostile-acrh':
      return side === 'peer';
    case 'get-denied':
    case 'preflight-denied':
    case 'get-hostile-origin':
      return false;
  }
}
