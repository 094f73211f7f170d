// The README is a front page and tells the truth: short, every docs page it maps exists (the
// links test follows them all), every command and import it shows exists, and neither it nor the
// docs speak of how the project is run (issue numbers, internal files, process words).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string): string => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
const readme = read('README.md');
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; exports: Record<string, unknown> };
const userPages = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', ...readdirSync(new URL('../docs', import.meta.url)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Words about the project's own process, never about the library: a reader has none of these. */
const PROCESS_WORDS: readonly [RegExp, string][] = [
  [/\bissues? #?\d+/i, 'an issue number'],
  [/(^|[\s(])#\d{1,4}\b/, 'an issue or pull request number'],
  [/\bDESIGN\.md\b|\bSTYLE\.md\b|\bshared\//, 'an internal file'],
  [/\b(the lead|worktree|sprint|milestone)\b/i, 'a process word'],
  [/\b(last|was) re-?run\b|\bin the project's history\b|\bthis project grew\b/i, "the project's history"],
];

describe('README', () => {
  it('stays a front page: at most 250 lines, with a map of more than a dozen docs pages', () => {
    expect(readme.split('\n').length, 'README.md lines').toBeLessThanOrEqual(250);
    const mapped = new Set([...readme.matchAll(/\]\((docs\/[a-z0-9-]+\.md)\)/g)].map((m) => m[1]!));
    expect(mapped.size).toBeGreaterThan(12);
  });

  it('names the test command and the demo command that package.json defines', () => {
    expect(pkg.scripts.demo).toBeDefined();
    expect(readme).toContain('npm run demo');
    expect(readme).toContain('npm test');
  });

  it('installs the package by its registry name', () => {
    expect(readme).toContain('npm install corset-cors');
    expect(readme).not.toMatch(/npm install corset(\s|$)/m);
  });
});

describe('README, CONTRIBUTING, SECURITY and docs/', () => {
  for (const page of userPages) {
    const text = read(page);
    it(`${page}: every \`npm run X\` is a script of package.json`, () => {
      const named = [...text.matchAll(/\bnpm run (?:-s )?([a-z][a-z:-]*)/g)].map((m) => m[1]!);
      expect(named.filter((s) => !(s in pkg.scripts))).toEqual([]);
    });
    it(`${page}: imports and installs the package by its registry name, corset-cors`, () => {
      expect(text).not.toMatch(/(from|import|require\()\s*\(?'corset(\/[^']*)?'/);
      expect(text).not.toMatch(/npm (install|i) corset(\s|$)/m);
    });
    it(`${page}: every corset-cors import names an entry of package.json "exports"`, () => {
      const imported = [...text.matchAll(/from '(corset-cors(?:\/[a-z/]+)?)'/g)].map((m) => m[1]!.replace(/^corset-cors/, '.'));
      expect(imported.filter((sub) => !(sub in pkg.exports))).toEqual([]);
    });
    it(`${page}: speaks of the library, not of how the project is run`, () => {
      const found = PROCESS_WORDS.flatMap(([re, what]) => {
        const m = re.exec(text);
        return m === null ? [] : [`${what}: ${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 30))}`];
      });
      expect(found).toEqual([]);
    });
  }
});
