// Deterministic policies and inputs for the engine benchmarks: n rules of one shape, and origins
// of each input class (hit, miss, look-alike, adversarial maximum) against them.
import type { OriginRule } from '../src/policy/rules.js';

export type BenchShape = 'exact' | 'wildcard' | 'glob' | 'port';
export const BENCH_SHAPES: readonly BenchShape[] = ['exact', 'wildcard', 'glob', 'port'];
export type InputClass = 'hit' | 'miss' | 'look-alike' | 'max-length';
export const INPUT_CLASSES: readonly InputClass[] = ['hit', 'miss', 'look-alike', 'max-length'];

/** The rule list of `n` rules of `shape`. */
export function benchRules(shape: BenchShape, n: number): OriginRule[] {
  const rules: OriginRule[] = [];
  for (let i = 0; i < n; i++) {
    switch (shape) {
      case 'exact': {
        const host = `app${i}.client${i % 97}.example.com`;
        rules.push({ kind: 'tuple', index: i, source: `https://${host}`, scheme: 'https', host: { kind: 'exact', host }, port: { kind: 'default' } });
        break;
      }
      case 'wildcard': {
        const suffix = `tenant${i}.example.com`;
        rules.push({ kind: 'tuple', index: i, source: `https://*.${suffix}`, scheme: 'https', host: { kind: 'subdomains', suffix }, port: { kind: 'default' } });
        break;
      }
      case 'glob': {
        const right = `svc${i}.example.com`;
        rules.push({
          kind: 'tuple',
          index: i,
          source: `https://pr-*.${right}`,
          scheme: 'https',
          host: { kind: 'glob', left: '', prefix: 'pr-', suffix: '', right },
          port: { kind: 'default' },
        });
        break;
      }
      case 'port': {
        const host = `dev${i}.internal.example`;
        rules.push({ kind: 'tuple', index: i, source: `http://${host}:*`, scheme: 'http', host: { kind: 'exact', host }, port: { kind: 'any' } });
        break;
      }
    }
  }
  return rules;
}

/** A 253-byte host of DNS labels ending in `suffix`. */
function longHost(suffix: string): string {
  let host = suffix;
  while (host.length + 64 <= 253) host = `${'z'.repeat(63)}.${host}`;
  const room = 253 - host.length - 1;
  return room > 0 ? `${'y'.repeat(room)}.${host}` : host;
}

/**
 * Origins of one class for a policy of `n` rules of `shape`, as [prefix, rest] pairs: the
 * benchmark joins them per call, so every lookup sees a freshly built string (whose hash no
 * engine has cached), as a server does with each request's header.
 */
export function benchInputs(shape: BenchShape, n: number, cls: InputClass, count: number): [string, string][] {
  const out: [string, string][] = [];
  for (let k = 0; k < count; k++) {
    const i = (k * 7919) % n;
    switch (shape) {
      case 'exact':
        if (cls === 'hit') out.push(['https://', `app${i}.client${i % 97}.example.com`]);
        else if (cls === 'miss') out.push(['https://', `app${i}.client${i % 97}.example.org`]);
        else if (cls === 'look-alike') out.push(['https://', `app${i}.client${i % 97}.example.com.evil.net`]);
        else out.push(['https://', `${longHost(`client${i % 97}.example.com`)}:65535`]);
        break;
      case 'wildcard':
        if (cls === 'hit') out.push(['https://', `x${k % 100}.tenant${i}.example.com`]);
        else if (cls === 'miss') out.push(['https://', `x${k % 100}.tenant${i}.example.org`]);
        else if (cls === 'look-alike') out.push(['https://', `x.tenant${i}.example.com.evil.net`]);
        else out.push(['https://', `${longHost(`tenant${i}.example.com`)}:65535`]);
        break;
      case 'glob':
        if (cls === 'hit') out.push(['https://', `pr-${k % 1000}.svc${i}.example.com`]);
        else if (cls === 'miss') out.push(['https://', `qa-${k % 1000}.svc${i}.example.com`]);
        else if (cls === 'look-alike') out.push(['https://', `pr-1.x.svc${i}.example.com`]);
        else out.push(['https://', `${longHost(`svc${i}.example.com`)}:65535`]);
        break;
      case 'port':
        if (cls === 'hit') out.push(['http://', `dev${i}.internal.example:${3000 + (k % 1000)}`]);
        else if (cls === 'miss') out.push(['http://', `dev${i}.internal.example.com:${3000 + (k % 1000)}`]);
        else if (cls === 'look-alike') out.push(['https://', `dev${i}.internal.example:3000`]);
        else out.push(['http://', `${longHost(`dev${i}.internal.example`)}:65535`]);
        break;
    }
  }
  return out;
}

/** Whether an input class should be allowed (checked before timing). */
export function expectedAllowed(cls: InputClass): boolean {
  return cls === 'hit';
}
