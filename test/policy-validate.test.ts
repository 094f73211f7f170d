// validatePolicy: every refusal and warning (code, path, severity, message), every
// normalisation, "all problems at once", and totality over garbage from untyped callers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CorsPolicyInit, PolicyIssue } from '../src/types.js';
import { POLICY_ISSUE_CODES, PolicyError, type PolicyIssueCode } from '../src/policy/issues.js';
import { validatePolicy } from '../src/policy/validate.js';
import type { OriginRule } from '../src/policy/rules.js';

interface Want {
  code: PolicyIssueCode;
  path: string;
  /** Text the message must contain: the quoted offending value, or the reason. */
  says?: string;
}
interface Row {
  desc: string;
  init: unknown;
  want: Want[];
}

const validate = (init: unknown) => validatePolicy(init as CorsPolicyInit);
const O = ['https://app.example.com']; // a valid origins list, for rows about other fields
const key = (i: { code: string; path: string }) => `${i.code} @ ${i.path}`;

function checkRow({ desc, init, want }: Row): void {
  const { policy, issues } = validate(init);
  const got = issues.map(key).sort();
  const wanted = want.map(key).sort();
  expect(got, `validatePolicy(${desc}): got ${JSON.stringify(got)}; want ${JSON.stringify(wanted)}`).toEqual(wanted);
  for (const issue of issues) {
    const info = POLICY_ISSUE_CODES[issue.code as PolicyIssueCode];
    expect(info, `validatePolicy(${desc}): code ${issue.code} is not in POLICY_ISSUE_CODES`).toBeDefined();
    expect(issue.severity, `validatePolicy(${desc}): ${issue.code}: got severity ${issue.severity}; want ${info.severity}`).toBe(info.severity);
    expect(issue.message.startsWith('corset:'), `validatePolicy(${desc}): message ${JSON.stringify(issue.message)} must start "corset:"`).toBe(true);
  }
  for (const w of want) {
    if (w.says === undefined) continue;
    const issue = issues.find((i) => i.code === w.code && i.path === w.path);
    expect(issue?.message, `validatePolicy(${desc}): ${key(w)}: message should contain ${w.says}`).toContain(w.says);
  }
  const hasError = want.some((w) => POLICY_ISSUE_CODES[w.code].severity === 'error');
  expect(policy === null, `validatePolicy(${desc}): got policy ${policy === null ? 'null' : 'non-null'}; want ${hasError ? 'null' : 'non-null'}`).toBe(hasError);
}

function throwingGetter(key: string): object {
  const o: Record<string, unknown> = { origins: O };
  Object.defineProperty(o, key, { enumerable: true, get: () => { throw new Error('boom'); } });
  return o;
}

const refusals: Row[] = [
  // the policy itself
  { desc: 'null', init: null, want: [{ code: 'policy-not-object', path: '', says: 'got null' }] },
  { desc: 'undefined', init: undefined, want: [{ code: 'policy-not-object', path: '', says: 'got undefined' }] },
  { desc: 'a number', init: 42, want: [{ code: 'policy-not-object', path: '', says: 'got a number' }] },
  { desc: 'a string', init: 'https://example.com', want: [{ code: 'policy-not-object', path: '', says: 'got a string' }] },
  { desc: 'an array', init: ['https://example.com'], want: [{ code: 'policy-not-object', path: '', says: 'got an array' }] },
  { desc: 'a function', init: () => 1, want: [{ code: 'policy-not-object', path: '', says: 'got a function' }] },
  { desc: 'a RegExp', init: /x/, want: [{ code: 'policy-not-object', path: '', says: 'got a RegExp' }] },
  { desc: 'a throwing getter', init: throwingGetter('maxAge'), want: [{ code: 'policy-unreadable', path: 'maxAge', says: 'boom' }] },
  {
    desc: 'a Proxy whose ownKeys throws',
    init: new Proxy({ origins: O }, { ownKeys: () => { throw new Error('no keys'); } }),
    want: [{ code: 'policy-unreadable', path: '', says: 'no keys' }],
  },
  {
    desc: 'an origins entry whose getter throws',
    init: { origins: Object.defineProperty(['https://a.example.com', 'x'], 1, { get: () => { throw new Error('entry'); } }) },
    want: [{ code: 'policy-unreadable', path: 'origins[1]', says: 'entry' }],
  },
  // unknown options
  { desc: 'origin (expressjs/cors)', init: { origin: 'https://a.com' }, want: [{ code: 'unknown-option', path: 'origin', says: 'did you mean "origins"' }, { code: 'origins-missing', path: 'origins' }] },
  { desc: 'allowedHeaders alias', init: { origins: O, allowedHeaders: ['x'] }, want: [{ code: 'unknown-option', path: 'allowedHeaders', says: 'did you mean "allowHeaders"' }] },
  { desc: 'optionsSuccessStatus alias', init: { origins: O, optionsSuccessStatus: 200 }, want: [{ code: 'unknown-option', path: 'optionsSuccessStatus', says: '"preflightStatus"' }] },
  { desc: 'one letter off', init: { origins: O, credential: true }, want: [{ code: 'unknown-option', path: 'credential', says: 'did you mean "credentials"' }] },
  { desc: 'case slip', init: { origins: O, MaxAge: 5 }, want: [{ code: 'unknown-option', path: 'MaxAge', says: 'did you mean "maxAge"' }] },
  { desc: 'nothing close', init: { origins: O, frobnicate: 1 }, want: [{ code: 'unknown-option', path: 'frobnicate', says: 'the options are origins, credentials' }] },
  // origins
  { desc: 'no origins', init: {}, want: [{ code: 'origins-missing', path: 'origins', says: 'origins is required' }] },
  { desc: 'origins undefined', init: { origins: undefined }, want: [{ code: 'origins-missing', path: 'origins' }] },
  { desc: 'origins a single string', init: { origins: 'https://a.com' }, want: [{ code: 'invalid-type', path: 'origins', says: `origins: ["https://a.com"]` }] },
  { desc: 'origins a number', init: { origins: 1 }, want: [{ code: 'invalid-type', path: 'origins', says: 'got a number' }] },
  { desc: 'origins entry a number', init: { origins: ['https://a.com', 7] }, want: [{ code: 'invalid-type', path: 'origins[1]', says: 'got a number' }] },
  { desc: 'origins sparse array', init: { origins: [, 'https://a.com'] }, want: [{ code: 'invalid-type', path: 'origins[0]', says: 'got undefined' }] },
  { desc: "'*' inside the list", init: { origins: ['*'] }, want: [{ code: 'wildcard-in-list', path: 'origins[0]', says: `write origins: '*'` }] },
  { desc: 'too long', init: { origins: [`https://${'a'.repeat(5000)}.com`] }, want: [{ code: 'pattern-too-long', path: 'origins[0]', says: '(5012 characters)' }] },
  { desc: 'unparsable', init: { origins: ['https://exa<mple.com'] }, want: [{ code: 'pattern-unparsable', path: 'origins[0]', says: '"https://exa<mple.com"' }] },
  { desc: 'NULL in upper case', init: { origins: ['NULL'], allowNullOrigin: true }, want: [{ code: 'pattern-unparsable', path: 'origins[0]', says: '"NULL"' }, { code: 'dangerous-option', path: 'allowNullOrigin' }] },
  { desc: 'no scheme', init: { origins: ['example.com'] }, want: [{ code: 'pattern-no-scheme', path: 'origins[0]', says: 'write "https://example.com"' }] },
  { desc: 'scheme', init: { origins: ['ws://example.com'] }, want: [{ code: 'pattern-scheme', path: 'origins[0]', says: '"ws://example.com"' }] },
  // origins of apps and extensions (exact, canonical)
  { desc: 'file: origin', init: { origins: ['file:///home/me/index.html'] }, want: [{ code: 'null-origin-scheme', path: 'origins[0]', says: 'Origin: null' }] },
  { desc: 'data: origin', init: { origins: ['data:text/html,hi'] }, want: [{ code: 'null-origin-scheme', path: 'origins[0]', says: 'data:' }] },
  { desc: 'about: origin', init: { origins: ['about://blank'] }, want: [{ code: 'null-origin-scheme', path: 'origins[0]' }] },
  { desc: 'app origin with a host wildcard', init: { origins: ['capacitor://*.localhost'] }, want: [{ code: 'pattern-wildcard-position', path: 'origins[0]', says: 'matched exactly' }] },
  { desc: 'app origin with a port wildcard', init: { origins: ['tauri://localhost:*'] }, want: [{ code: 'pattern-wildcard-position', path: 'origins[0]', says: "origins: '*' never covers it" }] },
  { desc: 'extension origin with a trailing slash', init: { origins: ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/'] }, want: [{ code: 'pattern-has-path', path: 'origins[0]', says: 'write "chrome-extension://abcdefghijklmnopabcdefghijklmnop"' }] },
  { desc: 'app origin with userinfo', init: { origins: ['capacitor://me@localhost'] }, want: [{ code: 'pattern-has-userinfo', path: 'origins[0]' }] },
  { desc: 'app origin with an upper-case scheme', init: { origins: ['Capacitor://localhost'] }, want: [{ code: 'app-origin-not-canonical', path: 'origins[0]', says: 'write "capacitor://localhost"' }] },
  { desc: 'app origin without //', init: { origins: ['capacitor:localhost'] }, want: [{ code: 'pattern-no-scheme', path: 'origins[0]', says: 'scheme://host[:port]' }] },
  { desc: 'app origin without a host', init: { origins: ['capacitor://'] }, want: [{ code: 'app-origin-not-canonical', path: 'origins[0]', says: 'scheme://host[:port]' }] },
  { desc: 'app origin with a leading-zero port', init: { origins: ['myapp://localhost:080'] }, want: [{ code: 'app-origin-not-canonical', path: 'origins[0]', says: 'leading zero' }] },
  { desc: 'app origin with a percent in its host', init: { origins: ['myapp://a%41b'] }, want: [{ code: 'app-origin-not-canonical', path: 'origins[0]' }] },
  { desc: 'chrome-extension id of the wrong shape', init: { origins: ['chrome-extension://abcdef'] }, want: [{ code: 'app-origin-id', path: 'origins[0]', says: '32 letters a-p' }] },
  { desc: 'chrome-extension id with a letter past p', init: { origins: ['chrome-extension://abcdefghijklmnopqbcdefghijklmnop'] }, want: [{ code: 'app-origin-id', path: 'origins[0]' }] },
  { desc: 'moz-extension not a UUID', init: { origins: ['moz-extension://my-extension'] }, want: [{ code: 'app-origin-id', path: 'origins[0]', says: 'UUID' }] },
  { desc: 'moz-extension UUID in upper case', init: { origins: ['moz-extension://0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D'] }, want: [{ code: 'app-origin-id', path: 'origins[0]', says: 'lower-case UUID' }] },
  { desc: 'extension origin with a port', init: { origins: ['chrome-extension://abcdefghijklmnopabcdefghijklmnop:8080'] }, want: [{ code: 'app-origin-id', path: 'origins[0]', says: 'no port' }] },
  { desc: 'trailing slash', init: { origins: ['https://example.com/'] }, want: [{ code: 'pattern-has-path', path: 'origins[0]', says: 'corset: origins[0]: "https://example.com/" ends with a slash' }] },
  { desc: 'userinfo', init: { origins: ['https://u@example.com'] }, want: [{ code: 'pattern-has-userinfo', path: 'origins[0]', says: '"https://u@example.com"' }] },
  { desc: 'port', init: { origins: ['https://example.com:70000'] }, want: [{ code: 'pattern-port', path: 'origins[0]', says: '"70000"' }] },
  { desc: 'wildcard position', init: { origins: ['https://a.*.com'] }, want: [{ code: 'pattern-wildcard-position', path: 'origins[0]', says: '"https://a.*.com"' }] },
  { desc: 'wildcard label', init: { origins: ['https://a_*.example.com'] }, want: [{ code: 'pattern-wildcard-label', path: 'origins[0]', says: '"https://a_*.example.com"' }] },
  { desc: 'wildcard ip', init: { origins: ['https://*.10.0.0.1'] }, want: [{ code: 'pattern-wildcard-ip', path: 'origins[0]', says: '"https://*.10.0.0.1"' }] },
  { desc: 'host too long', init: { origins: [`https://${'a.'.repeat(127)}com`] }, want: [{ code: 'pattern-host-too-long', path: 'origins[0]' }] },
  { desc: 'label length', init: { origins: [`https://${'a'.repeat(64)}.com`] }, want: [{ code: 'pattern-label-length', path: 'origins[0]' }] },
  { desc: "origins '*' with credentials", init: { origins: '*', credentials: true }, want: [{ code: 'wildcard-with-credentials', path: 'origins', says: 'for security reasons' }] },
  { desc: 'null without allowNullOrigin', init: { origins: ['https://a.com', 'null'] }, want: [{ code: 'null-origin', path: 'origins[1]', says: '"null"' }] },
  // public suffixes (tldts, private section included)
  { desc: '*.com', init: { origins: ['https://*.com'] }, want: [{ code: 'public-suffix-wildcard', path: 'origins[0]', says: 'public suffix "com"' }] },
  { desc: '*.co.uk', init: { origins: ['https://*.co.uk'] }, want: [{ code: 'public-suffix-wildcard', path: 'origins[0]', says: '"co.uk"' }] },
  { desc: '*.github.io (private section)', init: { origins: ['https://*.github.io'] }, want: [{ code: 'public-suffix-wildcard', path: 'origins[0]', says: '"github.io"' }] },
  { desc: 'glob right of a public suffix: app-*.github.io', init: { origins: ['https://app-*.github.io'] }, want: [{ code: 'public-suffix-wildcard', path: 'origins[0]', says: '"https://app-*.github.io"' }] },
  { desc: 'glob in the registrable label: example-*.com', init: { origins: ['https://example-*.com'] }, want: [{ code: 'public-suffix-wildcard', path: 'origins[0]' }] },
  { desc: 'unknown single-label TLD', init: { origins: ['https://*.corp'] }, want: [{ code: 'public-suffix-wildcard', path: 'origins[0]', says: '"corp"' }] },
  { desc: 'credentialedOrigins over a public suffix', init: { origins: '*', credentialedOrigins: ['https://*.github.io'] }, want: [{ code: 'public-suffix-wildcard', path: 'credentialedOrigins[0]' }] },
  // http:// with credentials
  { desc: 'http with credentials', init: { origins: ['http://example.com'], credentials: true }, want: [{ code: 'insecure-origin', path: 'origins[0]', says: '"http://example.com"' }] },
  { desc: 'http wildcard with credentials', init: { origins: ['http://*.example.com'], credentials: true }, want: [{ code: 'insecure-origin', path: 'origins[0]' }] },
  { desc: 'http in credentialedOrigins (credentials implied)', init: { origins: '*', credentialedOrigins: ['http://example.com'] }, want: [{ code: 'insecure-origin', path: 'credentialedOrigins[0]' }] },
  { desc: 'http 128.0.0.1 is not loopback', init: { origins: ['http://128.0.0.1'], credentials: true }, want: [{ code: 'insecure-origin', path: 'origins[0]' }] },
  { desc: 'http localhost.example.com is not loopback', init: { origins: ['http://localhost.example.com'], credentials: true }, want: [{ code: 'insecure-origin', path: 'origins[0]' }] },
  // tiered
  {
    desc: 'credentialedOrigins beside a list',
    init: { origins: ['https://a.com'], credentialedOrigins: ['https://b.com'] },
    want: [{ code: 'credentialed-origins-without-wildcard', path: 'credentialedOrigins', says: "origins: '*'" }],
  },
  { desc: 'credentialedOrigins not an array', init: { origins: '*', credentialedOrigins: 'https://b.com' }, want: [{ code: 'invalid-type', path: 'credentialedOrigins', says: 'got a string' }] },
  { desc: 'RegExp in credentialedOrigins', init: { origins: '*', credentialedOrigins: [/^https:\/\/b\.com$/] }, want: [{ code: 'invalid-type', path: 'credentialedOrigins[0]', says: 'for security reasons' }] },
  { desc: "'*' in credentialedOrigins", init: { origins: '*', credentialedOrigins: ['*'] }, want: [{ code: 'wildcard-in-list', path: 'credentialedOrigins[0]', says: 'for security reasons' }] },
  { desc: 'null in credentialedOrigins', init: { origins: '*', credentialedOrigins: ['null'] }, want: [{ code: 'null-origin', path: 'credentialedOrigins[0]' }] },
  // methods
  { desc: 'methods a string', init: { origins: O, methods: 'GET' }, want: [{ code: 'invalid-type', path: 'methods', says: 'got a string' }] },
  { desc: 'methods entry a number', init: { origins: O, methods: ['GET', 1] }, want: [{ code: 'invalid-type', path: 'methods[1]' }] },
  { desc: 'method with a space', init: { origins: O, methods: ['GET POST'] }, want: [{ code: 'invalid-method', path: 'methods[0]', says: '"GET POST"' }] },
  { desc: 'empty method', init: { origins: O, methods: [''] }, want: [{ code: 'invalid-method', path: 'methods[0]', says: '""' }] },
  { desc: 'non-ASCII method', init: { origins: O, methods: ['GÉT'] }, want: [{ code: 'invalid-method', path: 'methods[0]', says: '"GÉT"' }] },
  { desc: 'CONNECT', init: { origins: O, methods: ['CONNECT'] }, want: [{ code: 'forbidden-method', path: 'methods[0]', says: '"CONNECT"' }] },
  { desc: 'trace in lower case', init: { origins: O, methods: ['GET', 'trace'] }, want: [{ code: 'forbidden-method', path: 'methods[1]', says: '"trace"' }] },
  { desc: 'Track', init: { origins: O, methods: ['Track'] }, want: [{ code: 'forbidden-method', path: 'methods[0]' }] },
  { desc: "'*' inside methods", init: { origins: O, methods: ['*'] }, want: [{ code: 'wildcard-in-list', path: 'methods[0]', says: `methods: '*'` }] },
  { desc: "methods '*' with credentials", init: { origins: O, methods: '*', credentials: true }, want: [{ code: 'wildcard-with-credentials', path: 'methods', says: 'literal method name' }] },
  // headers
  { desc: 'header name with a space', init: { origins: O, allowHeaders: ['X Foo'] }, want: [{ code: 'invalid-header-name', path: 'allowHeaders[0]', says: '"X Foo"' }] },
  { desc: 'header name with a colon', init: { origins: O, exposeHeaders: ['x-foo:'] }, want: [{ code: 'invalid-header-name', path: 'exposeHeaders[0]', says: '"x-foo:"' }] },
  { desc: 'empty header name', init: { origins: O, allowHeaders: [''] }, want: [{ code: 'invalid-header-name', path: 'allowHeaders[0]' }] },
  { desc: 'Cookie in allowHeaders', init: { origins: O, allowHeaders: ['Cookie'] }, want: [{ code: 'forbidden-request-header', path: 'allowHeaders[0]', says: 'credentials: true' }] },
  { desc: 'Sec- header in allowHeaders', init: { origins: O, allowHeaders: ['x-a', 'Sec-Fetch-Mode'] }, want: [{ code: 'forbidden-request-header', path: 'allowHeaders[1]', says: '"Sec-Fetch-Mode"' }] },
  { desc: 'Proxy- header in allowHeaders', init: { origins: O, allowHeaders: ['proxy-authorization'] }, want: [{ code: 'forbidden-request-header', path: 'allowHeaders[0]' }] },
  { desc: 'Host in allowHeaders', init: { origins: O, allowHeaders: ['Host'] }, want: [{ code: 'forbidden-request-header', path: 'allowHeaders[0]' }] },
  { desc: 'Set-Cookie in exposeHeaders', init: { origins: O, exposeHeaders: ['Set-Cookie'] }, want: [{ code: 'forbidden-response-header', path: 'exposeHeaders[0]', says: '"Set-Cookie"' }] },
  { desc: 'set-cookie2 in exposeHeaders', init: { origins: O, exposeHeaders: ['x-a', 'set-cookie2'] }, want: [{ code: 'forbidden-response-header', path: 'exposeHeaders[1]' }] },
  { desc: "'*' inside allowHeaders", init: { origins: O, allowHeaders: ['*'] }, want: [{ code: 'wildcard-in-list', path: 'allowHeaders[0]', says: `allowHeaders: '*'` }] },
  { desc: "allowHeaders '*' with credentials", init: { origins: O, allowHeaders: '*', credentials: true }, want: [{ code: 'wildcard-with-credentials', path: 'allowHeaders' }] },
  { desc: "exposeHeaders '*' with credentials", init: { origins: O, exposeHeaders: '*', credentials: true }, want: [{ code: 'wildcard-with-credentials', path: 'exposeHeaders' }] },
  { desc: 'allowHeaders an object', init: { origins: O, allowHeaders: {} }, want: [{ code: 'invalid-type', path: 'allowHeaders', says: 'got an object' }] },
  { desc: 'exposeHeaders entry null', init: { origins: O, exposeHeaders: [null] }, want: [{ code: 'invalid-type', path: 'exposeHeaders[0]', says: 'got null' }] },
  // scalars
  { desc: 'credentials a string', init: { origins: O, credentials: 'yes' }, want: [{ code: 'invalid-type', path: 'credentials', says: '"yes"' }] },
  { desc: 'privateNetwork a number', init: { origins: O, privateNetwork: 1 }, want: [{ code: 'invalid-type', path: 'privateNetwork', says: 'got 1' }] },
  { desc: 'allowNullOrigin a string', init: { origins: O, allowNullOrigin: 'true' }, want: [{ code: 'invalid-type', path: 'allowNullOrigin' }] },
  { desc: 'maxAge a string', init: { origins: O, maxAge: '60' }, want: [{ code: 'invalid-type', path: 'maxAge', says: 'got a string' }] },
  { desc: 'maxAge -1', init: { origins: O, maxAge: -1 }, want: [{ code: 'invalid-max-age', path: 'maxAge', says: 'maxAge: -1 ' }] },
  { desc: 'maxAge 1.5', init: { origins: O, maxAge: 1.5 }, want: [{ code: 'invalid-max-age', path: 'maxAge', says: '1.5' }] },
  { desc: 'maxAge NaN', init: { origins: O, maxAge: Number.NaN }, want: [{ code: 'invalid-max-age', path: 'maxAge', says: 'NaN' }] },
  { desc: 'maxAge Infinity', init: { origins: O, maxAge: Number.POSITIVE_INFINITY }, want: [{ code: 'invalid-max-age', path: 'maxAge', says: 'Infinity' }] },
  { desc: 'preflightStatus a string', init: { origins: O, preflightStatus: '204' }, want: [{ code: 'invalid-type', path: 'preflightStatus' }] },
  { desc: 'boundary: preflightStatus 199', init: { origins: O, preflightStatus: 199 }, want: [{ code: 'preflight-status-not-ok', path: 'preflightStatus', says: '199' }] },
  { desc: 'boundary: preflightStatus 300', init: { origins: O, preflightStatus: 300 }, want: [{ code: 'preflight-status-not-ok', path: 'preflightStatus', says: '300' }] },
  { desc: 'preflightStatus 404', init: { origins: O, preflightStatus: 404 }, want: [{ code: 'preflight-status-not-ok', path: 'preflightStatus', says: 'ok status' }] },
  { desc: 'preflightStatus 204.5', init: { origins: O, preflightStatus: 204.5 }, want: [{ code: 'preflight-status-not-ok', path: 'preflightStatus' }] },
  { desc: 'boundary: deniedPreflightStatus 199', init: { origins: O, deniedPreflightStatus: 199 }, want: [{ code: 'invalid-status', path: 'deniedPreflightStatus', says: '199' }] },
  { desc: 'boundary: deniedPreflightStatus 600', init: { origins: O, deniedPreflightStatus: 600 }, want: [{ code: 'invalid-status', path: 'deniedPreflightStatus', says: '600' }] },
  { desc: 'deniedPreflightStatus NaN', init: { origins: O, deniedPreflightStatus: Number.NaN }, want: [{ code: 'invalid-status', path: 'deniedPreflightStatus' }] },
  { desc: 'deniedPreflightStatus a boolean', init: { origins: O, deniedPreflightStatus: true }, want: [{ code: 'invalid-type', path: 'deniedPreflightStatus' }] },
  { desc: 'engine WASM', init: { origins: O, engine: 'WASM' }, want: [{ code: 'unknown-engine', path: 'engine', says: 'did you mean "wasm"' }] },
  { desc: 'engine native', init: { origins: O, engine: 'native' }, want: [{ code: 'unknown-engine', path: 'engine', says: '"native"' }] },
  { desc: 'engine a number', init: { origins: O, engine: 1 }, want: [{ code: 'invalid-type', path: 'engine' }] },
  { desc: 'RegExp without ^ or $', init: { origins: [/example\.com/] }, want: [{ code: 'regexp-unanchored', path: 'origins[0]', says: '/example\\.com/' }] },
  { desc: 'RegExp without $', init: { origins: [/^https:\/\/example\.com/] }, want: [{ code: 'regexp-unanchored', path: 'origins[0]' }] },
  { desc: 'RegExp with an unanchored alternative', init: { origins: [/^https:\/\/a\.com$|b\.com/] }, want: [{ code: 'regexp-unanchored', path: 'origins[0]' }] },
  { desc: 'RegExp with an escaped $', init: { origins: [/^https:\/\/a\.com\$/] }, want: [{ code: 'regexp-unanchored', path: 'origins[0]' }] },
  { desc: 'RegExp with the m flag', init: { origins: [/^https:\/\/a\.com$/m] }, want: [{ code: 'regexp-unanchored', path: 'origins[0]', says: 'the m flag' }] },
  { desc: 'RegExp with a backreference', init: { origins: [/^https:\/\/(a+)\1\.com$/] }, want: [{ code: 'regexp-not-re2', path: 'origins[0]', says: '\\1 (a backreference)' }] },
  { desc: 'RegExp with a named backreference', init: { origins: [/^https:\/\/(?<x>a)\k<x>\.com$/] }, want: [{ code: 'regexp-not-re2', path: 'origins[0]', says: 'named backreference' }] },
  { desc: 'RegExp with an octal escape in a class', init: { origins: [new RegExp('^https://[\\1a]\\.com$')] }, want: [{ code: 'regexp-not-re2', path: 'origins[0]', says: 'octal escape' }] },
  { desc: 'RegExp with a lookahead', init: { origins: [/^https:\/\/(?=a)[a-z]+\.com$/] }, want: [{ code: 'regexp-not-re2', path: 'origins[0]', says: '(?= (a lookahead)' }] },
  { desc: 'RegExp with a negative lookahead', init: { origins: [/^https:\/\/(?!evil)[a-z]+\.com$/] }, want: [{ code: 'regexp-not-re2', path: 'origins[0]', says: '(?! (a negative lookahead)' }] },
  { desc: 'RegExp with a lookbehind', init: { origins: [/^https:\/\/[a-z]+(?<=a)\.com$/] }, want: [{ code: 'regexp-not-re2', path: 'origins[0]', says: '(?<= (a lookbehind)' }] },
  { desc: 'RegExp with a negative lookbehind', init: { origins: [/^https:\/\/[a-z]+(?<!a)\.com$/] }, want: [{ code: 'regexp-not-re2', path: 'origins[0]', says: '(?<! (a negative lookbehind)' }] },
  { desc: 'RegExp with the v flag', init: { origins: [new RegExp('^https://a\\.com$', 'v')] }, want: [{ code: 'regexp-not-re2', path: 'origins[0]', says: 'the v flag' }] },
  { desc: 'boundary: RegExp source past the cap', init: { origins: [new RegExp(`^${'a'.repeat(1023)}$`)] }, want: [{ code: 'regexp-too-long', path: 'origins[0]', says: '1025 characters' }] },
  { desc: 'unanchored RegExp with the hatch and credentials', init: { origins: [/example\.com$/], allowUnanchoredRegExp: true, credentials: true }, want: [{ code: 'regexp-unanchored', path: 'origins[0]' }, { code: 'dangerous-option', path: 'allowUnanchoredRegExp', says: 'no effect' }] },
  { desc: 'allowUnanchoredRegExp a string', init: { origins: O, allowUnanchoredRegExp: 'yes' }, want: [{ code: 'invalid-type', path: 'allowUnanchoredRegExp' }] },
];

const warnings: Row[] = [
  { desc: 'Capacitor origin', init: { origins: ['capacitor://localhost'] }, want: [{ code: 'app-origin', path: 'origins[0]', says: 'Capacitor apps on iOS' }] },
  { desc: 'Ionic origin', init: { origins: ['ionic://localhost'] }, want: [{ code: 'app-origin', path: 'origins[0]', says: 'Ionic apps on iOS' }] },
  { desc: 'Tauri origin, with credentials', init: { origins: ['tauri://localhost'], credentials: true }, want: [{ code: 'app-origin', path: 'origins[0]', says: 'Tauri apps' }] },
  { desc: 'Chrome extension origin', init: { origins: ['chrome-extension://abcdefghijklmnopabcdefghijklmnop'] }, want: [{ code: 'app-origin', path: 'origins[0]', says: 'Chromium browser' }] },
  { desc: 'Firefox extension origin', init: { origins: ['moz-extension://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'] }, want: [{ code: 'app-origin', path: 'origins[0]', says: 'one browser profile only' }] },
  { desc: 'Safari extension origin, upper-case UUID', init: { origins: ['safari-web-extension://0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D'] }, want: [{ code: 'app-origin', path: 'origins[0]', says: 'Safari web extension' }] },
  { desc: 'an app origin in credentialedOrigins', init: { origins: '*', credentialedOrigins: ['capacitor://localhost'] }, want: [{ code: 'app-origin', path: 'credentialedOrigins[0]' }] },
  { desc: 'an unknown app scheme', init: { origins: ['myapp://main_window:1420'] }, want: [{ code: 'app-origin', path: 'origins[0]', says: 'knows no platform' }] },
  {
    desc: 'an app origin listed twice',
    init: { origins: ['capacitor://localhost', 'capacitor://localhost'] },
    want: [{ code: 'app-origin', path: 'origins[0]' }, { code: 'app-origin', path: 'origins[1]' }, { code: 'duplicate-pattern', path: 'origins[1]' }],
  },
  { desc: 'allowNullOrigin on', init: { origins: ['null'], allowNullOrigin: true }, want: [{ code: 'dangerous-option', path: 'allowNullOrigin', says: 'dangerous' }] },
  { desc: 'allowInsecureOrigins on', init: { origins: ['http://example.com'], credentials: true, allowInsecureOrigins: true }, want: [{ code: 'dangerous-option', path: 'allowInsecureOrigins' }] },
  { desc: 'unanchored RegExp with allowUnanchoredRegExp', init: { origins: [/example\.com$/], allowUnanchoredRegExp: true }, want: [{ code: 'dangerous-option', path: 'allowUnanchoredRegExp', says: 'look-alike' }] },
  { desc: 'allowPublicSuffixWildcards on', init: { origins: ['https://*.github.io'], allowPublicSuffixWildcards: true }, want: [{ code: 'dangerous-option', path: 'allowPublicSuffixWildcards' }] },
  { desc: 'empty origins', init: { origins: [] }, want: [{ code: 'origins-empty', path: 'origins', says: 'allows no cross-origin request' }] },
  { desc: 'empty credentialedOrigins', init: { origins: '*', credentialedOrigins: [] }, want: [{ code: 'origins-empty', path: 'credentialedOrigins' }] },
  {
    desc: 'duplicate after normalisation',
    init: { origins: ['https://example.com', 'https://EXAMPLE.com:443'] },
    want: [{ code: 'duplicate-pattern', path: 'origins[1]', says: '"https://EXAMPLE.com:443" is the same pattern as origins[0]' }],
  },
  { desc: 'duplicate null', init: { origins: ['null', 'null'], allowNullOrigin: true }, want: [{ code: 'duplicate-pattern', path: 'origins[1]' }, { code: 'dangerous-option', path: 'allowNullOrigin' }] },
  {
    desc: 'duplicate RegExp (flags g/y dropped)',
    init: { origins: [/^https:\/\/a\.com$/, /^https:\/\/a\.com$/g] },
    want: [{ code: 'duplicate-pattern', path: 'origins[1]' }, { code: 'regexp-stateful-flag', path: 'origins[1]' }],
  },
  { desc: 'exact under a later wildcard', init: { origins: ['https://a.example.com', 'https://*.example.com'] }, want: [{ code: 'shadowed-pattern', path: 'origins[0]', says: 'already allowed by origins[1] ("https://*.example.com")' }] },
  { desc: 'exact under an earlier wildcard', init: { origins: ['https://*.example.com', 'https://a.b.example.com'] }, want: [{ code: 'shadowed-pattern', path: 'origins[1]' }] },
  { desc: 'exact port under :*', init: { origins: ['https://example.com:8443', 'https://example.com:*'] }, want: [{ code: 'shadowed-pattern', path: 'origins[0]' }] },
  { desc: 'default port under :*', init: { origins: ['http://localhost:*', 'http://localhost'] }, want: [{ code: 'shadowed-pattern', path: 'origins[1]' }] },
  { desc: 'exact under a glob', init: { origins: ['https://pr-1.example.com', 'https://pr-*.example.com'] }, want: [{ code: 'shadowed-pattern', path: 'origins[0]' }] },
  { desc: 'narrow wildcard under a wide one', init: { origins: ['https://*.a.example.com', 'https://*.example.com'] }, want: [{ code: 'shadowed-pattern', path: 'origins[0]' }] },
  { desc: 'glob under a subdomain wildcard', init: { origins: ['https://pr-*.example.com', 'https://*.example.com'] }, want: [{ code: 'shadowed-pattern', path: 'origins[0]' }] },
  { desc: 'narrow glob under a wide glob', init: { origins: ['https://app-eu-*.example.com', 'https://app-*.example.com'] }, want: [{ code: 'shadowed-pattern', path: 'origins[0]' }] },
  { desc: 'shadowed by two: the earliest is named', init: { origins: ['https://*.example.com', 'https://*.b.example.com', 'https://a.b.example.com'] }, want: [{ code: 'shadowed-pattern', path: 'origins[1]' }, { code: 'shadowed-pattern', path: 'origins[2]', says: 'origins[0]' }] },
  { desc: 'RegExp with g', init: { origins: [/^https:\/\/a\.com$/g] }, want: [{ code: 'regexp-stateful-flag', path: 'origins[0]', says: 'the g flag' }] },
  { desc: 'RegExp with y', init: { origins: [/^https:\/\/a\.com$/y] }, want: [{ code: 'regexp-stateful-flag', path: 'origins[0]', says: 'the y flag' }] },
  { desc: 'RegExp with credentials', init: { origins: [/^https:\/\/a\.com$/], credentials: true }, want: [{ code: 'regexp-with-credentials', path: 'origins[0]', says: 'credentials' }] },
  { desc: 'boundary: maxAge 7201', init: { origins: O, maxAge: 7201 }, want: [{ code: 'max-age-capped', path: 'maxAge', says: 'Chromium' }] },
  { desc: 'boundary: maxAge 86401', init: { origins: O, maxAge: 86401 }, want: [{ code: 'max-age-capped', path: 'maxAge', says: 'Firefox caps' }] },
  { desc: 'boundary: maxAge 86400 (Chromium only)', init: { origins: O, maxAge: 86400 }, want: [{ code: 'max-age-capped', path: 'maxAge', says: 'more than Chromium honours' }] },
  { desc: 'duplicate method after normalisation', init: { origins: O, methods: ['GET', 'get'] }, want: [{ code: 'duplicate-name', path: 'methods[1]', says: '(both are "GET")' }] },
  { desc: 'duplicate header in another case', init: { origins: O, allowHeaders: ['X-A', 'x-a'] }, want: [{ code: 'duplicate-name', path: 'allowHeaders[1]' }] },
  { desc: 'patch is not normalised', init: { origins: O, methods: ['patch'] }, want: [{ code: 'method-not-normalized', path: 'methods[0]', says: '"PATCH"' }] },
  { desc: 'Patch is not normalised', init: { origins: O, methods: ['Patch'] }, want: [{ code: 'method-not-normalized', path: 'methods[0]' }] },
  {
    desc: "tiered policy with methods '*'",
    init: { origins: '*', credentialedOrigins: ['https://a.com'], methods: '*' },
    want: [{ code: 'wildcard-literal-for-credentialed', path: 'methods', says: 'literal method name' }],
  },
  { desc: "a name beside '*' that '*' covers", init: { origins: O, allowHeaders: ['*', 'x-a', 'authorization'] }, want: [{ code: 'name-covered-by-wildcard', path: 'allowHeaders[1]', says: 'but authorization' }] },
];

const clean: Row[] = [
  { desc: 'the smallest policy', init: { origins: O }, want: [] },
  { desc: "origins '*' without credentials", init: { origins: '*' }, want: [] },
  { desc: 'apex and wildcard are different origins', init: { origins: ['https://example.com', 'https://*.example.com'] }, want: [] },
  { desc: 'a wildcard does not cover another scheme', init: { origins: ['http://a.example.com', 'https://*.example.com'] }, want: [] },
  { desc: 'a wildcard does not cover another port', init: { origins: ['https://a.example.com:8443', 'https://*.example.com'] }, want: [] },
  { desc: 'a wildcard does not cover an underscore label', init: { origins: ['https://a_b.example.com', 'https://*.example.com'] }, want: [] },
  { desc: 'a glob does not cover a deeper host', init: { origins: ['https://pr-1.x.example.com', 'https://pr-*.example.com'] }, want: [] },
  { desc: 'a wildcard under a registrable domain', init: { origins: ['https://*.example.github.io', 'https://*.example.co.uk', 'https://app-*.example.com'] }, want: [] },
  { desc: 'loopback http with credentials', init: { origins: ['http://localhost:3000', 'http://127.0.0.1:*', 'http://127.5.6.7', 'http://[::1]:8080', 'http://*.localhost', 'http://localhost.:*'], credentials: true }, want: [] },
  { desc: 'loopback names under localhost with credentials', init: { origins: ['http://app.localhost', 'http://dev-*.localhost:*'], credentials: true }, want: [] },
  { desc: 'http without credentials', init: { origins: ['http://example.com'] }, want: [] },
  { desc: 'boundary: RegExp source at the cap', init: { origins: [new RegExp(`^${'a'.repeat(1022)}$`)] }, want: [] },
  { desc: 'RE2-compatible RegExp features', init: { origins: [/^https:\/\/(?<sub>[a-z0-9-]+)\.(?:a|b)\.example\.com(:\d{2,5})?$/i, /^https:\/\/\w+\.com$/su] }, want: [] },
  { desc: 'anchored RegExps', init: { origins: [/^https:\/\/(a|b)\.example\.com$/, /^https:\/\/a\.com\\$/, /^https:\/\/[|$]\.com$/] }, want: [] },
  { desc: 'X-HTTP-Method-Override is an ordinary header name', init: { origins: O, allowHeaders: ['X-HTTP-Method-Override', 'Authorization'] }, want: [] },
  { desc: 'boundaries: maxAge 0 and 7200', init: { origins: O, maxAge: 7200 }, want: [] },
  { desc: 'boundary: maxAge 0', init: { origins: O, maxAge: 0 }, want: [] },
  { desc: 'boundaries: preflightStatus 200, deniedPreflightStatus 599', init: { origins: O, preflightStatus: 200, deniedPreflightStatus: 599 }, want: [] },
  { desc: 'boundaries: preflightStatus 299, deniedPreflightStatus 200', init: { origins: O, preflightStatus: 299, deniedPreflightStatus: 200 }, want: [] },
  { desc: 'a tiered policy', init: { origins: '*', credentialedOrigins: ['https://a.com', 'https://*.b.com'], methods: ['PUT'] }, want: [] },
  { desc: "'*' lists without credentials", init: { origins: '*', methods: '*', allowHeaders: '*', exposeHeaders: '*' }, want: [] },
  { desc: 'every option', init: { origins: O, credentials: true, methods: ['PUT'], allowHeaders: ['x-a'], exposeHeaders: ['x-b'], maxAge: 600, privateNetwork: true, preflightStatus: 200, deniedPreflightStatus: 404, engine: 'js', allowNullOrigin: false, allowInsecureOrigins: false, allowPublicSuffixWildcards: false }, want: [] },
];

describe('validatePolicy: refusals', () => {
  for (const row of refusals) it(row.desc, () => checkRow(row));
});

describe('validatePolicy: warnings', () => {
  for (const row of warnings) it(row.desc, () => checkRow(row));
});

describe('validatePolicy: clean policies', () => {
  for (const row of clean) it(row.desc, () => checkRow(row));
});

describe('POLICY_ISSUE_CODES', () => {
  it('is closed: every code has a row above that produces it', () => {
    const produced = new Set([...refusals, ...warnings].flatMap((r) => r.want.map((w) => w.code)));
    const missing = Object.keys(POLICY_ISSUE_CODES).filter((c) => !produced.has(c as PolicyIssueCode));
    expect(missing, `codes without a row: ${missing.join(', ')}`).toEqual([]);
  });

  it('gives each code a severity and a one-line summary', () => {
    for (const [code, info] of Object.entries(POLICY_ISSUE_CODES)) {
      expect(['error', 'warning'], `${code}.severity`).toContain(info.severity);
      expect(info.summary.length > 10 && !info.summary.includes('\n'), `${code}.summary`).toBe(true);
    }
  });
});

describe('validatePolicy: all problems at once', () => {
  it('reports five problems as five errors', () => {
    const { policy, issues } = validate({
      origins: ['https://example.com/', 'null', 'https://*.com'],
      methods: ['TRACE'],
      maxAge: -1,
    });
    expect(policy).toBeNull();
    expect(issues.map(key).sort()).toEqual(
      ['pattern-has-path @ origins[0]', 'null-origin @ origins[1]', 'public-suffix-wildcard @ origins[2]', 'forbidden-method @ methods[0]', 'invalid-max-age @ maxAge'].sort(),
    );
  });

  it('reports errors and warnings of every field together', () => {
    const { issues } = validate({
      origins: ['https://a.example.com', 'https://*.example.com', /x/, 'ftp://x.com'],
      methodz: [],
      allowHeaders: ['cookie', 'X-A', 'x-a'],
      exposeHeaders: ['set-cookie'],
      maxAge: 90000,
      preflightStatus: 500,
      deniedPreflightStatus: 1000,
      engine: 'fast',
      credentials: 'true',
    });
    expect(issues.filter((i) => i.severity === 'error').length).toBe(9); // /x/ unanchored is one
    expect(issues.filter((i) => i.severity === 'warning').length).toBe(3);
  });
});

describe('validatePolicy: normalisation', () => {
  it('fills in every default', () => {
    const { policy } = validate({ origins: ['https://a.com'] });
    expect(policy).toEqual({
      origins: { kind: 'list', rules: [{ kind: 'tuple', index: 0, source: 'https://a.com', scheme: 'https', host: { kind: 'exact', host: 'a.com' }, port: { kind: 'default' } }] },
      credentials: false,
      credentialedOrigins: null,
      methods: [],
      allowHeaders: [],
      exposeHeaders: [],
      maxAge: null,
      privateNetwork: false,
      preflightStatus: 204,
      deniedPreflightStatus: 403,
      allowNullOrigin: false,
      engine: 'auto',
    });
  });

  const rows: { desc: string; init: unknown; pick: (p: NonNullable<ReturnType<typeof validate>['policy']>) => unknown; want: unknown }[] = [
    { desc: "origins '*'", init: { origins: '*' }, pick: (p) => p.origins, want: { kind: 'any' } },
    { desc: 'methods normalised (Fetch §2.2.1) and deduped', init: { origins: O, methods: ['get', 'Post', 'PATCH', 'GET', 'options'] }, pick: (p) => p.methods, want: ['GET', 'POST', 'PATCH', 'OPTIONS'] },
    { desc: 'header names lower-cased and deduped', init: { origins: O, allowHeaders: ['X-Requested-With', 'Content-Type', 'x-requested-with'] }, pick: (p) => p.allowHeaders, want: ['x-requested-with', 'content-type'] },
    { desc: 'expose headers lower-cased', init: { origins: O, exposeHeaders: ['X-Total-Count'] }, pick: (p) => p.exposeHeaders, want: ['x-total-count'] },
    { desc: "'*' lists kept", init: { origins: '*', methods: '*', allowHeaders: '*' }, pick: (p) => [p.methods, p.allowHeaders], want: ['*', '*'] },
    { desc: 'maxAge -0 becomes 0', init: { origins: O, maxAge: -0 }, pick: (p) => Object.is(p.maxAge, 0), want: true },
    { desc: 'maxAge kept', init: { origins: O, maxAge: 600 }, pick: (p) => p.maxAge, want: 600 },
    { desc: 'flags kept', init: { origins: ['null'], allowNullOrigin: true, privateNetwork: true, credentials: true, engine: 'wasm' }, pick: (p) => [p.allowNullOrigin, p.privateNetwork, p.credentials, p.engine], want: [true, true, true, 'wasm'] },
    {
      desc: 'IDN, upper case and default port normalised; source kept as written',
      init: { origins: ['HTTPS://Bücher.Example:443'] },
      pick: (p) => p.origins,
      want: { kind: 'list', rules: [{ kind: 'tuple', index: 0, source: 'HTTPS://Bücher.Example:443', scheme: 'https', host: { kind: 'exact', host: 'xn--bcher-kva.example' }, port: { kind: 'default' } }] },
    },
    {
      desc: 'IPv6 and trailing dot normalised',
      init: { origins: ['http://[0:0::1]:3000', 'https://example.com.'] },
      pick: (p) => (p.origins.kind === 'list' ? p.origins.rules.map((r) => (r.kind === 'tuple' ? r.host : null)) : null),
      want: [{ kind: 'exact', host: '[::1]' }, { kind: 'exact', host: 'example.com.' }],
    },
    {
      desc: 'index is the position as written, duplicates included',
      init: { origins: ['https://a.com', 'https://A.com', 'null', 'https://*.b.com'], allowNullOrigin: true },
      pick: (p) => (p.origins.kind === 'list' ? p.origins.rules.map((r) => [r.kind, r.index]) : null),
      want: [['tuple', 0], ['tuple', 1], ['null', 2], ['tuple', 3]],
    },
    {
      desc: 'tiered: credentialed rules indexed in their own list',
      init: { origins: '*', credentialedOrigins: ['https://a.com', 'https://*.b.com'] },
      pick: (p) => [p.credentials, p.origins, p.credentialedOrigins?.map((r) => [r.kind, r.index, r.source])],
      want: [false, { kind: 'any' }, [['tuple', 0, 'https://a.com'], ['tuple', 1, 'https://*.b.com']]],
    },
  ];
  for (const { desc, init, pick, want } of rows) {
    it(desc, () => {
      const { policy, issues } = validate(init);
      expect(policy, `validatePolicy(${desc}): got null; issues ${JSON.stringify(issues.map(key))}`).not.toBeNull();
      const got = pick(policy!);
      expect(got, `validatePolicy(${desc}): got ${JSON.stringify(got)}; want ${JSON.stringify(want)}`).toEqual(want);
    });
  }

  it('copies a RegExp without g and y, so test() keeps no state', () => {
    const original = /^https:\/\/a\.com$/gi;
    const { policy } = validate({ origins: [original] });
    const rule = policy?.origins.kind === 'list' ? (policy.origins.rules[0] as Extract<OriginRule, { kind: 'regexp' }>) : null;
    expect(rule?.kind).toBe('regexp');
    expect(rule!.source).toBe('/^https:\\/\\/a\\.com$/gi');
    expect(rule!.regexp).not.toBe(original);
    expect(rule!.regexp.flags).toBe('i');
    const results = [1, 2, 3].map(() => rule!.regexp.test('https://A.com'));
    expect(results, 'test() three times in a row').toEqual([true, true, true]);
  });

  it('returns a frozen policy', () => {
    const { policy } = validate({ origins: O, methods: ['GET'] });
    expect(Object.isFrozen(policy)).toBe(true);
    expect(Object.isFrozen(policy!.methods)).toBe(true);
  });
});

describe('PolicyError', () => {
  it('carries the errors only, and lists each in its message', () => {
    const { issues } = validate({ origins: ['https://example.com/', /x/g], methods: ['TRACK'], allowUnanchoredRegExp: true });
    const err = new PolicyError(issues);
    const errors = issues.filter((i: PolicyIssue) => i.severity === 'error');
    expect(errors.length).toBe(2);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('PolicyError');
    expect(err.issues).toEqual(errors);
    expect(err.message.startsWith('corset: invalid CORS policy (2 errors):')).toBe(true);
    for (const e of errors) expect(err.message).toContain(e.message);
    expect(err.message).not.toContain('the g flag'); // a warning
  });
});

describe('validatePolicy: totality', () => {
  const garbage: { desc: string; value: unknown }[] = [
    { desc: 'undefined', value: undefined },
    { desc: 'null', value: null },
    { desc: 'NaN', value: Number.NaN },
    { desc: 'bigint', value: 10n },
    { desc: 'symbol', value: Symbol('s') },
    { desc: 'function', value: () => 'x' },
    { desc: 'empty string', value: '' },
    { desc: '100 KB string', value: 'x'.repeat(100_000) },
    { desc: 'NUL', value: '\u0000' },
    { desc: 'lone surrogate', value: '\ud800' },
    { desc: 'comma list', value: 'GET, PUT,,' },
    { desc: 'object', value: { a: 1 } },
    { desc: 'array of garbage', value: [null, 1, {}, [], Symbol('x'), 'x'.repeat(100_000), '\ud800', /x/] },
    { desc: 'Date', value: new Date(0) },
    { desc: 'Map', value: new Map() },
    { desc: 'a fake RegExp', value: [{ [Symbol.toStringTag]: 'RegExp', source: '(', flags: 'zz' }] },
    { desc: 'an array Proxy that throws', value: new Proxy([], { get: () => { throw new Error('trap'); } }) },
    { desc: 'a Proxy that throws everywhere', value: new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } }) },
  ];
  const fields = ['origins', 'credentials', 'credentialedOrigins', 'methods', 'allowHeaders', 'exposeHeaders', 'maxAge', 'privateNetwork', 'preflightStatus', 'deniedPreflightStatus', 'allowNullOrigin', 'allowInsecureOrigins', 'allowPublicSuffixWildcards', 'engine'];

  it('never throws for garbage as the policy or in any field', () => {
    for (const { desc, value } of garbage) {
      const inits: unknown[] = [value, ...fields.map((f) => ({ origins: O, [f]: value })), { origins: '*', credentialedOrigins: value }];
      for (const init of inits) {
        let result: ReturnType<typeof validate> | undefined;
        expect(() => { result = validate(init); }, `validatePolicy(${desc})`).not.toThrow();
        expect(Array.isArray(result!.issues)).toBe(true);
        const errors = result!.issues.filter((i) => i.severity === 'error').length;
        expect(result!.policy === null, `validatePolicy(${desc}): policy null iff an error`).toBe(errors > 0);
      }
    }
  });

  it('never throws for arbitrary values (seeded)', () => {
    const field = fc.constantFrom(...fields);
    const init = fc.oneof(
      fc.anything(),
      fc.dictionary(field, fc.anything(), { maxKeys: 6 }),
      fc.record({ origins: fc.array(fc.oneof(fc.string(), fc.anything()), { maxLength: 5 }) }),
    );
    fc.assert(
      fc.property(init, (value) => {
        const { policy, issues } = validate(value);
        const errors = issues.filter((i) => i.severity === 'error').length;
        expect(policy === null).toBe(errors > 0);
        for (const i of issues) expect(i.message.startsWith('corset:')).toBe(true);
      }),
      { seed: 20261125, numRuns: 2_000 },
    );
  });
});
