// The packed tables (src/engine/tables.ts, layout in src/engine/layout.ts): the header describes
// the sections truthfully, hash hits are confirmed by an exact byte compare, dominated entries are
// pruned, and rules that could only deny are left out.
import { describe, expect, it } from 'vitest';
import { edgeHash, hashKey } from '../src/engine/hash.js';
import { createJsMatcher } from '../src/engine/js-engine.js';
import * as L from '../src/engine/layout.js';
import { buildTables, type OriginTables } from '../src/engine/tables.js';
import { MATCH_NONE, type OriginRule } from '../src/policy/rules.js';
import { exact, glob, re, rules, sub } from './fixtures/engine-cases.js';

const word = (t: OriginTables, offset: number): number => t.words[offset >> 2] as number;

/** A pseudo-random lower-case label of 6 to 9 letters, the i-th of a fixed sequence. */
function randomLabel(i: number): string {
  let x = Math.imul(i + 1, 0x9e3779b1) >>> 0;
  let s = '';
  const n = 6 + (x % 4);
  for (let k = 0; k < n; k++) {
    x = (Math.imul(x ^ (x >>> 13), 0x5bd1e995) + k) >>> 0;
    s += String.fromCharCode(0x61 + (x % 26));
  }
  return s;
}

/** Two distinct strings `make(label)` with the same hash (a birthday search; deterministic). */
function collision(make: (label: string) => string, hash: (s: string) => number): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; i < 2_000_000; i++) {
    const s = make(randomLabel(i));
    const h = hash(s);
    const other = seen.get(h);
    if (other !== undefined && other !== s) return [other, s];
    seen.set(h, s);
  }
  throw new Error('no collision found');
}

describe('buildTables: header', () => {
  const rows: { desc: string; rules: OriginRule[] }[] = [
    { desc: 'no rules', rules: [] },
    { desc: 'one exact', rules: rules(exact('https', 'example.com')) },
    { desc: 'mixed', rules: rules(exact('https', 'example.com', 8443), exact('http', 'localhost', '*'), sub('https', 'example.com'), glob('https', { left: 'api', prefix: 'pr-', suffix: '-x', right: 'example.com' })) },
  ];
  for (const { desc, rules: list } of rows) {
    it(desc, () => {
      const t = buildTables(list);
      expect(word(t, L.H_MAGIC)).toBe(L.TABLES_MAGIC);
      expect(word(t, L.H_VERSION)).toBe(L.TABLES_VERSION);
      expect(word(t, L.H_BYTE_LENGTH), 'byte length').toBe(t.bytes.length);
      expect(t.bytes.length % 8, 'byte length is a multiple of 8').toBe(0);
      // Sections in order, without overlap, inside the buffer.
      const sections = [
        [L.H_EXACT_SLOTS, word(t, L.H_EXACT_COUNT) * L.KEY_SLOT_SIZE],
        [L.H_ANYPORT_SLOTS, word(t, L.H_ANYPORT_COUNT) * L.KEY_SLOT_SIZE],
        [L.H_EDGE_SLOTS, word(t, L.H_EDGE_COUNT) * L.EDGE_SLOT_SIZE],
        [L.H_NODES, word(t, L.H_NODE_COUNT) * L.NODE_SIZE],
        [L.H_ENTRIES, word(t, L.H_ENTRY_COUNT) * L.ENTRY_SIZE],
        [L.H_POOL, word(t, L.H_POOL_LENGTH)],
      ] as const;
      let end = L.HEADER_SIZE;
      for (const [field, size] of sections) {
        const at = word(t, field);
        expect(at % 4, `section @${field} aligned`).toBe(0);
        expect(at, `section @${field} after the previous one`).toBeGreaterThanOrEqual(end);
        end = at + size;
      }
      expect(end).toBeLessThanOrEqual(t.bytes.length);
      // Slot counts: 0 or a power of two with a load of at most 1/2.
      for (const field of [L.H_EXACT_COUNT, L.H_ANYPORT_COUNT, L.H_EDGE_COUNT]) {
        const n = word(t, field);
        expect(n === 0 || (n & (n - 1)) === 0, `slot count ${n} is 0 or a power of two`).toBe(true);
      }
      expect(word(t, L.H_NODE_COUNT), 'the root node always exists').toBeGreaterThanOrEqual(1);
    });
  }

  it('load factor stays at or below 1/2', () => {
    const list = rules(...Array.from({ length: 1000 }, (_, i) => exact('https', `h${i}.example.com`)));
    const t = buildTables(list);
    expect(word(t, L.H_EXACT_COUNT)).toBeGreaterThanOrEqual(2000);
  });
});

describe('buildTables: a hash hit is confirmed by comparing bytes', () => {
  it('exact table: a colliding origin is not allowed', () => {
    const [allowed, impostor] = collision((l) => `https://${l.slice(0, 6)}.example`, hashKey);
    const m = createJsMatcher(rules(exact('https', allowed.slice('https://'.length))));
    expect(m.match(allowed), `match(${allowed})`).toBe(0);
    expect(m.match(impostor), `match(${impostor}): got a rule for a hash twin of ${allowed}; want none`).toBe(MATCH_NONE);
  });

  it('any-port table: a colliding host is not allowed', () => {
    const [allowed, impostor] = collision((l) => `https://${l.slice(0, 6)}.example`, hashKey);
    const m = createJsMatcher(rules(exact('https', allowed.slice('https://'.length), '*')));
    expect(m.match(`${allowed}:8443`)).toBe(0);
    expect(m.match(`${impostor}:8443`), `match(${impostor}:8443)`).toBe(MATCH_NONE);
  });

  it('trie edges: a colliding label is not followed', () => {
    const [allowed, impostor] = collision((l) => l.slice(0, 6), (s) => edgeHash(0, hashKey(s)));
    const m = createJsMatcher(rules(sub('https', allowed)));
    expect(m.match(`https://a.${allowed}`)).toBe(0);
    expect(m.match(`https://a.${impostor}`), `match(https://a.${impostor})`).toBe(MATCH_NONE);
  });
});

describe('buildTables: entries', () => {
  it('drops entries an earlier one dominates', () => {
    const t = buildTables(rules(sub('https', 'example.com', '*'), sub('https', 'example.com', 8443), sub('https', 'example.com'), sub('http', 'example.com')));
    expect(word(t, L.H_ENTRY_COUNT), 'entries: https any-port and http').toBe(2);
  });

  it('keeps entries that differ in the glob', () => {
    const t = buildTables(rules(glob('https', { prefix: 'a', right: 'example.com' }), glob('https', { prefix: 'b', right: 'example.com' })));
    expect(word(t, L.H_ENTRY_COUNT)).toBe(2);
  });

  it('leaves out a non-ASCII key, which no canonical origin can equal', () => {
    const t = buildTables(rules(exact('https', 'bücher.example'), sub('https', 'bücher.example')));
    expect(word(t, L.H_EXACT_COUNT)).toBe(0);
    expect(word(t, L.H_ENTRY_COUNT)).toBe(0);
  });

  it('puts RegExp rules beside the tables, not in them', () => {
    const t = buildTables(rules(re(/x/)));
    expect(word(t, L.H_EXACT_COUNT) + word(t, L.H_ENTRY_COUNT)).toBe(0);
  });
});

describe('buildTables: refuses rules the validator cannot have made', () => {
  const rows: { desc: string; rule: OriginRule; want: RegExp }[] = [
    { desc: 'negative index', rule: { ...(exact('https', 'a.example')(0) as object), index: -1 } as OriginRule, want: /rule -1 has an index that is not a non-negative int32/ },
    { desc: 'ws scheme', rule: { ...(exact('https', 'a.example')(0) as object), scheme: 'ws' } as unknown as OriginRule, want: /scheme "ws"/ },
    { desc: 'unknown host kind', rule: { ...(exact('https', 'a.example')(0) as object), host: { kind: 'regex' } } as unknown as OriginRule, want: /unknown host kind/ },
  ];
  for (const { desc, rule, want } of rows) {
    it(desc, () => {
      expect(() => buildTables([rule])).toThrow(want);
    });
  }
});
