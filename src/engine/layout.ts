// The byte layout of the compiled origin tables: one packed, read-only buffer that the TypeScript
// engine reads through an Int32Array/Uint8Array and the WebAssembly engine reads unchanged from
// linear memory (assembly/ imports this file, so the offsets below are the only copy). Built by
// buildTables() in ./tables.ts. Plain numeric constants only: this file compiles as TypeScript and
// as AssemblyScript.
//
// All integers are 32-bit little-endian; every offset is a byte offset from the start of the
// buffer; every section starts 4-byte aligned; the whole buffer is a multiple of 8 bytes.
//
//  0                   4                   8                  12                  16
//  +-------------------+-------------------+-------------------+-------------------+
//  | magic 'CRST'      | layout version    | byte length       | exact slots @     |  header
//  +-------------------+-------------------+-------------------+-------------------+  (64 B)
//  | exact slot count  | any-port slots @  | any-port count    | edge slots @      |
//  +-------------------+-------------------+-------------------+-------------------+
//  | edge slot count   | nodes @           | node count        | entries @         |
//  +-------------------+-------------------+-------------------+-------------------+
//  | entry count       | pool @            | pool length       | 0 (reserved)      |
//  +-------------------+-------------------+-------------------+-------------------+
//
//  exact slots     (count a power of two, or 0; load <= 1/2; linear probing from slotOf(hash))
//  any-port slots  (same shape)                          16 B each
//  +----------+-----------+-------------------------+----------+
//  | hash     | key @     | key length (-1 = empty) | rule     |
//  +----------+-----------+-------------------------+----------+
//    exact:    key = the serialized origin, `https://example.com:8443`
//    any-port: key = `scheme://host` of a `:*` exact host; an origin probes it with the bytes
//              before its port. A hash hit counts only after an exact byte compare of the key.
//
//  edge slots      (trie edges, reversed labels; same probing)   20 B each
//  +----------+-----------+-----------+-----------------------------+----------+
//  | hash     | parent    | label @   | label length (-1 = empty)   | child    |
//  +----------+-----------+-----------+-----------------------------+----------+
//    hash = the label's hash, xor parent * EDGE_MIX (hash.ts edgeHash); confirmed by
//    comparing the parent and the label bytes. Node 0 is the root (no labels); the path of a node, read from
//    the root, is its host suffix right to left: com -> example -> preview.
//
//  nodes           (node count entries)                    16 B each
//  +-------------+-------------+--------------+--------------+
//  | sub first   | sub count   | glob first   | glob count   |     (indices into entries)
//  +-------------+-------------+--------------+--------------+
//    sub:  `*.suffix` rules whose suffix is this node's path.
//    glob: `left.prefix*suffix.right` rules whose `right` is this node's path.
//    Each run is sorted by rule index, so the first entry that matches is the earliest.
//
//  entries         (entry count entries)                   40 B each
//  +------+--------+-----------+------+----------+----------+----------+----------+--------+--------+
//  | rule | scheme | port kind | port | prefix @ | prefix n | suffix @ | suffix n | left @ | left n |
//  +------+--------+-----------+------+----------+----------+----------+----------+--------+--------+
//    scheme: SCHEME_HTTP | SCHEME_HTTPS. port kind: PORT_DEFAULT (the origin has no port),
//    PORT_EXACT (the origin's port equals `port`), PORT_ANY. The six glob fields are 0 in sub
//    entries; a glob entry's `left` is the whole labels before its `*` label, without the dot.
//
//  pool            every key and label, ASCII bytes, deduplicated, unaligned.

export const TABLES_MAGIC = 0x54535243; // 'CRST' read as a little-endian i32
export const TABLES_VERSION = 3;

// Header fields (byte offsets).
export const H_MAGIC = 0;
export const H_VERSION = 4;
export const H_BYTE_LENGTH = 8;
export const H_EXACT_SLOTS = 12;
export const H_EXACT_COUNT = 16;
export const H_ANYPORT_SLOTS = 20;
export const H_ANYPORT_COUNT = 24;
export const H_EDGE_SLOTS = 28;
export const H_EDGE_COUNT = 32;
export const H_NODES = 36;
export const H_NODE_COUNT = 40;
export const H_ENTRIES = 44;
export const H_ENTRY_COUNT = 48;
export const H_POOL = 52;
export const H_POOL_LENGTH = 56;
export const HEADER_SIZE = 64;

// Key slots (exact and any-port tables).
export const KEY_SLOT_SIZE = 16;
export const KS_HASH = 0;
export const KS_KEY = 4;
export const KS_KEY_LENGTH = 8;
export const KS_RULE = 12;

// Edge slots.
export const EDGE_SLOT_SIZE = 20;
export const ES_HASH = 0;
export const ES_PARENT = 4;
export const ES_LABEL = 8;
export const ES_LABEL_LENGTH = 12;
export const ES_CHILD = 16;

// Nodes.
export const NODE_SIZE = 16;
export const N_SUB_FIRST = 0;
export const N_SUB_COUNT = 4;
export const N_GLOB_FIRST = 8;
export const N_GLOB_COUNT = 12;

// Entries.
export const ENTRY_SIZE = 40;
export const E_RULE = 0;
export const E_SCHEME = 4;
export const E_PORT_KIND = 8;
export const E_PORT = 12;
export const E_PREFIX = 16;
export const E_PREFIX_LENGTH = 20;
export const E_SUFFIX = 24;
export const E_SUFFIX_LENGTH = 28;
export const E_LEFT = 32;
export const E_LEFT_LENGTH = 36;

// The hash of every key and label: FNV-1a over 32-bit little-endian words, then the bytes left
// (./hash.ts hashRange); a slot index is murmur3's fmix32 of it, masked (./hash.ts slotOf).
/** FNV-1a offset basis 0x811c9dc5, as a signed 32-bit integer (the tables hold signed words). */
export const FNV_OFFSET = -2128831035;
/** FNV-1a 32-bit prime 0x01000193. */
export const FNV_PRIME = 16777619;
/** Mixes a trie node id into an edge hash: 0x9e3779b1 (2^32 / golden ratio) as a signed int. */
export const EDGE_MIX = -1640531535;
/** murmur3 fmix32 multipliers 0x85ebca6b and 0xc2b2ae35, as signed ints. */
export const FMIX_1 = -2048144789;
export const FMIX_2 = -1028477387;

// Values.
export const EMPTY_SLOT = -1;
export const SCHEME_NONE = 0; // ws, wss, ftp: canonical origins no table entry can match
export const SCHEME_HTTP = 1;
export const SCHEME_HTTPS = 2;
export const PORT_DEFAULT = 0;
export const PORT_EXACT = 1;
export const PORT_ANY = 2;
/** No rule: larger than every rule index, so `min` picks any real rule over it. */
export const NO_RULE = 0x7fffffff;
