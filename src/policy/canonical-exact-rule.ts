// The rule of an exact origin written in canonical form (`https://app.example.com`,
// `http://localhost:3000`), as src/policy/pattern.ts's canonical fast path makes it.
//
// A list of a million tenant origins is a million of these, so the rule is one object of five
// fields (64 bytes on 64-bit Node) instead of a rule, a host object and a host substring (144
// bytes): its `host` is an accessor that reads the host out of `source` when asked. Only
// compile-time code asks, and for a list of exact origins most of it never does (the exact-origin
// index is keyed by `source`, ./exact-index.ts). The accessor is an own enumerable property
// defined with one shared descriptor, so every such rule has the same hidden class and reads,
// spreads and compares (`Object.keys`, `toEqual`) as the plain-object rule does.
//
// Kept apart from pattern.ts (which needs the URL parser) so that ./exact-index.ts, which the
// WASM engine's bundles import, can tell these rules apart without pulling the parser in.
import type { HostSpec, PatternScheme, PortSpec, TupleRule } from './rules.js';

class CanonicalExactRule {
  readonly kind = 'tuple';
  declare readonly host: HostSpec;
  constructor(
    readonly index: number,
    readonly source: string,
    readonly scheme: PatternScheme,
    readonly port: PortSpec,
  ) {
    Object.defineProperty(this, 'host', HOST_FROM_SOURCE);
  }
}

/** `scheme://host[:port]` in canonical form: the host sits between `://` and the port's colon. */
function hostFromSource(this: CanonicalExactRule): HostSpec {
  const { source, scheme, port } = this;
  return { kind: 'exact', host: source.slice(scheme.length + 3, port.kind === 'exact' ? source.lastIndexOf(':') : source.length) };
}
const HOST_FROM_SOURCE: PropertyDescriptor = Object.freeze({ get: hostFromSource, enumerable: true, configurable: false });

/**
 * The rule for `source`, which the caller has proved to be the canonical serialization of an
 * http(s) origin with no IPv6 host (whose brackets hold colons); `port` is its port as written.
 */
export function newCanonicalExactRule(index: number, source: string, scheme: PatternScheme, port: PortSpec): TupleRule {
  return new CanonicalExactRule(index, source, scheme, port);
}

/** Whether `rule` was made by newCanonicalExactRule: then `source` is its key, nothing to format. */
export function isCanonicalExactRule(rule: unknown): boolean {
  return rule instanceof CanonicalExactRule;
}
