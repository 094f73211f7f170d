// The one builder of the compiled origin tables (DESIGN.md, "Engines"): a validated rule list in,
// one packed read-only buffer out, in the byte layout drawn in ./layout.ts. Both engines read this
// buffer: the TypeScript engine through typed-array views, the WebAssembly engine from a copy in
// linear memory.
//
// Only `tuple` rules go into the tables; `null` and RegExp rules are matched beside them (see
// ./rule-front.ts). A table key that holds a character outside ASCII can never equal a canonical
// origin (which is ASCII), so such a rule is left out rather than encoded: it could only ever deny.
import type { OriginRule, PortSpec, TupleRule } from '../policy/rules.js';
import { edgeHash, hashKey, slotOf } from './hash.js';
import {
  E_LEFT,
  E_LEFT_LENGTH,
  E_PORT,
  E_PORT_KIND,
  E_PREFIX,
  E_PREFIX_LENGTH,
  E_RULE,
  E_SCHEME,
  E_SUFFIX,
  E_SUFFIX_LENGTH,
  EDGE_SLOT_SIZE,
  EMPTY_SLOT,
  ENTRY_SIZE,
  ES_CHILD,
  ES_HASH,
  ES_LABEL,
  ES_LABEL_LENGTH,
  ES_PARENT,
  H_ANYPORT_COUNT,
  H_ANYPORT_SLOTS,
  H_BYTE_LENGTH,
  H_EDGE_COUNT,
  H_EDGE_SLOTS,
  H_ENTRIES,
  H_ENTRY_COUNT,
  H_EXACT_COUNT,
  H_EXACT_SLOTS,
  H_MAGIC,
  H_NODE_COUNT,
  H_NODES,
  H_POOL,
  H_POOL_LENGTH,
  H_VERSION,
  HEADER_SIZE,
  KEY_SLOT_SIZE,
  KS_HASH,
  KS_KEY,
  KS_KEY_LENGTH,
  KS_RULE,
  N_GLOB_COUNT,
  N_GLOB_FIRST,
  N_SUB_COUNT,
  N_SUB_FIRST,
  NODE_SIZE,
  PORT_ANY,
  PORT_DEFAULT,
  PORT_EXACT,
  SCHEME_HTTP,
  SCHEME_HTTPS,
  TABLES_MAGIC,
  TABLES_VERSION,
} from './layout.js';

/** The compiled tables: one buffer and two views of it. Read-only by contract. */
export interface OriginTables {
  /** The whole buffer, in the layout of ./layout.ts; what the WASM engine uploads. */
  readonly bytes: Uint8Array;
  /** The same buffer as 32-bit words (`words[offset >> 2]`). */
  readonly words: Int32Array;
  /**
   * The exact-origin table as a Map: each serialized origin (`scheme://host[:port]`) to the
   * earliest exact rule with it, for the JS fast path.
   */
  readonly exact: ReadonlyMap<string, number>;
  /**
   * When the exact-origin table holds every table rule (no `:*`, no `*.`, no glob): each key's
   * earliest rule, which is then the earliest table rule that allows it. Null otherwise.
   */
  readonly exactEarliest: ReadonlyMap<string, number> | null;
}

/** What the JS side of an engine reads (the exact fast path): the tables without their bytes. */
export type TableMaps = Pick<OriginTables, 'exact' | 'exactEarliest'>;

/**
 * The maps of `buildTables(rules, known)`, without building the bytes: with the validator's
 * exact-origin index every table rule is an exact origin keyed in `known`, so `known` is the
 * exact map and, there being no other table rule, each key's earliest table rule too.
 */
export function exactIndexMaps(known: ReadonlyMap<string, number>): TableMaps {
  return { exact: known, exactEarliest: known };
}

/** A trie entry before packing. */
interface Entry {
  readonly rule: number;
  readonly scheme: number;
  readonly portKind: number;
  readonly port: number;
  readonly prefix: string;
  readonly suffix: string;
  readonly left: string;
}

interface BuildNode {
  readonly sub: Entry[];
  readonly glob: Entry[];
}

interface BuildEdge {
  readonly parent: number;
  readonly label: string;
  readonly child: number;
}

/** ASCII only: anything else can never be part of a canonical serialized origin. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** A rule the validator cannot have made: a programming error, not a policy problem. */
function notValidated(rule: OriginRule, what: string): Error {
  return new Error(`corset: buildTables: rule ${String(rule.index)} has ${what}`);
}

function schemeCode(rule: TupleRule): number {
  if (rule.scheme === 'http') return SCHEME_HTTP;
  if (rule.scheme === 'https') return SCHEME_HTTPS;
  throw notValidated(rule, `scheme ${JSON.stringify(rule.scheme)}`);
}

function portOf(rule: TupleRule): { kind: number; port: number } {
  const spec: PortSpec = rule.port;
  switch (spec.kind) {
    case 'default':
      return { kind: PORT_DEFAULT, port: 0 };
    case 'exact':
      return { kind: PORT_EXACT, port: spec.port };
    case 'any':
      return { kind: PORT_ANY, port: 0 };
    default:
      throw notValidated(rule, 'an unknown port kind');
  }
}

/** The labels of a host suffix, left to right; `''` is no labels at all (the trie root). */
function labelsOf(suffix: string): string[] {
  return suffix === '' ? [] : suffix.split('.');
}

function checkIndex(rule: OriginRule): void {
  if (!Number.isInteger(rule.index) || rule.index < 0 || rule.index >= 0x7fffffff) throw notValidated(rule, 'an index that is not a non-negative int32');
}

/** `source` is exactly `scheme://host` (an exact origin written in canonical form). */
function isSchemeHost(source: string, scheme: string, host: string): boolean {
  return source.length === scheme.length + 3 + host.length && source.endsWith(host) && source.startsWith(`${scheme}://`);
}

/** Keep the earliest rule for a key. */
function putEarliest(map: Map<string, number>, key: string, rule: number): void {
  const known = map.get(key);
  if (known === undefined || rule < known) map.set(key, rule);
}

/**
 * Sort a node's entries by rule index and drop the ones an earlier entry dominates (same scheme,
 * same glob parts, and a port spec that is `:*` or identical): they could never be the earliest.
 */
function pruneEntries(entries: Entry[]): Entry[] {
  entries.sort((a, b) => a.rule - b.rule);
  const seen = new Set<string>();
  const out: Entry[] = [];
  for (const e of entries) {
    const shape = `${e.scheme}\u0000${e.prefix}\u0000${e.suffix}\u0000${e.left}`;
    if (seen.has(`${shape}\u0000any`) || seen.has(`${shape}\u0000${e.portKind}:${e.port}`)) continue;
    seen.add(e.portKind === PORT_ANY ? `${shape}\u0000any` : `${shape}\u0000${e.portKind}:${e.port}`);
    out.push(e);
  }
  return out;
}

/** The smallest power of two holding `n` keys at a load of at most 1/2 (0 for no keys). */
function slotCountFor(n: number): number {
  if (n === 0) return 0;
  let count = 2;
  while (count < n * 2) count *= 2;
  return count;
}

const align4 = (n: number): number => (n + 3) & ~3;

/**
 * Compile the tuple rules of a validated rule list into the packed tables of ./layout.ts (with
 * `known`, the list's exact-origin index: the same bytes, without building the map again).
 * Throws (a programming error, not a policy problem) on a rule the validator cannot have made.
 */
export function buildTables(rules: readonly OriginRule[], known: ReadonlyMap<string, number> | null = null): OriginTables {
  // `known`: the validator's exact-origin index of a list of exact origins only, whose shape it
  // has checked (src/policy/exact-index.ts): this table's map already, so the rules add nothing.
  const exact: Map<string, number> | ReadonlyMap<string, number> = known ?? new Map<string, number>(); // serialized origin -> earliest rule
  const anyPort = new Map<string, number>(); // `scheme://host` -> earliest rule
  const nodes: BuildNode[] = [{ sub: [], glob: [] }];
  const edges: BuildEdge[] = [];
  const edgeIds = new Map<string, number>(); // `${parent}\u0000${label}` -> child

  /** The node whose path is `labels` (left to right), created as needed. */
  const nodeFor = (labels: readonly string[]): number => {
    let node = 0;
    for (let i = labels.length - 1; i >= 0; i--) {
      const label = labels[i] as string;
      const key = `${node}\u0000${label}`;
      let child = edgeIds.get(key);
      if (child === undefined) {
        child = nodes.length;
        nodes.push({ sub: [], glob: [] });
        edges.push({ parent: node, label, child });
        edgeIds.set(key, child);
      }
      node = child;
    }
    return node;
  };

  for (const rule of known === null ? rules : []) {
    checkIndex(rule);
    if (rule.kind !== 'tuple') continue;
    const scheme = schemeCode(rule);
    const port = portOf(rule);
    const host = rule.host;
    switch (host.kind) {
      case 'exact': {
        if (!isAscii(host.host)) break;
        // The source itself when it is written in canonical form (a long list of exact origins
        // then keys every table by the strings it came with: nothing to build or hash again).
        const origin = isSchemeHost(rule.source, rule.scheme, host.host) ? rule.source : `${rule.scheme}://${host.host}`;
        const exactMap = exact as Map<string, number>; // built here: known is null
        if (port.kind === PORT_ANY) putEarliest(anyPort, origin, rule.index);
        else if (port.kind === PORT_EXACT) putEarliest(exactMap, `${origin}:${port.port}`, rule.index);
        else putEarliest(exactMap, origin, rule.index);
        break;
      }
      case 'subdomains': {
        if (!isAscii(host.suffix)) break;
        // `*.suffix`: the host ends with `.` + suffix, so the suffix '' is the one empty label
        // after a trailing dot, not the root.
        const node = nodeFor(host.suffix.split('.'));
        nodes[node]?.sub.push({ rule: rule.index, scheme, portKind: port.kind, port: port.port, prefix: '', suffix: '', left: '' });
        break;
      }
      case 'glob': {
        if (!isAscii(host.left + host.prefix + host.suffix + host.right)) break;
        const node = nodeFor(labelsOf(host.right));
        nodes[node]?.glob.push({
          rule: rule.index,
          scheme,
          portKind: port.kind,
          port: port.port,
          prefix: host.prefix,
          suffix: host.suffix,
          left: host.left,
        });
        break;
      }
      default:
        throw notValidated(rule, 'an unknown host kind');
    }
  }

  // Pool: the exact and any-port keys first, each written once as its slot is filled (the keys of
  // a map are distinct), then every other string (labels, glob parts) once.
  let keysLength = 0;
  for (const key of exact.keys()) keysLength += key.length;
  for (const key of anyPort.keys()) keysLength += key.length;
  const poolStrings = new Map<string, number>(); // other string -> offset within the pool
  let poolLength = keysLength;
  const intern = (s: string): number => {
    let at = poolStrings.get(s);
    if (at === undefined) {
      at = poolLength;
      poolStrings.set(s, at);
      poolLength += s.length;
    }
    return at;
  };
  for (const edge of edges) intern(edge.label);
  const prunedNodes = nodes.map((n) => ({ sub: pruneEntries(n.sub), glob: pruneEntries(n.glob) }));
  let entryCount = 0;
  for (const n of prunedNodes) {
    entryCount += n.sub.length + n.glob.length;
    for (const e of n.glob) {
      intern(e.prefix);
      intern(e.suffix);
      intern(e.left);
    }
  }

  // Section offsets.
  const exactCount = slotCountFor(exact.size);
  const anyPortCount = slotCountFor(anyPort.size);
  const edgeCount = slotCountFor(edges.length);
  const exactAt = HEADER_SIZE;
  const anyPortAt = exactAt + exactCount * KEY_SLOT_SIZE;
  const edgeAt = anyPortAt + anyPortCount * KEY_SLOT_SIZE;
  const nodeAt = edgeAt + edgeCount * EDGE_SLOT_SIZE;
  const entryAt = nodeAt + prunedNodes.length * NODE_SIZE;
  const poolAt = align4(entryAt + entryCount * ENTRY_SIZE);
  const byteLength = (poolAt + poolLength + 7) & ~7;

  const buffer = new ArrayBuffer(byteLength);
  const bytes = new Uint8Array(buffer);
  const words = new Int32Array(buffer);
  const put = (offset: number, value: number): void => {
    words[offset >> 2] = value;
  };

  put(H_MAGIC, TABLES_MAGIC);
  put(H_VERSION, TABLES_VERSION);
  put(H_BYTE_LENGTH, byteLength);
  put(H_EXACT_SLOTS, exactAt);
  put(H_EXACT_COUNT, exactCount);
  put(H_ANYPORT_SLOTS, anyPortAt);
  put(H_ANYPORT_COUNT, anyPortCount);
  put(H_EDGE_SLOTS, edgeAt);
  put(H_EDGE_COUNT, edgeCount);
  put(H_NODES, nodeAt);
  put(H_NODE_COUNT, prunedNodes.length);
  put(H_ENTRIES, entryAt);
  put(H_ENTRY_COUNT, entryCount);
  put(H_POOL, poolAt);
  put(H_POOL_LENGTH, poolLength);

  for (const [s, at] of poolStrings) {
    for (let i = 0; i < s.length; i++) bytes[poolAt + at + i] = s.charCodeAt(i);
  }
  const poolOffset = (s: string): number => poolAt + (poolStrings.get(s) as number);

  let keyAt = poolAt; // where the next key's bytes go
  const fillKeySlots = (map: ReadonlyMap<string, number>, at: number, count: number): void => {
    for (let i = 0; i < count; i++) put(at + i * KEY_SLOT_SIZE + KS_KEY_LENGTH, EMPTY_SLOT);
    const mask = count - 1;
    // forEach, not for-of: no [key, value] pair allocated per entry of a list of a million.
    map.forEach((rule, key) => {
      for (let k = 0; k < key.length; k++) bytes[keyAt + k] = key.charCodeAt(k); // ASCII (see buildTables)
      const hash = hashKey(key);
      let i = slotOf(hash, mask);
      while ((words[(at + i * KEY_SLOT_SIZE + KS_KEY_LENGTH) >> 2] as number) !== EMPTY_SLOT) i = (i + 1) & mask;
      const slot = at + i * KEY_SLOT_SIZE;
      put(slot + KS_HASH, hash);
      put(slot + KS_KEY, keyAt);
      put(slot + KS_KEY_LENGTH, key.length);
      put(slot + KS_RULE, rule);
      keyAt += key.length;
    });
  };
  fillKeySlots(exact, exactAt, exactCount);
  fillKeySlots(anyPort, anyPortAt, anyPortCount);

  for (let i = 0; i < edgeCount; i++) put(edgeAt + i * EDGE_SLOT_SIZE + ES_LABEL_LENGTH, EMPTY_SLOT);
  const edgeMask = edgeCount - 1;
  for (const edge of edges) {
    const hash = edgeHash(edge.parent, hashKey(edge.label));
    let i = slotOf(hash, edgeMask);
    while ((words[(edgeAt + i * EDGE_SLOT_SIZE + ES_LABEL_LENGTH) >> 2] as number) !== EMPTY_SLOT) i = (i + 1) & edgeMask;
    const slot = edgeAt + i * EDGE_SLOT_SIZE;
    put(slot + ES_HASH, hash);
    put(slot + ES_PARENT, edge.parent);
    put(slot + ES_LABEL, poolOffset(edge.label));
    put(slot + ES_LABEL_LENGTH, edge.label.length);
    put(slot + ES_CHILD, edge.child);
  }

  let nextEntry = 0;
  const putEntries = (list: readonly Entry[]): number => {
    const first = nextEntry;
    for (const e of list) {
      const at = entryAt + nextEntry * ENTRY_SIZE;
      put(at + E_RULE, e.rule);
      put(at + E_SCHEME, e.scheme);
      put(at + E_PORT_KIND, e.portKind);
      put(at + E_PORT, e.port);
      put(at + E_PREFIX, e.prefix === '' ? 0 : poolOffset(e.prefix));
      put(at + E_PREFIX_LENGTH, e.prefix.length);
      put(at + E_SUFFIX, e.suffix === '' ? 0 : poolOffset(e.suffix));
      put(at + E_SUFFIX_LENGTH, e.suffix.length);
      put(at + E_LEFT, e.left === '' ? 0 : poolOffset(e.left));
      put(at + E_LEFT_LENGTH, e.left.length);
      nextEntry++;
    }
    return first;
  };
  prunedNodes.forEach((n, id) => {
    const at = nodeAt + id * NODE_SIZE;
    put(at + N_SUB_FIRST, putEntries(n.sub));
    put(at + N_SUB_COUNT, n.sub.length);
    put(at + N_GLOB_FIRST, putEntries(n.glob));
    put(at + N_GLOB_COUNT, n.glob.length);
  });

  const exactOnly = anyPort.size === 0 && entryCount === 0;
  return { bytes, words, exact, exactEarliest: exactOnly ? exact : null };
}
