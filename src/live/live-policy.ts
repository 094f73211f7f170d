// createLivePolicy (DESIGN.md, "Origins that change at runtime"): a CorsPolicy whose allow-list
// changes while it serves.
//
// How it is built:
// - The running policy is one compiled snapshot (compileValidated), swapped in by one assignment:
//   `update()` validates and compiles the new policy completely before that assignment, so a
//   request sees either the old policy or the new one, never a mix, and a bad policy throws
//   PolicyError with nothing changed. JavaScript runs one request's decide() to its end before
//   anything else, so no lock is needed (the same shape as a Go atomic pointer swap).
// - Origins added at runtime live in a JS overlay, a Map from the canonical serialized origin to
//   its entry, beside the compiled tables (neither engine's tables change). decide() consults it
//   only after the compiled rules miss a canonical origin (src/decide/extra-origins.ts), so an
//   origin the rules allow costs exactly what it costs in a plain compiled policy, and adding or
//   removing one origin is one Map operation (plus validating it).
// - A resolver's answers are kept in two bounded caches (yes, no) with their own TTLs
//   (./resolver-cache.ts); one call in flight per origin; a timeout and a failure deny with their
//   own reason. The overlay and the caches survive update().
import type { CorsDecision, CorsPolicy, CorsPolicyInit, CorsRequest } from '../types.js';
import type { OriginRule, ValidatedPolicy } from '../policy/rules.js';
import { compileValidated, validatedPolicyOf } from '../compile/compile-policy.js';
import { validatePolicy } from '../policy/validate.js';
import { PolicyError, makeIssue, quote } from '../policy/issues.js';
import { describeType, requireString } from '../arguments.js';
import { type ExtraDenial, type ExtraOrigin, type ExtraOrigins, newExtraOrigin } from '../decide/extra-origins.js';
import { type CacheEntry, type RunClock, TtlCache } from './resolver-cache.js';
import { NEEDS_ASYNC_DECIDE } from './async-marker.js';
import { CANONICAL_YES, newOriginScan, scanCanonicalOrigin } from '../origin/canonical-origin.js';

/** The options of `createLivePolicy`: the resolver and its caches. */
export interface LiveOptions {
  /**
   * Asked whether an origin is allowed, only with a canonical serialized origin (never `null`,
   * never a malformed value) that the policy's lists do not allow. `true` allows it (under a
   * tiered policy: with credentials); anything else denies it. corset builds every header.
   */
  resolveOrigin?: (origin: string) => boolean | Promise<boolean>;
  /** How long a resolver call may take; then the request is denied (`resolver-timeout`). Default 1000. */
  resolverTimeoutMs?: number;
  /** How long a `true` answer is kept. Default 60 000 ms. */
  cacheTtlMs?: number;
  /** How long a `false` answer (or a timeout or failure) is kept. Default 10 000 ms. */
  negativeCacheTtlMs?: number;
  /** The most answers each cache (yes, no) keeps. Default 10 000. */
  cacheSize?: number;
}

/**
 * A policy whose origins change while it serves; every adapter takes it as a `CorsPolicy`.
 * Changes are validated first, then swapped in at once: a request sees the old or the new policy.
 */
export interface LivePolicy extends CorsPolicy {
  /** +1 on every successful change (update, or addOrigins/removeOrigins that changed the list). */
  readonly version: number;
  /** Validate and compile `init`, then swap it in; a bad init throws PolicyError and nothing changes. */
  update(init: CorsPolicyInit | CorsPolicy): void;
  /** Exact origins join the policy; one bad entry throws PolicyError and none is added. */
  addOrigins(origins: readonly string[]): void;
  /** Origins added with addOrigins leave; returns how many were removed. */
  removeOrigins(origins: readonly string[]): number;
  /** The origins added with addOrigins (canonical form), in the order they were added. */
  addedOrigins(): string[];
  /** Drop cached resolver answers: for one origin, or all. */
  invalidate(origin?: string): void;
  /** Like decide(), but asks the resolver when it must: a promise only then. */
  decideAsync(req: CorsRequest): CorsDecision | Promise<CorsDecision>;
}


const DEFAULTS = { resolverTimeoutMs: 1000, cacheTtlMs: 60_000, negativeCacheTtlMs: 10_000, cacheSize: 10_000 } as const;

type Answer = ExtraOrigin | ExtraDenial | null;

/**
 * An allowed origin's entry (added, or a resolver's yes), which the yes cache holds as it is:
 * a hit reaches the entry decide() needs without a wrapper. Added and resolved entries are made
 * here alike, so that decide() sees one object shape.
 */
interface LiveEntry extends ExtraOrigin, CacheEntry {}

function newLiveEntry(origin: string): LiveEntry {
  const entry = newExtraOrigin(origin) as LiveEntry;
  entry.expires = 0;
  entry.used = false;
  return entry;
}

/** A resolver's no (or failure), as the no cache holds it. */
interface DenialEntry extends CacheEntry {
  readonly answer: ExtraDenial | null;
}

/** What `update()` and creation need to know about a policy beside its compiled form. */
interface Source {
  readonly validated: ValidatedPolicy;
  /** addOrigins checks entries as entries of this policy's origins (or credentialedOrigins) would be. */
  readonly allowInsecureOrigins: boolean;
}

/**
 * The origins a live policy allows beside its compiled rules (the added ones, the resolver's
 * answers), as decide() asks them (src/decide/extra-origins.ts). A class, so that every live
 * policy in a process shares one `first` and one `lookup`: decide()'s call to them stays
 * monomorphic (one closure per policy made it polymorphic, a few ns on every cache hit).
 */
class LiveOrigins implements ExtraOrigins {
  readonly added = new Map<string, LiveEntry>();
  readonly yes: TtlCache<LiveEntry>;
  readonly no: TtlCache<DenialEntry>;
  private readonly yesMap: Map<string, LiveEntry>;
  private readonly yesClock: RunClock;
  /** Set by a decide() that needs the resolver for this origin (decideAsync reads it). */
  unresolved: string | null = null;
  /** Set while decideWith() runs: an answer just received (so a TTL of 0 still answers the request that asked). */
  justResolved: { origin: string; answer: Answer } | null = null;
  /**
   * The origin whose `yes` lookup in first() just missed: decide() calls lookup() for it in the
   * same synchronous call (after the rules missed too), where that lookup would miss again.
   */
  private missedYes: string | null = null;

  constructor(
    private readonly resolver: LiveOptions['resolveOrigin'],
    cacheSize: number,
    cacheTtlMs: number,
    negativeCacheTtlMs: number,
  ) {
    this.yes = new TtlCache<LiveEntry>(cacheSize, cacheTtlMs);
    this.no = new TtlCache<DenialEntry>(cacheSize, negativeCacheTtlMs);
    this.yesMap = this.yes.map;
    this.yesClock = this.yes.clock;
  }

  first(origin: string): ExtraOrigin | undefined {
    // Most live policies have added origins or a resolver, rarely both: no lookup in an empty map.
    const mine = this.added.size === 0 ? undefined : this.added.get(origin);
    if (mine !== undefined) {
      this.missedYes = null;
      return mine.shadowed ? undefined : mine;
    }
    if (this.resolver === undefined || this.justResolved !== null) return this.firstBeside(origin);
    // yes.get(origin), its hit path written out (TtlCache.map): decide() is too large for the
    // compiler to take one more call into it, and the call costs what the rest of a hit does.
    const hit = this.yesMap.get(origin);
    if (hit === undefined) {
      this.missedYes = origin;
      return undefined;
    }
    if (this.yesClock.now() > hit.expires) return this.firstBeside(origin); // expired: get() drops it
    if (!hit.used) hit.used = true;
    if (hit.shadowed) {
      this.missedYes = null;
      return undefined;
    }
    // An entry to answer with: decide() asks lookup() only after first() gave none, so
    // `missedYes` is left as it is (the next first() sets it before any lookup() reads it).
    return hit;
  }

  /** first() after the added origins missed, other than its written-out cache hit. */
  private firstBeside(origin: string): ExtraOrigin | undefined {
    this.missedYes = null;
    if (this.resolver === undefined) return undefined;
    const just = this.justResolved;
    if (just !== null && just.origin === origin) {
      // The request that asked: its own answer, without counting as a use of the cache entry.
      const answer = just.answer;
      return answer !== null && typeof answer === 'object' && !answer.shadowed ? answer : undefined;
    }
    const hit = this.yes.get(origin);
    if (hit === undefined) {
      this.missedYes = origin;
      return undefined;
    }
    return hit.shadowed ? undefined : hit;
  }

  lookup(origin: string): Answer {
    const skipYes = this.missedYes === origin;
    this.missedYes = null;
    const mine = this.added.size === 0 ? undefined : this.added.get(origin);
    if (mine !== undefined) return mine;
    if (this.resolver === undefined) return null;
    const just = this.justResolved;
    if (just !== null && just.origin === origin) return just.answer;
    const hit = skipYes ? undefined : this.yes.get(origin);
    if (hit !== undefined) return hit;
    const miss = this.no.get(origin);
    if (miss !== undefined) return miss.answer;
    this.unresolved = origin;
    return 'origin-unresolved';
  }
}

/**
 * A live policy from `init` (validated and compiled as by `compilePolicy`, which throws
 * `PolicyError`) or from a compiled policy, optionally asking `options.resolveOrigin` about the
 * origins its lists do not allow (docs/live-policies.md).
 */
export function createLivePolicy(init: CorsPolicyInit | CorsPolicy, options?: LiveOptions): LivePolicy {
  const opts = readOptions(options);
  const resolver = opts.resolveOrigin;

  let source = readSource(init, 'createLivePolicy');
  const extra = new LiveOrigins(resolver, opts.cacheSize, opts.cacheTtlMs, opts.negativeCacheTtlMs);
  const { added, yes, no } = extra;
  const inFlight = new Map<string, Promise<Answer>>();
  let generation = 0; // +1 on invalidate(): an answer from before it is not cached
  let version = 1;

  let current = compileValidated(source.validated, extra);

  /** Whether a rule of `compiled` allows `origin` (then it answers, not the extra entry). */
  function shadowedIn(compiled: CorsPolicy, validated: ValidatedPolicy, origin: string): boolean {
    const m = compiled.matchOrigin(origin);
    return m !== null && (validated.credentialedOrigins === null || m !== '*');
  }

  /** Ask the resolver about `origin` once, however many requests wait for it. */
  function resolve(origin: string): Promise<Answer> {
    const pending = inFlight.get(origin);
    if (pending !== undefined) return pending;
    const asked = generation;
    const call = askResolver(resolver as NonNullable<LiveOptions['resolveOrigin']>, origin, opts.resolverTimeoutMs).then(
      (outcome): Answer => {
        // invalidate() may have dropped this call, and a newer one may be in flight for the origin.
        if (inFlight.get(origin) === call) inFlight.delete(origin);
        if (outcome === true) {
          const entry = newLiveEntry(origin);
          entry.shadowed = shadowedIn(current, source.validated, origin);
          if (asked === generation) yes.set(origin, entry);
          return entry;
        }
        const answer = outcome === false ? null : outcome;
        if (asked === generation) no.set(origin, { answer, expires: 0, used: false });
        return answer;
      },
    );
    inFlight.set(origin, call);
    return call;
  }

  function decideWith(req: CorsRequest, answer: { origin: string; answer: Answer }): CorsDecision {
    // An update() may have run since the answer came in, and an entry no cache holds is not
    // re-marked by it: judge whether a rule shadows the origin by the policy that decides now.
    const a = answer.answer;
    if (a !== null && typeof a === 'object') a.shadowed = shadowedIn(current, source.validated, answer.origin);
    extra.justResolved = answer;
    try {
      return current.decide(req);
    } finally {
      extra.justResolved = null;
    }
  }

  /**
   * decideAsync() once the resolver must be asked about `origin`. A function of its own: the
   * closure below captures `copy` and `origin`, and a function whose locals a closure captures
   * allocates their context on every call, the cache hit's included.
   */
  function decideLater(req: CorsRequest, origin: string): Promise<CorsDecision> {
    // Callers may reuse `req` (the adapters fill one scratch object): keep our own copy.
    const copy: CorsRequest = {
      method: req.method,
      origin: req.origin,
      requestMethod: req.requestMethod,
      requestHeaders: req.requestHeaders,
      requestPrivateNetwork: req.requestPrivateNetwork,
      url: req.url,
    };
    return resolve(origin).then((answer) => decideWith(copy, { origin, answer }));
  }

  /** An origin allowed beside the compiled rules, as the synchronous answers see it. */
  function allowedBeside(origin: string): boolean {
    if (added.has(origin)) return true;
    return resolver !== undefined && yes.get(origin) !== undefined;
  }
  const tiered = (): boolean => source.validated.credentialedOrigins !== null;

  // The getters are defined on an empty object and the methods assigned after them: an object
  // literal with a getter is built in dictionary mode, where every `policy.decide` of a caller
  // is a hash lookup (a few ns, on a path that costs tens). Same keys, same order, same descriptors.
  const live = Object.defineProperties({} as LivePolicy, {
    engine: { get: () => current.engine, enumerable: true, configurable: true },
    version: { get: () => version, enumerable: true, configurable: true },
  });
  const methods: Omit<LivePolicy, 'engine' | 'version'> = {
    isOriginAllowed(origin: string): boolean {
      return current.isOriginAllowed(origin) || allowedBeside(origin);
    },
    matchOrigin(origin: string): string | null {
      const m = current.matchOrigin(origin);
      // Under a tiered policy an extra origin is credentialed: its own entry names it, not '*'.
      if ((m === null || (m === '*' && tiered())) && allowedBeside(origin)) return origin;
      return m;
    },
    matchOrigins(origins: readonly string[]): Uint8Array {
      const out = current.matchOrigins(origins);
      if (added.size > 0 || resolver !== undefined) {
        for (let i = 0; i < out.length; i++) if (out[i] === 0 && allowedBeside(origins[i] as string)) out[i] = 1;
      }
      return out;
    },
    decide(req: CorsRequest): CorsDecision {
      // `extra.unresolved` may be left set: only decideAsync reads it, and it clears it first.
      return current.decide(req);
    },
    decideAsync(req: CorsRequest): CorsDecision | Promise<CorsDecision> {
      extra.unresolved = null;
      const d = current.decide(req);
      const origin = extra.unresolved;
      if (origin === null) return d;
      extra.unresolved = null;
      return decideLater(req, origin);
    },
    update(next: CorsPolicyInit | CorsPolicy): void {
      const src = readSource(next, 'update');
      const compiled = compileValidated(src.validated, extra); // throws before anything changes
      for (const entry of added.values()) entry.shadowed = shadowedIn(compiled, src.validated, entry.source);
      for (const entry of yes.values()) entry.shadowed = shadowedIn(compiled, src.validated, entry.source);
      source = src;
      current = compiled;
      version++;
    },
    addOrigins(origins: readonly string[]): void {
      const canonical = validateExactOrigins(origins, entryContext(source), 'addOrigins');
      let changed = false;
      for (const origin of canonical) {
        if (added.has(origin)) continue;
        const entry = newLiveEntry(origin);
        entry.shadowed = shadowedIn(current, source.validated, origin);
        added.set(origin, entry);
        changed = true;
      }
      if (changed) version++;
    },
    removeOrigins(origins: readonly string[]): number {
      const canonical = validateExactOrigins(origins, entryContext(source), 'removeOrigins');
      let removed = 0;
      for (const origin of canonical) if (added.delete(origin)) removed++;
      if (removed > 0) version++;
      return removed;
    },
    addedOrigins(): string[] {
      return [...added.keys()];
    },
    invalidate(origin?: string): void {
      // A call in flight is forgotten too: a request that comes after invalidate() asks the
      // resolver again rather than wait for an answer given before it (a tenant just removed).
      if (origin === undefined) {
        yes.clear();
        no.clear();
        inFlight.clear();
        generation++;
        return;
      }
      requireString(origin, 'origin', 'invalidate');
      yes.delete(origin);
      no.delete(origin);
      inFlight.delete(origin);
      generation++;
    },
  };
  Object.assign(live, methods);
  if (resolver !== undefined) Object.defineProperty(live, NEEDS_ASYNC_DECIDE, { value: true });
  return Object.freeze(live);
}

/**
 * The resolver's verdict: `true`/`false`, or why there is none. A value other than a boolean is
 * a failure (`resolver-error`): an answer of `"yes"` or `1` is a bug, and a bug denies.
 */
function askResolver(
  resolver: NonNullable<LiveOptions['resolveOrigin']>,
  origin: string,
  timeoutMs: number,
): Promise<boolean | 'resolver-timeout' | 'resolver-error'> {
  return new Promise((settle) => {
    let done = false;
    const finish = (v: boolean | 'resolver-timeout' | 'resolver-error'): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      settle(v);
    };
    const timer = setTimeout(() => finish('resolver-timeout'), timeoutMs);
    (timer as { unref?: () => void }).unref?.();
    let result: boolean | Promise<boolean>;
    try {
      result = resolver(origin);
    } catch {
      finish('resolver-error');
      return;
    }
    Promise.resolve(result).then(
      (v) => finish(typeof v === 'boolean' ? v : 'resolver-error'),
      () => finish('resolver-error'),
    );
  });
}

function readSource(init: CorsPolicyInit | CorsPolicy, fn: string): Source {
  if (init !== null && typeof init === 'object' && typeof (init as { decide?: unknown }).decide === 'function') {
    const validated = validatedPolicyOf(init as CorsPolicy);
    if (validated === null) {
      throw new TypeError(`corset: ${fn}(policy): a CorsPolicy must come from compilePolicy (or pass the CorsPolicyInit)`);
    }
    // The compiled form does not keep allowInsecureOrigins: added origins get the strict check.
    return { validated, allowInsecureOrigins: false };
  }
  const { policy, issues } = validatePolicy(init as CorsPolicyInit);
  if (policy === null) throw new PolicyError(issues);
  return { validated: policy, allowInsecureOrigins: (init as CorsPolicyInit).allowInsecureOrigins === true };
}

/**
 * `origins` checked as exact origins of a policy without credentials, in canonical form: what
 * `publishOrigins` (corset-cors/redis) stores, so that every receiver compares the same spelling.
 * Throws PolicyError naming `fn[i]` for every bad entry. (Each receiver still checks them against
 * its own policy, credentials included.)
 */
export function canonicalExactOrigins(origins: readonly string[], fn: string): string[] {
  return validateExactOrigins(origins, PLAIN_CONTEXT, fn);
}

/**
 * Each entry checked as an entry of the policy's `origins` (or, tiered, `credentialedOrigins`)
 * would be, and exact: no wildcard, no `:*`, no RegExp, no `null`. Every problem is collected;
 * any one refuses the whole call. Returns the canonical serializations.
 */
function validateExactOrigins(origins: readonly string[], context: EntryContext, fn: string): string[] {
  if (!Array.isArray(origins)) {
    throw new TypeError(`corset: ${fn}(origins): origins must be an array of strings, got ${describeType(origins)}`);
  }
  const issues = [];
  for (let i = 0; i < origins.length; i++) {
    const entry: unknown = origins[i];
    if (typeof entry !== 'string') {
      issues.push(makeIssue('invalid-type', `${fn}[${i}]`, `corset: ${fn}[${i}]: must be an exact origin string, got ${describeType(entry)}`));
    }
  }
  if (issues.length > 0) throw new PolicyError(issues);
  const { credentials, allowInsecureOrigins } = context;

  // The common case: an https origin (or http without credentials) already in canonical form.
  // The canonical scan proves the URL parser would give it back unchanged, and for an exact
  // origin nothing else is checked (public suffixes concern wildcards only; the insecure-origin
  // rule concerns http with credentials, which takes the full path below).
  if (origins.length === 1) {
    const only = origins[0] as string;
    if (scanCanonicalOrigin(only, scan) === CANONICAL_YES && (scan.scheme === 'https' || (scan.scheme === 'http' && !credentials))) {
      return [only];
    }
  }

  const out: string[] = [];
  if (origins.length === 0) return out;
  const patterns = new Set<number>();
  for (let i = 0; i < origins.length; i++) {
    const entry = origins[i] as string;
    if (!entry.includes('*')) continue;
    patterns.add(i);
    issues.push(
      makeIssue(
        'pattern-wildcard-position',
        `${fn}[${i}]`,
        `corset: ${fn}[${i}]: ${quote(entry)} is a pattern: ${fn} takes exact origins (scheme://host[:port]); put wildcards in the policy and update() it`,
      ),
    );
  }
  const checked = validatePolicy({ origins: origins as string[], credentials, allowInsecureOrigins });
  for (const issue of checked.issues) {
    if (issue.severity !== 'error') continue;
    const at = /^origins\[(\d+)\]/.exec(issue.path);
    if (at !== null && patterns.has(Number(at[1]))) continue; // already reported as a pattern
    issues.push({ ...issue, path: issue.path.replace(/^origins/, fn), message: issue.message.replace(/^corset: origins/, `corset: ${fn}`) });
  }
  if (issues.length > 0 || checked.policy === null || checked.policy.origins.kind !== 'list') throw new PolicyError(issues);
  for (const rule of checked.policy.origins.rules) {
    const exact = exactOrigin(rule);
    if (exact === null) {
      // Not reachable for strings without `*` (a `null` entry is refused above); refuse, never guess.
      issues.push(makeIssue('pattern-wildcard-position', `${fn}[${rule.index}]`, `corset: ${fn}[${rule.index}]: ${quote(rule.source)} is not an exact origin`));
    } else out.push(exact);
  }
  if (issues.length > 0) throw new PolicyError(issues);
  return out;
}

const scan = newOriginScan();

/** How an added origin is checked: as an entry of a list with or without credentials. */
interface EntryContext {
  readonly credentials: boolean;
  readonly allowInsecureOrigins: boolean;
}

const PLAIN_CONTEXT: EntryContext = { credentials: false, allowInsecureOrigins: false };

/** Tiered: added origins join credentialedOrigins, so they are checked as credentialed. */
function entryContext(source: Source): EntryContext {
  const credentials = source.validated.credentials || source.validated.credentialedOrigins !== null;
  return { credentials, allowInsecureOrigins: source.allowInsecureOrigins };
}

/** The one origin an exact rule allows, serialized (HTML §7.1.1), or null for any other rule. */
function exactOrigin(rule: OriginRule): string | null {
  if (rule.kind === 'app') return rule.source;
  if (rule.kind !== 'tuple' || rule.host.kind !== 'exact' || rule.port.kind === 'any') return null;
  return rule.port.kind === 'exact' ? `${rule.scheme}://${rule.host.host}:${rule.port.port}` : `${rule.scheme}://${rule.host.host}`;
}

function readOptions(options: LiveOptions | undefined): Required<Omit<LiveOptions, 'resolveOrigin'>> & Pick<LiveOptions, 'resolveOrigin'> {
  if (options === undefined) return { ...DEFAULTS };
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`corset: createLivePolicy(init, options): options must be an object, got ${describeType(options)}`);
  }
  const r = options.resolveOrigin;
  if (r !== undefined && typeof r !== 'function') {
    throw new TypeError(`corset: createLivePolicy(init, options): options.resolveOrigin must be a function, got ${describeType(r)}`);
  }
  const num = (key: 'resolverTimeoutMs' | 'cacheTtlMs' | 'negativeCacheTtlMs' | 'cacheSize'): number => {
    const v = options[key];
    if (v === undefined) return DEFAULTS[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (key === 'cacheSize' && !Number.isInteger(v))) {
      throw new TypeError(
        `corset: createLivePolicy(init, options): options.${key} must be a non-negative ${key === 'cacheSize' ? 'integer' : 'number of milliseconds'}, got ${quote(v)}`,
      );
    }
    return v;
  };
  return {
    resolveOrigin: r,
    resolverTimeoutMs: num('resolverTimeoutMs'),
    cacheTtlMs: num('cacheTtlMs'),
    negativeCacheTtlMs: num('negativeCacheTtlMs'),
    cacheSize: num('cacheSize'),
  };
}
