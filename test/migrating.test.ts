// docs/migrating.md is written from each library's real option list: the options are read here
// from the installed packages' own types (or, for @koa/cors, its documented option list in the
// source), and each must have a row in that library's table. A new option upstream fails this.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const doc = readFileSync(new URL('../docs/migrating.md', import.meta.url), 'utf8');

/** A file of an installed dev dependency (read from disk: "exports" may hide it from require). */
function packageFile(name: string, file: string): string {
  return readFileSync(path.join(root, 'node_modules', name, file), 'utf8');
}

/** The property names of the object type that follows `opener` (comments stripped, braces matched). */
function typeMembers(source: string, opener: RegExp): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const m = opener.exec(text);
  if (m === null) throw new Error(`no ${opener} in the types`);
  let depth = 0;
  let i = m.index + m[0].length - 1; // at the opening brace
  const start = i;
  for (; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) break;
  }
  const body = text.slice(start + 1, i);
  // Members at the top level of the body only.
  const names: string[] = [];
  let level = 0;
  for (const line of body.split('\n')) {
    const member = level === 0 ? /^\s*([A-Za-z_$][\w$]*)\??\s*:/.exec(line) : null;
    if (member) names.push(member[1]!);
    for (const ch of line) level += ch === '{' || ch === '(' ? 1 : ch === '}' || ch === ')' ? -1 : 0;
  }
  return names;
}

/** The table rows (first cells) of the section headed `heading`. */
function firstCells(heading: string): string[] {
  const at = doc.indexOf(`\n## ${heading}\n`);
  expect(at, `section "## ${heading}"`).toBeGreaterThan(-1);
  const next = doc.indexOf('\n## ', at + 1);
  const section = doc.slice(at, next === -1 ? undefined : next);
  return [...section.matchAll(/^\| (.+?) \|/gm)].map((m) => m[1]!);
}

const libraries: { heading: string; options: () => string[]; atLeast: number }[] = [
  { heading: 'expressjs/cors (`cors`)', options: () => typeMembers(packageFile('@types/cors', 'index.d.ts'), /interface CorsOptions\s*\{/), atLeast: 8 },
  { heading: '@fastify/cors', options: () => typeMembers(packageFile('@fastify/cors', 'types/index.d.ts'), /interface FastifyCorsOptions\s*\{/), atLeast: 15 },
  {
    heading: "hono's cors (`hono/cors`)",
    options: () => typeMembers(packageFile('hono', 'dist/types/middleware/cors/index.d.ts'), /type CORSOptions\s*=\s*\{/),
    atLeast: 6,
  },
  {
    heading: '@koa/cors',
    // The JSDoc of the exported function lists every option as ` *  - {Type} name ...`.
    options: () => [...packageFile('@koa/cors', 'index.js').matchAll(/^ \* {2}- \{[^}]+\} (\w+)/gm)].map((m) => m[1]!),
    atLeast: 9,
  },
];

describe('docs/migrating.md', () => {
  for (const lib of libraries) {
    it(`${lib.heading}: a row for every option the installed package defines`, () => {
      const options = lib.options();
      expect(options.length, `options read from ${lib.heading}`).toBeGreaterThanOrEqual(lib.atLeast);
      const cells = firstCells(lib.heading);
      const missing = options.filter((name) => !cells.some((cell) => cell.includes(`\`${name}\``) || cell.includes(`\`${name}:`) || cell.includes(`\`${name} `)));
      expect(missing).toEqual([]);
    });
  }
  it('reads option lists it can trust (the reader finds known names)', () => {
    expect(libraries[0]!.options()).toEqual(expect.arrayContaining(['origin', 'preflightContinue', 'optionsSuccessStatus']));
    expect(libraries[1]!.options()).toEqual(expect.arrayContaining(['delegator', 'strictPreflight', 'hideOptionsRoute', 'logLevel']));
    expect(libraries[2]!.options()).toEqual(expect.arrayContaining(['origin', 'allowMethods', 'exposeHeaders']));
    expect(libraries[3]!.options()).toEqual(expect.arrayContaining(['keepHeadersOnError', 'secureContext', 'privateNetworkAccess']));
  });
});
