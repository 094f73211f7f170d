// The compiled tables (layout: src/engine/layout.ts, built by src/engine/tables.ts) read from
// linear memory: the same walk as src/engine/match-tables.ts, over bytes. `t` is the address of
// the uploaded tables; every offset in them is relative to it.
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
  EDGE_MIX,
  FMIX_1,
  FMIX_2,
  FNV_OFFSET,
  FNV_PRIME,
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
  SCHEME_NONE,
} from '../src/engine/layout';
import { firstBadLabel, hostEnd, hostStart, L_DNS, L_END, L_START, labelCount, labels, port, scheme } from './scan';

@inline function word(t: usize, offset: i32): i32 {
  return load<i32>(t + <usize>offset);
}

/** The first slot probed for `hash`: murmur3 fmix32, masked (src/engine/hash.ts slotOf). */
@inline function slotOf(hash: i32, mask: i32): i32 {
  let h = hash ^ <i32>(<u32>hash >> 16);
  h *= FMIX_1;
  h ^= <i32>(<u32>h >> 13);
  h *= FMIX_2;
  h ^= <i32>(<u32>h >> 16);
  return h & mask;
}

/**
 * FNV-1a over the 32-bit little-endian words of the `length` bytes at `p`, then the bytes left,
 * continuing from `h` (src/engine/hash.ts hashRange).
 */
@inline function hashRange(h: i32, p: usize, length: i32): i32 {
  let i = 0;
  for (; i + 4 <= length; i += 4) h = (h ^ load<i32>(p + <usize>i)) * FNV_PRIME;
  for (; i < length; i++) h = (h ^ <i32>load<u8>(p + <usize>i)) * FNV_PRIME;
  return h;
}

/** The `length` bytes at `a` equal those at `b`. */
function sameBytes(a: usize, b: usize, length: i32): bool {
  let i = 0;
  for (; i + 8 <= length; i += 8) if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  for (; i < length; i++) if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  return true;
}

/** Probe a key table for the `length` bytes at `s`: the rule, or NO_RULE. */
function probeKeys(t: usize, slotsAt: i32, count: i32, hash: i32, s: usize, length: i32): i32 {
  if (count == 0) return NO_RULE;
  const mask = count - 1;
  let i = slotOf(hash, mask);
  while (true) {
    const slot = t + <usize>(slotsAt + i * KEY_SLOT_SIZE);
    const keyLength = load<i32>(slot + KS_KEY_LENGTH);
    if (keyLength < 0) return NO_RULE;
    if (load<i32>(slot + KS_HASH) == hash && keyLength == length && sameBytes(t + <usize>load<i32>(slot + KS_KEY), s, length)) {
      return load<i32>(slot + KS_RULE);
    }
    i = (i + 1) & mask;
  }
  return NO_RULE;
}

/** The child of `parent` along the label of `length` bytes at `label`, or -1. */
function childOf(t: usize, parent: i32, label: usize, length: i32): i32 {
  const count = word(t, H_EDGE_COUNT);
  if (count == 0) return -1;
  const hash = hashRange(FNV_OFFSET, label, length) ^ (parent * EDGE_MIX); // src/engine/hash.ts edgeHash
  const slotsAt = word(t, H_EDGE_SLOTS);
  const mask = count - 1;
  let i = slotOf(hash, mask);
  while (true) {
    const slot = t + <usize>(slotsAt + i * EDGE_SLOT_SIZE);
    const labelLength = load<i32>(slot + ES_LABEL_LENGTH);
    if (labelLength < 0) return -1;
    if (
      load<i32>(slot + ES_HASH) == hash &&
      load<i32>(slot + ES_PARENT) == parent &&
      labelLength == length &&
      sameBytes(t + <usize>load<i32>(slot + ES_LABEL), label, length)
    ) {
      return load<i32>(slot + ES_CHILD);
    }
    i = (i + 1) & mask;
  }
  return -1;
}

@inline function schemeAndPortMatch(e: usize): bool {
  if (load<i32>(e + E_SCHEME) != scheme) return false;
  const kind = load<i32>(e + E_PORT_KIND);
  if (kind == PORT_ANY) return true;
  if (kind == PORT_DEFAULT) return port == -1;
  return port == load<i32>(e + E_PORT);
}

/**
 * The earliest tuple rule allowing the canonical origin of `n` bytes at `s`, whose parts the scan
 * (or splitCanonical) left in ./scan's globals; NO_RULE when none does.
 */
export function matchTables(t: usize, s: usize, n: i32): i32 {
  if (scheme == SCHEME_NONE) return NO_RULE;
  // The any-port key `scheme://host` and the whole origin share their leading words.
  let best = NO_RULE;
  const anyPortCount = word(t, H_ANYPORT_COUNT);
  const exactCount = word(t, H_EXACT_COUNT);
  if (anyPortCount != 0 || exactCount != 0) {
    const shared = hostEnd & ~3;
    const head = hashRange(FNV_OFFSET, s, shared);
    if (anyPortCount != 0) best = probeKeys(t, word(t, H_ANYPORT_SLOTS), anyPortCount, hashRange(head, s + <usize>shared, hostEnd - shared), s, hostEnd);
    if (exactCount != 0) {
      const exact = probeKeys(t, word(t, H_EXACT_SLOTS), exactCount, hashRange(head, s + <usize>shared, n - shared), s, n);
      if (exact < best) best = exact;
    }
  }

  const nodesAt = word(t, H_NODES);
  if (word(t, H_EDGE_COUNT) == 0) {
    const root = t + <usize>nodesAt;
    if (load<i32>(root + N_SUB_COUNT) == 0 && load<i32>(root + N_GLOB_COUNT) == 0) return best;
  }
  const entriesAt = word(t, H_ENTRIES);
  // Down the trie, right to left over the labels the scan recorded. At label `idx` the rest of the
  // host is labels 0..idx; the node's entries are tried against it.
  let node = 0;
  let idx = labelCount - 1;
  while (true) {
    const label = labels + (<usize>idx << 4);
    const labelStart = load<i32>(label, L_START);
    const labelEnd = load<i32>(label, L_END);
    const nodeAt = t + <usize>(nodesAt + node * NODE_SIZE);

    // `*.suffix`: the rest of the host is one or more labels, every one a DNS label.
    const subCount = load<i32>(nodeAt + N_SUB_COUNT);
    if (subCount > 0 && firstBadLabel > idx) {
      const first = load<i32>(nodeAt + N_SUB_FIRST);
      for (let k = 0; k < subCount; k++) {
        const e = t + <usize>(entriesAt + (first + k) * ENTRY_SIZE);
        const rule = load<i32>(e + E_RULE);
        if (rule >= best) break;
        if (schemeAndPortMatch(e)) {
          best = rule;
          break;
        }
      }
    }

    // `left.prefix*suffix.right`: the label next to the node is a DNS label of the form prefix,
    // one or more label characters, suffix; everything left of it is exactly `left`.
    const globCount = load<i32>(nodeAt + N_GLOB_COUNT);
    if (globCount > 0 && load<i32>(label, L_DNS) != 0) {
      const labelLength = labelEnd - labelStart;
      const first = load<i32>(nodeAt + N_GLOB_FIRST);
      for (let k = 0; k < globCount; k++) {
        const e = t + <usize>(entriesAt + (first + k) * ENTRY_SIZE);
        const rule = load<i32>(e + E_RULE);
        if (rule >= best) break;
        if (!schemeAndPortMatch(e)) continue;
        const prefixLength = load<i32>(e + E_PREFIX_LENGTH);
        const suffixLength = load<i32>(e + E_SUFFIX_LENGTH);
        if (labelLength < prefixLength + suffixLength + 1) continue;
        if (!sameBytes(t + <usize>load<i32>(e + E_PREFIX), s + <usize>labelStart, prefixLength)) continue;
        if (!sameBytes(t + <usize>load<i32>(e + E_SUFFIX), s + <usize>(labelEnd - suffixLength), suffixLength)) continue;
        const leftLength = load<i32>(e + E_LEFT_LENGTH);
        if (leftLength == 0) {
          if (idx != 0) continue;
        } else if (labelStart - 1 - hostStart != leftLength || !sameBytes(t + <usize>load<i32>(e + E_LEFT), s + <usize>hostStart, leftLength)) {
          continue;
        }
        best = rule;
        break;
      }
    }

    if (idx == 0) break; // no label left for a deeper node to stand on
    const child = childOf(t, node, s + <usize>labelStart, labelEnd - labelStart);
    if (child < 0) break;
    node = child;
    idx--;
  }
  return best;
}
