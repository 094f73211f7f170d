// The TypeScript reading of the compiled tables (./layout.ts): given a canonical serialized origin
// already split into scheme, host and port, the earliest tuple rule that allows it. assembly/
// implements the same walk over the same bytes; keep the two in step (the differential fuzz
// holds them to each other).
//
// Cost: one pass over the origin for the two hash probes, one pass over the host's labels for the
// DNS-label check, and one pass right to left down the trie. At each trie node the node's entries
// are tried in rule order, stopping at the first match; so matching is O(length of the origin)
// plus the number of entries at the nodes on the host's path. That is independent of the size of
// the policy except where many `*.`/glob rules share one suffix node and differ only in port or in
// the glob's prefix, suffix or left part (e.g. 10 000 `https://pr-N-*.example.com`): those are
// scanned one by one.
import { edgeHash, FNV_OFFSET, hashRange, slotOf } from './hash.js';
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
  ENTRY_SIZE,
  ES_CHILD,
  ES_HASH,
  ES_LABEL,
  ES_LABEL_LENGTH,
  ES_PARENT,
  H_ANYPORT_COUNT,
  H_ANYPORT_SLOTS,
  H_EDGE_COUNT,
  H_EDGE_SLOTS,
  H_ENTRIES,
  H_EXACT_COUNT,
  H_EXACT_SLOTS,
  H_NODES,
  KEY_SLOT_SIZE,
  KS_HASH,
  KS_KEY,
  KS_KEY_LENGTH,
  KS_RULE,
  N_GLOB_COUNT,
  N_GLOB_FIRST,
  N_SUB_COUNT,
  N_SUB_FIRST,
  NO_RULE,
  NODE_SIZE,
  PORT_ANY,
  PORT_DEFAULT,
  SCHEME_HTTP,
  SCHEME_HTTPS,
  SCHEME_NONE,
} from './layout.js';
import type { OriginTables } from './tables.js';

const C_DOT = 0x2e;
const C_HYPHEN = 0x2d;
const C_0 = 0x30;
const C_9 = 0x39;
const C_a = 0x61;
const C_z = 0x7a;
const MAX_LABEL = 63;

/** `[a-z0-9-]`: the characters of a DNS label as an origin serializes it. */
function isLabelChar(c: number): boolean {
  return (c >= C_a && c <= C_z) || (c >= C_0 && c <= C_9) || c === C_HYPHEN;
}

/** The table scheme code of a canonical origin whose host starts at `hostStart`. */
export function schemeCodeOf(s: string, hostStart: number): number {
  if (hostStart === 7 && s.startsWith('http://')) return SCHEME_HTTP;
  if (hostStart === 8 && s.startsWith('https://')) return SCHEME_HTTPS;
  return SCHEME_NONE;
}

/** `s[start..start+length)` equals the pool bytes at `at`. */
function sameBytes(bytes: Uint8Array, at: number, s: string, start: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[at + i] !== s.charCodeAt(start + i)) return false;
  return true;
}

/** Probe a key table for `s[0..end)` with hash `hash`: its rule, or NO_RULE. */
function probeKeys(t: OriginTables, slotsAt: number, count: number, hash: number, s: string, end: number): number {
  if (count === 0) return NO_RULE;
  const w = t.words;
  const mask = count - 1;
  for (let i = slotOf(hash, mask); ; i = (i + 1) & mask) {
    const slot = (slotsAt + i * KEY_SLOT_SIZE) >> 2;
    const length = w[slot + (KS_KEY_LENGTH >> 2)] as number;
    if (length < 0) return NO_RULE;
    if (w[slot + (KS_HASH >> 2)] === hash && length === end && sameBytes(t.bytes, w[slot + (KS_KEY >> 2)] as number, s, 0, end)) {
      return w[slot + (KS_RULE >> 2)] as number;
    }
  }
}

/** The child of `parent` along the label `s[start..end)`, or -1. */
function childOf(t: OriginTables, parent: number, s: string, start: number, end: number): number {
  const w = t.words;
  const count = w[H_EDGE_COUNT >> 2] as number;
  if (count === 0) return -1;
  const hash = edgeHash(parent, hashRange(FNV_OFFSET, s, start, end));
  const slotsAt = w[H_EDGE_SLOTS >> 2] as number;
  const mask = count - 1;
  const length = end - start;
  for (let i = slotOf(hash, mask); ; i = (i + 1) & mask) {
    const slot = (slotsAt + i * EDGE_SLOT_SIZE) >> 2;
    const labelLength = w[slot + (ES_LABEL_LENGTH >> 2)] as number;
    if (labelLength < 0) return -1;
    if (
      w[slot + (ES_HASH >> 2)] === hash &&
      w[slot + (ES_PARENT >> 2)] === parent &&
      labelLength === length &&
      sameBytes(t.bytes, w[slot + (ES_LABEL >> 2)] as number, s, start, length)
    ) {
      return w[slot + (ES_CHILD >> 2)] as number;
    }
  }
}

/** The entry's scheme and port constraints hold for the origin. */
function schemeAndPortMatch(w: Int32Array, e: number, scheme: number, port: number): boolean {
  if (w[e + (E_SCHEME >> 2)] !== scheme) return false;
  const kind = w[e + (E_PORT_KIND >> 2)];
  if (kind === PORT_ANY) return true;
  if (kind === PORT_DEFAULT) return port === -1;
  return port === w[e + (E_PORT >> 2)];
}

/**
 * The earliest tuple rule allowing the canonical origin `s` (host `s[hostStart..hostEnd)`, `port`
 * -1 when it has none), or NO_RULE. The caller has proved `s` canonical.
 */
export function matchTables(t: OriginTables, s: string, hostStart: number, hostEnd: number, port: number): number {
  const scheme = schemeCodeOf(s, hostStart);
  if (scheme === SCHEME_NONE) return NO_RULE;
  const w = t.words;

  // Exact origins and `:*` hosts: the any-port key `scheme://host` and the whole origin share
  // their leading words, hashed once.
  const shared = hostEnd & ~3;
  const head = hashRange(FNV_OFFSET, s, 0, shared);
  let best = probeKeys(t, w[H_ANYPORT_SLOTS >> 2] as number, w[H_ANYPORT_COUNT >> 2] as number, hashRange(head, s, shared, hostEnd), s, hostEnd);
  const exact = probeKeys(t, w[H_EXACT_SLOTS >> 2] as number, w[H_EXACT_COUNT >> 2] as number, hashRange(head, s, shared, s.length), s, s.length);
  if (exact < best) best = exact;
  if ((w[H_EDGE_COUNT >> 2] as number) === 0 && !rootHasEntries(w)) return best;

  // The end of the first label (left to right) that is not a DNS label: labels to the left of
  // it are all DNS labels. hostEnd + 1 when every label is one.
  let firstBadEnd = hostEnd + 1;
  for (let start = hostStart, i = hostStart; i <= hostEnd; i++) {
    if (i < hostEnd && s.charCodeAt(i) !== C_DOT) continue;
    const length = i - start;
    let ok = length >= 1 && length <= MAX_LABEL;
    for (let k = start; ok && k < i; k++) ok = isLabelChar(s.charCodeAt(k));
    if (!ok) {
      firstBadEnd = i;
      break;
    }
    start = i + 1;
  }

  // Down the trie, right to left. At each node the rest of the host, s[hostStart..restEnd), holds
  // at least one label (possibly empty); the label just left of the node is s[labelStart..restEnd).
  const nodesAt = w[H_NODES >> 2] as number;
  const entriesAt = w[H_ENTRIES >> 2] as number;
  let node = 0;
  let restEnd = hostEnd;
  for (;;) {
    let labelStart = restEnd;
    while (labelStart > hostStart && s.charCodeAt(labelStart - 1) !== C_DOT) labelStart--;
    const n = (nodesAt + node * NODE_SIZE) >> 2;

    // `*.suffix`: the rest is one or more labels, every one a DNS label.
    const subCount = w[n + (N_SUB_COUNT >> 2)] as number;
    if (subCount > 0 && firstBadEnd > restEnd) {
      const first = w[n + (N_SUB_FIRST >> 2)] as number;
      for (let k = 0; k < subCount; k++) {
        const e = (entriesAt + (first + k) * ENTRY_SIZE) >> 2;
        const rule = w[e + (E_RULE >> 2)] as number;
        if (rule >= best) break;
        if (schemeAndPortMatch(w, e, scheme, port)) {
          best = rule;
          break;
        }
      }
    }

    // `left.prefix*suffix.right`: the label next to the node is a DNS label of the form
    // prefix + 1..n label characters + suffix, and everything left of it is exactly `left`.
    const globCount = w[n + (N_GLOB_COUNT >> 2)] as number;
    if (globCount > 0) {
      const labelLength = restEnd - labelStart;
      let dns = labelLength >= 1 && labelLength <= MAX_LABEL;
      for (let k = labelStart; dns && k < restEnd; k++) dns = isLabelChar(s.charCodeAt(k));
      if (dns) {
        const first = w[n + (N_GLOB_FIRST >> 2)] as number;
        for (let k = 0; k < globCount; k++) {
          const e = (entriesAt + (first + k) * ENTRY_SIZE) >> 2;
          const rule = w[e + (E_RULE >> 2)] as number;
          if (rule >= best) break;
          if (!schemeAndPortMatch(w, e, scheme, port)) continue;
          const prefixLength = w[e + (E_PREFIX_LENGTH >> 2)] as number;
          const suffixLength = w[e + (E_SUFFIX_LENGTH >> 2)] as number;
          if (labelLength < prefixLength + suffixLength + 1) continue;
          if (!sameBytes(t.bytes, w[e + (E_PREFIX >> 2)] as number, s, labelStart, prefixLength)) continue;
          if (!sameBytes(t.bytes, w[e + (E_SUFFIX >> 2)] as number, s, restEnd - suffixLength, suffixLength)) continue;
          const leftLength = w[e + (E_LEFT_LENGTH >> 2)] as number;
          const leftOk =
            leftLength === 0
              ? labelStart === hostStart
              : labelStart - 1 - hostStart === leftLength && sameBytes(t.bytes, w[e + (E_LEFT >> 2)] as number, s, hostStart, leftLength);
          if (!leftOk) continue;
          best = rule;
          break;
        }
      }
    }

    if (labelStart === hostStart) break; // no label left for a deeper node to stand on
    const child = childOf(t, node, s, labelStart, restEnd);
    if (child < 0) break;
    node = child;
    restEnd = labelStart - 1;
  }
  return best;
}

/** Whether the root node has entries (a glob over a single-label host, e.g. `http://dev-*`). */
function rootHasEntries(w: Int32Array): boolean {
  const n = (w[H_NODES >> 2] as number) >> 2;
  return (w[n + (N_SUB_COUNT >> 2)] as number) > 0 || (w[n + (N_GLOB_COUNT >> 2)] as number) > 0;
}
