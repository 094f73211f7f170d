// The package as a user installs it: `npm pack`, the tarball unpacked into a scratch consumer's
// node_modules (offline: its two dependencies are linked from this checkout), then every exports
// path imported under ESM and require(), type-checked strictly under nodenext and bundler, and
// corset-cors/browser/precheck bundled for a browser with esbuild. Needs `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; dependencies: Record<string, string> };
const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
const specifiers = subpaths.map((k) => (k === '.' ? 'corset-cors' : `corset-cors/${k.slice(2)}`));
const consumer = mkdtempSync(path.join(tmpdir(), 'corset-consumer-'));
let files: string[] = [];
let tarball = '';

beforeAll(() => {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', consumer], { cwd: root, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((f) => f.path);
  tarball = path.join(consumer, packed[0]!.filename);
  const dest = path.join(consumer, 'node_modules', 'corset-cors');
  mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(consumer, packed[0]!.filename), '-C', dest, '--strip-components=1']);
  // The peers a Fastify, Hono or OpenTelemetry user has, and Node's types (the node adapter's types name node:http).
  for (const dep of [...Object.keys(pkg.dependencies), 'typescript', 'fastify', 'hono', '@opentelemetry/api', '@types/node']) {
    const from = path.join(root, 'node_modules', dep);
    const to = path.join(consumer, 'node_modules', dep);
    mkdirSync(path.dirname(to), { recursive: true });
    symlinkSync(from, to, 'dir');
  }
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
}, 120_000);

describe('the packed package', () => {
  it('holds dist, bin, README, LICENSE and CHANGELOG, and no tests, sources, benches or embedded sources', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'bin/corset.js', 'dist/index.js']));
    const unwanted = files.filter((f) => /^(test|src|bench|scripts|assembly|examples|docs)\//.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)));
    expect(unwanted, 'files that should not ship').toEqual([]);
    const maps = files.filter((f) => f.endsWith('.map'));
    for (const m of maps.slice(0, 5)) {
      const map = JSON.parse(readFileSync(path.join(consumer, 'node_modules', 'corset-cors', m), 'utf8')) as { sourcesContent?: unknown };
      expect(map.sourcesContent, `${m}: no embedded sources`).toBeUndefined();
    }
  });

  it('every exports path imports under ESM and require()', () => {
    const esm = specifiers.map((s, i) => `import * as m${i} from ${JSON.stringify(s)}; if (Object.keys(m${i}).length === 0) throw new Error(${JSON.stringify(s)});`).join('\n');
    writeFileSync(path.join(consumer, 'esm.mjs'), `${esm}\nconsole.log('esm ok');\n`);
    expect(execFileSync(process.execPath, ['esm.mjs'], { cwd: consumer, encoding: 'utf8' })).toBe('esm ok\n');
    const cjs = specifiers.map((s) => `if (Object.keys(require(${JSON.stringify(s)})).length === 0) throw new Error(${JSON.stringify(s)});`).join('\n');
    writeFileSync(path.join(consumer, 'cjs.cjs'), `${cjs}\nconsole.log('require ok');\n`);
    const out = execFileSync(process.execPath, ['cjs.cjs'], { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('require ok\n');
  });

  for (const [moduleKind, resolution] of [
    ['nodenext', 'nodenext'],
    ['esnext', 'bundler'],
  ] as const) {
    it(`type-checks strictly under module ${moduleKind}, moduleResolution ${resolution}`, () => {
      const dir = path.join(consumer, `ts-${resolution}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'use.ts'),
        `${specifiers.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};`).join('\n')}\nimport { compilePolicy, type CorsDecision } from 'corset-cors';\nconst d: CorsDecision = compilePolicy({ origins: ['https://a.example'] }).decide({ method: 'GET', origin: 'https://a.example' });\nexport const all = [${specifiers.map((_, i) => `m${i}`).join(', ')}, d];\n`,
      );
      writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, module: moduleKind, moduleResolution: resolution, target: 'es2022', lib: ['es2022', 'dom'], types: ['node'], skipLibCheck: false },
          files: ['use.ts'],
        }),
      );
      execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: consumer, encoding: 'utf8' });
    }, 120_000);
  }

  it('publint finds nothing to fix', () => {
    const out = execFileSync(process.execPath, [path.join(root, 'node_modules', 'publint', 'src', 'cli.js'), root], { encoding: 'utf8' });
    expect(out).toMatch(/All good!/);
  }, 120_000);

  it('@arethetypeswrong/cli: every entry point resolves with types (an ESM-only package: node10 and CJS-from-ESM are not targets)', () => {
    // Throws (exit 1) on any problem in the profile; the report is read too, so that a problem
    // the profile would let pass under ESM or a bundler cannot.
    const out = execFileSync(process.execPath, [path.join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js'), tarball, '--profile', 'esm-only', '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const report = JSON.parse(out) as {
      problems: Record<string, { kind: string; entrypoint: string; resolutionKind: string }[]>;
      analysis: { entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }> };
    };
    const problems = Object.values(report.problems)
      .flat()
      .filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs');
    expect(problems, 'problems under node16 ESM and bundler').toEqual([]);
    const entries = Object.entries(report.analysis.entrypoints).filter(([entry]) => entry !== './package.json');
    expect(entries.map(([entry]) => entry).sort()).toEqual([...subpaths].sort());
    for (const [entry, { resolutions }] of entries) {
      for (const kind of ['node16-esm', 'bundler']) expect(resolutions[kind]?.resolution?.fileName, `${entry} under ${kind}`).toMatch(/\.d\.ts$/);
    }
  }, 120_000);

  it('the installed bin runs: corset --version, and check through the installed package', () => {
    const installed = path.join(consumer, 'node_modules', 'corset-cors');
    const bin = path.join(installed, JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')).bin.corset as string);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n'), 'a shebang').toBe(true);
    expect(statSync(bin).mode & 0o111, 'executable').not.toBe(0);
    expect(execFileSync(process.execPath, [bin, '--version'], { cwd: consumer, encoding: 'utf8' })).toBe(`corset ${JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version}\n`);
    expect(execFileSync(process.execPath, [bin, 'check', 'https://test.b-cdn.net'], { cwd: consumer, encoding: 'utf8' })).toMatch(/verdict: allowed/);
  });

  it('corset-cors/browser/precheck bundles for a browser with esbuild', async () => {
    writeFileSync(
      path.join(consumer, 'page.js'),
      "import { planFetch } from 'corset-cors/browser/precheck';\nglobalThis.plan = planFetch('https://a.example', { url: 'https://b.example/x', method: 'PUT' });\n",
    );
    const result = await build({ entryPoints: [path.join(consumer, 'page.js')], bundle: true, platform: 'browser', format: 'esm', write: false, absWorkingDir: consumer, logLevel: 'silent' });
    const code = result.outputFiles[0]!.text;
    expect(code).toContain('planFetch');
    expect(code, 'no Node built-ins in the browser bundle').not.toMatch(/from\s*"node:/);
  });
});
