// `npm ci` refuses a lockfile that lacks an entry for any optional dependency a locked package
// declares, even one for another platform that would never be installed. `npm install` against a
// registry that does not serve those platform packages writes exactly such a lockfile, and a clean
// clone then fails before a test runs. This reads the lockfile as `npm ci` does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface LockedPackage {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockedPackage> };

/** Node's resolution: the nearest node_modules/<name> from the dependent's folder upwards. */
function resolveLocked(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (candidate in lock.packages) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut === -1 ? '' : dir.slice(0, cut);
  }
}

describe('package-lock.json', () => {
  it('is lockfile version 3', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it('has an entry for every optional dependency of every locked package (npm ci needs them all)', () => {
    const missing: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (resolveLocked(where, name) === undefined) missing.push(`${where || '(root)'} -> ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('marks platform packages with the os and cpu that let npm ci skip them elsewhere', () => {
    const unmarked = Object.entries(lock.packages)
      .filter(([where, entry]) => where.startsWith('node_modules/@chdb/') && entry.optional === true)
      .filter(([, entry]) => !entry.os?.length || !entry.cpu?.length)
      .map(([where]) => where);
    expect(unmarked).toEqual([]);
  });
});
