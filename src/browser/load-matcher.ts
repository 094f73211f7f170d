// loadMatcher: the browser half of the precompiled path (the server half is exportMatcher in
// src/policy/export.ts, which says what the format is). The matcher bundle has no policy
// validator, so it runs only rules that a validator produced, and checks, strictly and cheaply,
// that each entry it is given is a pattern the strict pattern parser (src/policy/pattern.ts)
// reads back as itself:
//   - the exact shape of version 2: known keys only, the right types, `'null'` entries only with
//     allowNullOrigin, RegExps only in `origins`;
//   - an app or extension origin (`capacitor://localhost`) is exact and canonical
//     (src/origin/app-origin.ts), written as a string that is also its source;
//   - a pattern is `http` or `https`, `://`, a host, and optionally `:*` or `:` and a port;
//   - its host holds at most one `*`: a leading `*.` (subdomains), or one `*` in one label with
//     `[a-z0-9-]` around it (a glob: not both sides empty, not `xn--`), never in the last label;
//   - the origin it matches with the shortest host (the `*` as `x`) must be a canonical serialized
//     origin (the URL parser gives it back unchanged: lower case, punycode, IPv4 and IPv6 in their
//     one form, no default port, a port of at most 65535), within DNS limits (labels 1-63, host
//     253, 254 with a trailing dot).
// Anything else throws an Error (a TypeError for a non-object) beginning `corset: loadMatcher`.
// So an edited export can name other origins, but no entry can be made to match more than the
// pattern it reads as (test/matcher-export.test.ts: every pattern loadMatcher accepts is a fixed
// point of the strict parser).
//
// The returned matcher answers exactly as the CorsPolicy that compilePolicy makes from the same
// init (both answer through src/compile/origin-answers.ts): a tiered policy names the credentialed
// entry first, then `*` for any canonical tuple origin; a list names its earliest entry.
import type { ExportedMatcher } from '../policy/export.js';
import type { OriginMatcher, OriginRule } from '../policy/rules.js';
import { createMatcher } from '../engine/select.js';
import { createOriginAnswers } from '../compile/origin-answers.js';
import { describeType } from '../arguments.js';
import { checkRules, fail, isShapeError, oneOf, record } from '../policy/exported-rules.js';

/** The origin-matching half of a CorsPolicy (DESIGN.md), for a page. */
export interface OriginMatcherPolicy {
  /** Which matcher runs the table rules. */
  readonly engine: 'wasm' | 'js';
  /** Does the exported policy allow this `Origin` header value (as `CorsPolicy.isOriginAllowed`). */
  isOriginAllowed(origin: string): boolean;
  /** The pattern, as written, that allows the origin (the earliest), or null. */
  matchOrigin(origin: string): string | null;
  /** Batch: 1 allowed, 0 not, one byte per input. */
  matchOrigins(origins: readonly string[]): Uint8Array;
}

/** The options of `loadMatcher`. */
export interface LoadMatcherOptions {
  /** Overrides the exported policy's `engine` (as `compilePolicy`'s `engine` option does). */
  readonly engine?: 'auto' | 'wasm' | 'js';
}

export { MAX_SOURCE_LENGTH, parseExportedPattern } from '../policy/exported-rules.js';

const WHERE = 'corset: loadMatcher(exported): ';

interface Checked {
  readonly allowNullOrigin: boolean;
  readonly engine: 'auto' | 'wasm' | 'js';
  /** null for origins '*'. */
  readonly rules: OriginRule[] | null;
  readonly credentialedRules: OriginRule[] | null;
}

/** The whole export, checked and copied. */
function checkExport(exported: object, options: LoadMatcherOptions): Checked {
  const e = record(exported, 'the export', 'allowNullOrigin,credentialedOrigins,engine,format,origins,version');
  oneOf(e['format'], 'format', ['corset-matcher'] as const);
  oneOf(e['version'], 'version', [2] as const);
  const allowNullOrigin = oneOf(e['allowNullOrigin'], 'allowNullOrigin', [true, false] as const);
  const engines = ['auto', 'wasm', 'js'] as const;
  const engine = oneOf(e['engine'], 'engine', engines);
  const rules = e['origins'] === '*' ? null : checkRules(e['origins'], 'origins', allowNullOrigin, null);
  const credentialed = e['credentialedOrigins'];
  if (credentialed !== null && rules !== null) fail('credentialedOrigins', 'must be null unless origins is "*"');
  const credentialedRules = credentialed === null ? null : checkRules(credentialed, 'credentialedOrigins', allowNullOrigin, 'refused in credentialedOrigins');
  return { allowNullOrigin, engine: options.engine === undefined ? engine : oneOf(options.engine, 'options.engine', engines), rules, credentialedRules };
}

/**
 * Check an export made by `exportMatcher` (or `corset compile`) and compile its rules with the
 * engine asked for (`'wasm'` throws where WebAssembly cannot run yet: `await ready()` first).
 * Throws an Error beginning `corset: loadMatcher` for anything a validator could not have made.
 */
export function loadMatcher(exported: ExportedMatcher, options: LoadMatcherOptions = {}): OriginMatcherPolicy {
  if (exported === null || typeof exported !== 'object' || Array.isArray(exported)) {
    throw new TypeError(`${WHERE}exported must be the object exportMatcher() returns, got ${describeType(exported)}`);
  }
  let checked: Checked;
  try {
    checked = checkExport(exported, options);
  } catch (err) {
    if (isShapeError(err)) throw new Error(`${WHERE}${err.message}; make it with exportMatcher() or \`corset compile\`, do not edit it`);
    // A getter or Proxy that throws is refused like any other malformed export.
    throw new Error(`${WHERE}could not be read (${err instanceof Error ? err.message : describeType(err)})`);
  }
  const { allowNullOrigin, engine, rules, credentialedRules } = checked;

  // As compilePolicy does: the engine is chosen (and 'wasm' refused where it cannot run) even for
  // origins '*', which has no rules.
  const selected = createMatcher(rules ?? [], engine);
  const originsMatcher: OriginMatcher | null = rules === null ? null : selected.matcher;
  const credentialedMatcher = credentialedRules === null ? null : createMatcher(credentialedRules, engine).matcher;
  return Object.freeze(
    createOriginAnswers({
      engine: selected.engine,
      origins: originsMatcher === null || rules === null ? null : { matcher: originsMatcher, rules },
      credentialed: credentialedMatcher === null || credentialedRules === null ? null : { matcher: credentialedMatcher, rules: credentialedRules },
      allowNullOrigin,
    }),
  );
}
