// The docs are one tree rooted at the README: every page under docs/ is reachable from README.md by
// following relative links (transitively), and every relative link in the README, docs/ and the
// repository's other Markdown resolves: the file exists, and a `#fragment` names a heading of the
// target as a forge renders it (GitHub's slugs).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const docsPages = readdirSync(path.join(root, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/${f}`);
const pages = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', ...docsPages].filter((f) => existsSync(path.join(root, f)));

/** The Markdown outside fenced code blocks and inline code spans (links there are examples, not links). */
function prose(md: string): string {
  return md.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Every link target of a page: inline `[text](target)` and reference `[id]: target`. */
function linkTargets(md: string): string[] {
  const text = prose(md);
  const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const reference = [...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]!);
  return [...inline, ...reference];
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to `-`, repeats numbered. */
function headingSlugs(md: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of md.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    slugs.add(n === 0 ? base : `${base}-${n}`);
  }
  return slugs;
}

const isRelative = (target: string): boolean => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//');

interface Link {
  from: string;
  target: string;
  file: string;
  fragment: string | null;
}

function linksOf(page: string): Link[] {
  const md = readFileSync(path.join(root, page), 'utf8');
  return linkTargets(md)
    .filter(isRelative)
    .map((target) => {
      const [file, fragment] = target.split('#') as [string, string | undefined];
      const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), decodeURI(file)));
      return { from: page, target, file: resolved, fragment: fragment ?? null };
    });
}

describe('links in README, docs/ and the other Markdown', () => {
  it('the extractor skips code and finds inline and reference links; the slugger matches GitHub', () => {
    expect(linkTargets('[a](docs/a.md) `[b](x.md)`\n```\n[c](y.md)\n```\n[d]: docs/d.md#x\n[e](https://x.example)')).toEqual(['docs/a.md', 'https://x.example', 'docs/d.md#x']);
    expect([...headingSlugs("## `allowHeaders: ['*', 'authorization']`\n## Fastify: per-route policy\n## A\n## A\n")]).toEqual([
      'allowheaders--authorization',
      'fastify-per-route-policy',
      'a',
      'a-1',
    ]);
  });

  for (const page of pages) {
    it(`${page}: every relative link resolves`, () => {
      const broken: string[] = [];
      for (const link of linksOf(page)) {
        const full = path.join(root, link.file);
        if (!existsSync(full)) {
          broken.push(`${link.target} (no file ${link.file})`);
          continue;
        }
        if (link.fragment !== null && link.file.endsWith('.md') && statSync(full).isFile()) {
          const slugs = headingSlugs(readFileSync(full, 'utf8'));
          if (!slugs.has(link.fragment.toLowerCase())) broken.push(`${link.target} (no heading #${link.fragment} in ${link.file})`);
        }
      }
      expect(broken, `${page}: broken links`).toEqual([]);
    });
  }

  it('every docs page is reachable from README.md', () => {
    const reached = new Set<string>(['README.md']);
    const queue = ['README.md'];
    while (queue.length > 0) {
      const page = queue.shift()!;
      for (const link of linksOf(page)) {
        if (!link.file.endsWith('.md') || reached.has(link.file) || !existsSync(path.join(root, link.file))) continue;
        reached.add(link.file);
        queue.push(link.file);
      }
    }
    expect(docsPages.filter((p) => !reached.has(p))).toEqual([]);
  });
});
