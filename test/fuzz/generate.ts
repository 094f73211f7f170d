// Seeded generators for the differential fuzz: random policies (rule lists) of a given shape and
// size, and origins drawn from an adversarial alphabet around them: look-alike prefixes and
// suffixes, label boundaries, empty labels, trailing dots, upper case, default and odd ports,
// punycode, non-ASCII, NUL, `*`, `_`, very long values. Same seed, same output.
import type { HostSpec, OriginRule, PatternScheme, PortSpec } from '../../src/policy/rules.js';
import { linearRegExpRule } from '../../src/policy/linear-regexp.js';

/** mulberry32: a small, fast, seedable PRNG (floats in [0, 1)). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, list: readonly T[]): T => list[int(rng, list.length)] as T;
const chance = (rng: Rng, p: number): boolean => rng() < p;

export type PolicyShape = 'exact' | 'wildcard' | 'glob' | 'port' | 'mixed';
export const POLICY_SHAPES: readonly PolicyShape[] = ['exact', 'wildcard', 'glob', 'port', 'mixed'];

const WORDS = ['example', 'api', 'app', 'cdn', 'evil', 'test', 'dev', 'pr', 'eu', 'b-cdn', 'bunny', 'weather', 'x', 'a', 'b', 'co', 'com', 'net', 'org', 'uk', 'io', 'localhost'];
const TLDS = ['com', 'org', 'net', 'co.uk', 'io', 'example', 'test', 'localhost', 'com.'];
const PUNY = ['xn--bcher-kva', 'xn--nxasmq6b', 'xn--80ak6aa92e'];

/** A DNS label from the word list, numbered or not; sometimes punycode, sometimes 63 bytes. */
function label(rng: Rng): string {
  const r = rng();
  if (r < 0.05) return pick(rng, PUNY);
  if (r < 0.07) return 'l'.repeat(63);
  const word = pick(rng, WORDS);
  return chance(rng, 0.4) ? `${word}${int(rng, 100)}` : word;
}

/** A registrable-looking domain: one or two labels and a TLD. */
function domain(rng: Rng): string {
  const parts = [label(rng)];
  if (chance(rng, 0.3)) parts.unshift(label(rng));
  return `${parts.join('.')}.${pick(rng, TLDS)}`;
}

function scheme(rng: Rng): PatternScheme {
  return chance(rng, 0.75) ? 'https' : 'http';
}

function port(rng: Rng, shape: PolicyShape): PortSpec {
  const pPort = shape === 'port' ? 0.9 : shape === 'mixed' ? 0.2 : 0.05;
  if (!chance(rng, pPort)) return { kind: 'default' };
  return chance(rng, 0.5) ? { kind: 'any' } : { kind: 'exact', port: pick(rng, [3000, 8080, 8443, 1, 65535, 5173]) };
}

function portSource(p: PortSpec): string {
  return p.kind === 'default' ? '' : p.kind === 'any' ? ':*' : `:${p.port}`;
}

function hostSource(h: HostSpec): string {
  if (h.kind === 'exact') return h.host;
  if (h.kind === 'subdomains') return `*.${h.suffix}`;
  return [h.left, `${h.prefix}*${h.suffix}`, h.right].filter((p) => p !== '').join('.');
}

function globHost(rng: Rng): HostSpec {
  const prefix = pick(rng, ['', 'pr-', 'app-', 'a', 'xn--', 'dev']);
  const suffix = prefix === '' || chance(rng, 0.3) ? pick(rng, ['-dev', '-eu', '1', 'x']) : '';
  const right = chance(rng, 0.05) ? '' : domain(rng);
  const left = chance(rng, 0.2) ? pick(rng, ['api', 'a.b', 'www']) : '';
  return { kind: 'glob', left, prefix, suffix, right };
}

function host(rng: Rng, shape: PolicyShape): HostSpec {
  const kind =
    shape === 'exact' || shape === 'port'
      ? chance(rng, 0.9) ? 'exact' : pick(rng, ['subdomains', 'glob'] as const)
      : shape === 'wildcard'
        ? chance(rng, 0.85) ? 'subdomains' : 'exact'
        : shape === 'glob'
          ? chance(rng, 0.85) ? 'glob' : 'subdomains'
          : pick(rng, ['exact', 'subdomains', 'glob'] as const);
  if (kind === 'subdomains') return { kind, suffix: domain(rng) };
  if (kind === 'glob') return globHost(rng);
  const r = rng();
  if (r < 0.03) return { kind: 'exact', host: pick(rng, ['127.0.0.1', '[::1]', '10.0.0.1', '[2001:db8::1]']) };
  return { kind: 'exact', host: domain(rng) };
}

const REGEXPS = [/^https:\/\/[a-z0-9-]+\.example\.com$/, /example\.com$/, /^http:\/\/localhost:\d+$/, /^https:\/\/.*\.test$/, /evil/];

/** A random policy of `size` rules of one shape (RegExp and null rules sprinkled into 'mixed'). */
export function generatePolicy(rng: Rng, shape: PolicyShape, size: number): OriginRule[] {
  const rules: OriginRule[] = [];
  for (let index = 0; index < size; index++) {
    if (shape === 'mixed' && chance(rng, 0.02)) {
      rules.push({ kind: 'null', index, source: 'null' });
      continue;
    }
    if (shape === 'mixed' && chance(rng, 0.03)) {
      const regexp = pick(rng, REGEXPS);
      rules.push(linearRegExpRule(index, String(regexp), regexp));
      continue;
    }
    const s = scheme(rng);
    const h = host(rng, shape);
    const p = port(rng, shape);
    rules.push({ kind: 'tuple', index, source: `${s}://${hostSource(h)}${portSource(p)}`, scheme: s, host: h, port: p });
  }
  return rules;
}

/** Characters that make look-alikes and break canonical form. */
const ODD = ['_', '*', '$', '~', '!', 'A', 'Z', '\u0000', '\t', ' ', 'é', 'ü', '\ud800', '%', '/', '@', '.', '-', ':', '[', 'ß', 'İ'];

function randomChars(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += chance(rng, 0.8) ? String.fromCharCode(0x61 + int(rng, 26)) : pick(rng, ODD);
  return s;
}

/** Replace the glob's `*` with 0..n label characters (0 is the boundary). */
function fillStar(rng: Rng): string {
  const n = pick(rng, [0, 1, 1, 2, 5, 60, 61]);
  let s = '';
  for (let i = 0; i < n; i++) s += pick(rng, ['a', 'z', '0', '9', '-', 'b']);
  return chance(rng, 0.1) ? s + pick(rng, ODD) : s;
}

/** A host near a rule's host: what it should match, and the look-alikes around it. */
function hostNear(rng: Rng, rule: Extract<OriginRule, { kind: 'tuple' }>): string {
  const h = rule.host;
  let base: string;
  if (h.kind === 'exact') base = h.host;
  else if (h.kind === 'subdomains') {
    const n = pick(rng, [0, 1, 1, 1, 2, 3]);
    const labels: string[] = [];
    for (let i = 0; i < n; i++) labels.push(chance(rng, 0.9) ? label(rng) : pick(rng, ['', '_a', 'a_b', '*', 'A', 'l'.repeat(64), '-', 'xn--a']));
    base = n === 0 ? h.suffix : `${labels.join('.')}.${h.suffix}`;
  } else {
    const middle = `${h.prefix}${fillStar(rng)}${h.suffix}`;
    base = [h.left, middle, h.right].filter((p) => p !== '').join('.');
    if (chance(rng, 0.1)) base = `${label(rng)}.${base}`;
  }
  switch (int(rng, 12)) {
    case 0:
      return `${base}.evil.net`; // look-alike suffix
    case 1:
      return `evil${base}`; // look-alike prefix
    case 2:
      return `${base}.`; // trailing dot
    case 3:
      return base.toUpperCase();
    case 4:
      return `${label(rng)}.${base}`;
    case 5: {
      const at = int(rng, base.length + 1);
      return base.slice(0, at) + pick(rng, ODD) + base.slice(at);
    }
    case 6:
      return base.replace(/\.[^.]*$/, '');
    default:
      return base;
  }
}

function originPort(rng: Rng, rule: OriginRule | null): string {
  if (rule !== null && rule.kind === 'tuple' && rule.port.kind === 'exact' && chance(rng, 0.6)) return `:${rule.port.port}`;
  const r = rng();
  if (r < 0.6) return '';
  return pick(rng, [':443', ':80', ':8443', ':3000', ':0', ':65535', ':65536', ':08443', ':', ':1', ':5173', ':8080', ':-1', ':8O']);
}

function originScheme(rng: Rng, rule: OriginRule | null): string {
  if (rule !== null && rule.kind === 'tuple' && chance(rng, 0.8)) return rule.scheme;
  return pick(rng, ['https', 'http', 'wss', 'ws', 'ftp', 'HTTPS', 'Http', 'file', 'httpx', '']);
}

/** One origin (a header value) near the policy's rules, or from the wider adversarial alphabet. */
export function generateOrigin(rng: Rng, rules: readonly OriginRule[]): string {
  const r = rng();
  if (r < 0.01) return 'null';
  if (r < 0.015) return pick(rng, ['', 'NULL', ' null', 'null ', 'https://', 'https:///', '*']);
  if (r < 0.02) return `https://${'a.'.repeat(int(rng, 200) + 100)}example.com`; // past the length cap
  if (r < 0.03) return `https://${randomChars(rng, int(rng, 300))}`;
  const rule = rules.length > 0 && r < 0.85 ? (rules[int(rng, rules.length)] as OriginRule) : null;
  let h: string;
  if (rule !== null && rule.kind === 'tuple') h = hostNear(rng, rule);
  else h = chance(rng, 0.5) ? domain(rng) : `${label(rng)}.${domain(rng)}`;
  let origin = `${originScheme(rng, rule)}://${h}${originPort(rng, rule)}`;
  if (chance(rng, 0.02)) origin += pick(rng, ['/', '?', '#', ' ', '\u0000', '/path']);
  return origin;
}
