// The API reference (`npm run docs`, TypeDoc from the TSDoc comments): it covers every entry of
// package.json "exports", documents every exported name, and the run fails on an undocumented one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const config = JSON.parse(readFileSync(path.join(root, 'typedoc.json'), 'utf8')) as { entryPoints: string[]; out: string };
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  exports: Record<string, string | { types?: string }>;
};
const typedoc = path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc');
const scratch = mkdtempSync(path.join(tmpdir(), 'corset-api-docs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** TypeDoc with an options file (run in its folder); `args` override it. Its output, colours off. */
function runTypedoc(options: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [typedoc, '--options', options, ...args], {
    cwd: path.dirname(options),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 170_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
}

describe('npm run docs (TypeDoc)', () => {
  it('is the script, and its output is not committed', () => {
    expect(pkg.scripts.docs).toBe('typedoc');
    const ignored = readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain(`${config.out}/`);
  });

  it('documents every entry of package.json "exports"', () => {
    const want = Object.entries(pkg.exports)
      .filter(([subpath]) => subpath !== './package.json')
      .map(([subpath, target]) => {
        const types = typeof target === 'string' ? undefined : target.types;
        expect(types, `exports["${subpath}"].types`).toMatch(/^\.\/dist\/types\/.+\.d\.ts$/);
        return `src/${types!.slice('./dist/types/'.length, -'.d.ts'.length)}.ts`;
      });
    expect([...new Set(want)].sort()).toEqual([...config.entryPoints].sort());
  });

  it('builds the reference with no warning (every exported name documented, every link resolved)', { timeout: 180_000 }, () => {
    const out = path.join(scratch, 'api');
    const r = runTypedoc(path.join(root, 'typedoc.json'), ['--out', out]);
    expect(r.out, 'TypeDoc output').not.toMatch(/\[(warning|error)\]/);
    expect(r.status, r.out).toBe(0);
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    for (const name of ['corset-cors', 'corset-cors_node', 'corset-cors_fastify', 'corset-cors_fetch', 'corset-cors_hono']) {
      expect(existsSync(path.join(out, 'modules', `${name}.html`)), `modules/${name}.html`).toBe(true);
    }
  });

  it('fails on an undocumented export (the options make it an error)', { timeout: 180_000 }, () => {
    // The project's own options, pointed at a one-file fixture with one undocumented export.
    const dir = mkdtempSync(path.join(scratch, 'fixture-'));
    writeFileSync(path.join(dir, 'undocumented.ts'), '/** Documented. */\nexport const documented = 1;\nexport function undocumentedExport(): number {\n  return 2;\n}\n');
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: true }, files: ['undocumented.ts'] }),
    );
    const { intentionallyNotDocumented: _d, intentionallyNotExported: _e, out: _o, ...options } = config as Record<string, unknown>;
    writeFileSync(path.join(dir, 'typedoc.json'), JSON.stringify({ ...options, name: 'fixture', entryPoints: ['undocumented.ts'], tsconfig: 'tsconfig.json' }));
    const r = runTypedoc(path.join(dir, 'typedoc.json'), ['--emit', 'none']);
    expect(r.out).toContain('undocumentedExport');
    expect(r.out).toContain('does not have any documentation');
    expect(r.out).not.toMatch(/\bdocumented \(Variable\)/);
    expect(r.status).not.toBe(0);
  });
});
