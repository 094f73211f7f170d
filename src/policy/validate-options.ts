// The policy's options as values: which keys exist (and what a mistyped one most likely means),
// the boolean flags, maxAge, the preflight statuses and the engine choice.
import { describeType, quote } from './issues.js';
import type { Issues } from './issue-collector.js';

/** Every option a CorsPolicyInit may have; any other key is refused (typo protection). */
export const KNOWN_OPTIONS = [
  'origins',
  'credentials',
  'credentialedOrigins',
  'methods',
  'allowHeaders',
  'exposeHeaders',
  'maxAge',
  'privateNetwork',
  'preflightStatus',
  'deniedPreflightStatus',
  'allowNullOrigin',
  'allowInsecureOrigins',
  'allowPublicSuffixWildcards',
  'allowUnanchoredRegExp',
  'engine',
] as const;
export type OptionName = (typeof KNOWN_OPTIONS)[number];
export const KNOWN_OPTION_SET: ReadonlySet<string> = new Set(KNOWN_OPTIONS);

/** What other CORS middlewares call our options (expressjs/cors, hono, @koa/cors, fastify). */
const OPTION_ALIASES: Readonly<Record<string, OptionName>> = {
  origin: 'origins',
  allowedOrigins: 'origins',
  allowOrigins: 'origins',
  allowMethods: 'methods',
  allowedMethods: 'methods',
  allowedHeaders: 'allowHeaders',
  exposedHeaders: 'exposeHeaders',
  allowCredentials: 'credentials',
  optionsSuccessStatus: 'preflightStatus',
  allowPrivateNetwork: 'privateNetwork',
};

/** Chromium caps `Access-Control-Max-Age` at 2 hours, Firefox at 24 hours. */
export const CHROMIUM_MAX_AGE_CAP = 7200;
export const FIREFOX_MAX_AGE_CAP = 86400;

const DEFAULT_PREFLIGHT_STATUS = 204;
const DEFAULT_DENIED_PREFLIGHT_STATUS = 403;

export function readBoolean(raw: ReadonlyMap<OptionName, unknown>, key: OptionName, issues: Issues): boolean {
  const value = raw.get(key);
  if (value === undefined || value === true || value === false) return value === true;
  issues.add('invalid-type', key, `corset: ${key} must be true or false, got ${quote(value)}`);
  return false;
}

export function warnDangerous(on: boolean, key: OptionName, why: string, issues: Issues): void {
  if (on) issues.add('dangerous-option', key, `corset: ${key}: true is dangerous: ${why}; keep it only if you mean it`);
}

/** `maxAge`: null when absent, the number when valid, undefined when in error. */
export function validateMaxAge(value: unknown, issues: Issues): number | null | undefined {
  if (value === undefined) return null;
  if (typeof value !== 'number') {
    issues.add('invalid-type', 'maxAge', `corset: maxAge must be a number of seconds, got ${describeType(value)}`);
    return undefined;
  }
  if (!Number.isInteger(value) || value < 0) {
    issues.add(
      'invalid-max-age',
      'maxAge',
      `corset: maxAge: ${quote(value)} is not a non-negative integer: Access-Control-Max-Age is a whole number of seconds (Fetch, CORS protocol, "HTTP responses"); 0 disables caching`,
    );
    return undefined;
  }
  if (value > FIREFOX_MAX_AGE_CAP) {
    issues.add(
      'max-age-capped',
      'maxAge',
      `corset: maxAge: ${value} is more than browsers honour: Firefox caps preflight caching at ${FIREFOX_MAX_AGE_CAP} s (24 h) and Chromium at ${CHROMIUM_MAX_AGE_CAP} s (2 h)`,
    );
  } else if (value > CHROMIUM_MAX_AGE_CAP) {
    issues.add(
      'max-age-capped',
      'maxAge',
      `corset: maxAge: ${value} is more than Chromium honours: it caps preflight caching at ${CHROMIUM_MAX_AGE_CAP} s (2 h); Firefox allows up to ${FIREFOX_MAX_AGE_CAP} s`,
    );
  }
  return value === 0 ? 0 : value; // -0 becomes 0
}

export function validateStatus(value: unknown, key: 'preflightStatus' | 'deniedPreflightStatus', issues: Issues): number | null {
  const fallback = key === 'preflightStatus' ? DEFAULT_PREFLIGHT_STATUS : DEFAULT_DENIED_PREFLIGHT_STATUS;
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    issues.add('invalid-type', key, `corset: ${key} must be an HTTP status number, got ${describeType(value)}`);
    return null;
  }
  if (key === 'preflightStatus') {
    if (!Number.isInteger(value) || value < 200 || value > 299) {
      issues.add(
        'preflight-status-not-ok',
        key,
        `corset: preflightStatus: ${quote(value)} is not an ok status (200-299): a browser fails a preflight whose status is not ok (Fetch, "CORS-preflight fetch", step 7); use 204 or 200`,
      );
      return null;
    }
    return value;
  }
  if (!Number.isInteger(value) || value < 200 || value > 599) {
    issues.add(
      'invalid-status',
      key,
      `corset: deniedPreflightStatus: ${quote(value)} is not a final HTTP status (an integer from 200 to 599); the default is 403`,
    );
    return null;
  }
  return value;
}

export function validateEngine(value: unknown, issues: Issues): 'auto' | 'wasm' | 'js' | null {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'wasm' || value === 'js') return value;
  if (typeof value !== 'string') {
    issues.add('invalid-type', 'engine', `corset: engine must be 'auto', 'wasm' or 'js', got ${describeType(value)}`);
    return null;
  }
  const lower = value.toLowerCase();
  const hint = lower === 'auto' || lower === 'wasm' || lower === 'js' ? `; did you mean ${quote(lower)}?` : '';
  issues.add('unknown-engine', 'engine', `corset: engine: ${quote(value)} is not an engine: use 'auto' (the default), 'wasm' or 'js'${hint}`);
  return null;
}

export function unknownOptionMessage(key: string): string {
  const suggestion = suggestOption(key);
  const hint = suggestion !== null ? `did you mean ${quote(suggestion)}?` : `the options are ${KNOWN_OPTIONS.join(', ')}`;
  return `corset: ${quote(key)} is not a corset option, and corset refuses what it does not understand: ${hint}`;
}

/** The known option a mistyped key most likely means: an alias, a case slip, or a near spelling. */
export function suggestOption(key: string): OptionName | null {
  if (Object.prototype.hasOwnProperty.call(OPTION_ALIASES, key)) return OPTION_ALIASES[key] ?? null;
  if (key.length > 64) return null;
  const lower = key.toLowerCase();
  let best: OptionName | null = null;
  let bestDistance = 3; // at most 2 edits
  for (const option of KNOWN_OPTIONS) {
    if (option.toLowerCase() === lower) return option;
    const d = editDistance(lower, option.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = option;
    }
  }
  return best;
}

/** Levenshtein distance (insert, delete, substitute), two rows. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
