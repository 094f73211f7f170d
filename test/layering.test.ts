// The layering of src/ (src/README.md) holds: every relative import of every module points into
// its own folder or into a folder of a lower layer. The table is read from src/README.md, so the
// map a reader sees and the rule this test enforces are one text.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'src');

/** `folder/` or `file.ts` (a top-level module) -> its layer, from the README's table rows. */
function readLayers(markdown: string): Map<string, number> {
  const layers = new Map<string, number>();
  for (const line of markdown.split('\n')) {
    const row = /^\| (\d+) \| ([^|]+) \|/.exec(line);
    if (row === null) continue;
    for (const name of row[2]!.matchAll(/`([^`]+)`/g)) layers.set(name[1]!, Number(row[1]));
  }
  return layers;
}

/** The unit a module belongs to: its top-level folder (`policy/`) or, at the top, its file name. */
function unitOf(relative: string): string {
  const slash = relative.indexOf('/');
  return slash === -1 ? relative : relative.slice(0, slash + 1);
}

function modules(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...modules(path.join(dir, entry.name), `${prefix}${entry.name}/`));
    else if (entry.name.endsWith('.ts')) out.push(`${prefix}${entry.name}`);
  }
  return out;
}

/** Relative specifiers of static imports, re-exports, `import type` and dynamic `import('…')`. */
function relativeImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)'(\.{1,2}\/[^']+)'/g)) found.push(m[1]!);
  return found;
}

const layers = readLayers(readFileSync(path.join(src, 'README.md'), 'utf8'));

describe('src/ layering', () => {
  it('the README table is read (a guard on the parser)', () => {
    expect(layers.get('origin/')).toBe(2);
    expect(layers.get('compile/')).toBe(6);
    expect(layers.get('types.ts')).toBe(0);
    expect(relativeImports("import type { A } from '../a.js';\nexport * from './b.js';\nawait import('../c/d.js');")).toEqual(['../a.js', './b.js', '../c/d.js']);
  });

  const all = modules(src);

  it('every module of src/ belongs to a layer', () => {
    const unplaced = [...new Set(all.map(unitOf))].filter((u) => !layers.has(u));
    expect(unplaced, 'folders or top-level files missing from src/README.md').toEqual([]);
  });

  it('no import points up, or sideways into another folder of the same layer', () => {
    const violations: string[] = [];
    for (const file of all) {
      const from = unitOf(file);
      const fromLayer = layers.get(from);
      if (fromLayer === undefined) continue;
      for (const spec of relativeImports(readFileSync(path.join(src, file), 'utf8'))) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
        const to = unitOf(target);
        if (to === from) continue;
        const toLayer = layers.get(to);
        if (toLayer === undefined || toLayer >= fromLayer) violations.push(`src/${file} (layer ${fromLayer}) imports src/${target} (layer ${toLayer ?? '?'})`);
      }
    }
    expect(violations).toEqual([]);
  });
});
