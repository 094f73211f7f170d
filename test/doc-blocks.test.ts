// Every code block marked runnable in README.md and docs/*.md runs against the built package, and
// when an ```text output block follows it, prints exactly that. Markers:
//   ```js runnable   an ES module; `corset-cors` imports resolve to this package (dist/), other
//                    bare imports to the dev dependencies
//   ```sh runnable   one `corset ...` command per line, run through bin/corset.js
// Needs `npm run build` (npm test runs it first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const files = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

interface Block {
  file: string;
  line: number;
  lang: 'js' | 'sh';
  code: string;
  output: string | null;
}

/** The runnable blocks of one Markdown text, each with the output block right after it, if any. */
function runnableBlocks(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(js|sh) runnable\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    const code = lines.slice(start, end).join('\n');
    let output: string | null = null;
    let j = end + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    if (lines[j] === '```text output') {
      let k = j + 1;
      while (k < lines.length && lines[k] !== '```') k++;
      output = lines.slice(j + 1, k).join('\n');
    }
    blocks.push({ file, line: i + 1, lang: open[1] as 'js' | 'sh', code, output });
    i = end;
  }
  return blocks;
}

// Inside node_modules, so that a block's other bare imports (prom-client, the OpenTelemetry SDK)
// resolve to this checkout's dev dependencies, as they would in a user's project.
const scratch = mkdtempSync(path.join(root, 'node_modules', '.corset-doc-blocks-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const distIndex = path.join(root, 'dist', 'index.js');

function run(block: Block): string {
  if (block.lang === 'js') {
    // Bare `corset-cors` specifiers point at the built package.
    const source = block.code.replace(/from '(corset-cors)(\/[a-z/]+)?'/g, (_m, _name, sub: string | undefined) => {
      const target = sub === undefined ? distIndex : path.join(root, 'dist', `${sub.slice(1).replace(/\//g, '/')}.js`);
      return `from ${JSON.stringify(target)}`;
    });
    const file = path.join(scratch, `block-${path.basename(block.file)}-${block.line}.mjs`);
    writeFileSync(file, source);
    return execFileSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
  }
  let out = '';
  for (const command of block.code.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))) {
    const argv = command.trim().split(/\s+/);
    if (argv[0] !== 'corset') throw new Error(`${block.file}:${block.line}: a sh runnable block runs corset commands only, got ${JSON.stringify(command)}`);
    out += execFileSync(process.execPath, [path.join(root, 'bin', 'corset.js'), ...argv.slice(1)], { encoding: 'utf8', timeout: 30_000 });
  }
  return out;
}

const all = files.flatMap((f) => runnableBlocks(f, readFileSync(path.join(root, f), 'utf8')));

describe('runnable blocks in README and docs', () => {
  it('there are some (the marker is in use)', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
  });
  it('every getting-started page (one per adapter) shows a runnable block and its output', () => {
    for (const adapter of ['node', 'fastify', 'fetch', 'hono']) {
      const page = `docs/getting-started-${adapter}.md`;
      const shown = all.filter((b) => b.file === page && b.output !== null);
      expect(shown.length, `${page}: runnable blocks with output`).toBeGreaterThan(0);
      expect(
        shown.some((b) => b.code.includes(`'corset-cors/${adapter}'`)),
        `${page} imports corset-cors/${adapter}`,
      ).toBe(true);
    }
  });
  it('the extractor pairs a block with the output block after it', () => {
    const md = '```js runnable\nconsole.log(1)\n```\n\n```text output\n1\n```\n```sh\nnot runnable\n```\n';
    expect(runnableBlocks('x.md', md)).toEqual([{ file: 'x.md', line: 1, lang: 'js', code: 'console.log(1)', output: '1' }]);
  });
  for (const block of all) {
    it(`${block.file}:${block.line} (${block.lang}) runs${block.output === null ? '' : ' and prints what the page shows'}`, () => {
      const got = run(block);
      if (block.output !== null) expect(got.trimEnd(), `${block.file}:${block.line}: output`).toBe(block.output.trimEnd());
    });
  }
});
