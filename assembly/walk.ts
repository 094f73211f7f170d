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
import { firstBadEnd, hashFull, hashHost, hostEnd, hostStart, isLabelChar, MAX_LABEL_LENGTH, port, scheme } from './scan';

const DOT: u32 = 0x2e;

@inline function word(t: usize, offset: i32): i32 {
  return load<i32>(t + <usize>offset);
}

/** The first slot probed for `hash` (src/engine/hash.ts slotOf). */
@inline function slotOf(hash: i32, mask: i32): i32 {
  return (hash ^ <i32>(<u32>hash >> 15)) & mask;
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

/** The child of `parent` along the label at `s[start..end)`, or -1. */
function childOf(t: usize, parent: i32, s: usize, start: i32, end: i32): i32 {
  const count = word(t, H_EDGE_COUNT);
  if (count == 0) return -1;
  let hash = (FNV_OFFSET ^ parent) * FNV_PRIME;
  for (let k = start; k < end; k++) hash = (hash ^ <i32>load<u8>(s + <usize>k)) * FNV_PRIME;
  const slotsAt = word(t, H_EDGE_SLOTS);
  const mask = count - 1;
  const length = end - start;
  let i = slotOf(hash, mask);
  while (true) {
    const slot = t + <usize>(slotsAt + i * EDGE_SLOT_SIZE);
    const labelLength = load<i32>(slot + ES_LABEL_LENGTH);
    if (labelLength < 0) return -1;
    if (
      load<i32>(slot + ES_HASH) == hash &&
      load<i32>(slot + ES_PARENT) == parent &&
      labelLength == length &&
      sameBytes(t + <usize>load<i32>(slot + ES_LABEL), s + <usize>start, length)
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
  let best = probeKeys(t, word(t, H_ANYPORT_SLOTS), word(t, H_ANYPORT_COUNT), hashHost, s, hostEnd);
  const exact = probeKeys(t, word(t, H_EXACT_SLOTS), word(t, H_EXACT_COUNT), hashFull, s, n);
  if (exact < best) best = exact;

  const nodesAt = word(t, H_NODES);
  if (word(t, H_EDGE_COUNT) == 0) {
    const root = t + <usize>nodesAt;
    if (load<i32>(root + N_SUB_COUNT) == 0 && load<i32>(root + N_GLOB_COUNT) == 0) return best;
  }
  const entriesAt = word(t, H_ENTRIES);
  let node = 0;
  let restEnd = hostEnd;
  while (true) {
    let labelStart = restEnd;
    while (labelStart > hostStart && <u32>load<u8>(s + <usize>labelStart - 1) != DOT) labelStart--;
    const nodeAt = t + <usize>(nodesAt + node * NODE_SIZE);

    // `*.suffix`: the rest of the host is one or more labels, every one a DNS label.
    const subCount = load<i32>(nodeAt + N_SUB_COUNT);
    if (subCount > 0 && firstBadEnd > restEnd) {
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
    if (globCount > 0) {
      const labelLength = restEnd - labelStart;
      let dns = labelLength >= 1 && labelLength <= MAX_LABEL_LENGTH;
      for (let k = labelStart; dns && k < restEnd; k++) dns = isLabelChar(load<u8>(s + <usize>k));
      if (dns) {
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
          if (!sameBytes(t + <usize>load<i32>(e + E_SUFFIX), s + <usize>(restEnd - suffixLength), suffixLength)) continue;
          const leftLength = load<i32>(e + E_LEFT_LENGTH);
          if (leftLength == 0) {
            if (labelStart != hostStart) continue;
          } else if (labelStart - 1 - hostStart != leftLength || !sameBytes(t + <usize>load<i32>(e + E_LEFT), s + <usize>hostStart, leftLength)) {
            continue;
          }
          best = rule;
          break;
        }
      }
    }

    if (labelStart == hostStart) break; // no label left for a deeper node to stand on
    const child = childOf(t, node, s, labelStart, restEnd);
    if (child < 0) break;
    node = child;
    restEnd = labelStart - 1;
  }
  return best;
}
