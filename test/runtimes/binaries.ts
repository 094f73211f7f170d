// Where the Deno, Bun and workerd binaries of the `deno`, `bun` and `workerd` dev dependencies are, found without their
// install scripts (npm 11 runs none): each ships its binary in a per-platform optional dependency
// (`@deno/linux-x64-glibc`, `@oven/bun-linux-x64`, `@cloudflare/workerd-linux-64`, ...), and `bun` also places it at bun/bin/bun.exe.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const modules = path.resolve(import.meta.dirname, '../../node_modules');

function runs(file: string): boolean {
  if (!existsSync(file)) return false;
  const r = spawnSync(file, ['--version'], { timeout: 20_000, encoding: 'utf8' });
  return r.status === 0;
}

function candidates(scope: string, prefix: string, rel: string[]): string[] {
  const dir = path.join(modules, scope);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => d.startsWith(prefix)).flatMap((d) => rel.map((r) => path.join(dir, d, r)));
}

export interface Runtime { name: 'deno' | 'bun' | 'workerd'; bin: string | null; args: string[]; install: string }

export function findRuntime(name: 'deno' | 'bun' | 'workerd'): Runtime {
  if (name === 'workerd') {
    const arch = process.arch === 'x64' ? '64' : process.arch;
    const files = candidates('@cloudflare', `workerd-${process.platform}-${arch}`, ['bin/workerd', 'bin/workerd.exe']);
    return { name, bin: files.find(runs) ?? null, args: [], install: 'npm install (the `workerd` dev dependency brings @cloudflare/workerd-<platform>)' };
  }
  if (name === 'deno') {
    const files = candidates('@deno', `${process.platform}-${process.arch}`, ['deno', 'deno.exe']);
    return { name, bin: files.find(runs) ?? null, args: ['run', '--allow-net', '--allow-read', '--allow-env'], install: 'npm install (the `deno` dev dependency brings @deno/<platform>)' };
  }
  const files = [
    path.join(modules, 'bun/bin/bun.exe'),
    ...candidates('@oven', `bun-${process.platform}-${process.arch === 'x64' ? 'x64' : 'aarch64'}`, ['bin/bun', 'bin/bun.exe']),
  ];
  return { name, bin: files.find(runs) ?? null, args: ['run'], install: 'npm install (the `bun` dev dependency brings @oven/bun-<platform>)' };
}
