// One benchmark of bench:guard in a child process (its own heap and its own JIT state): a script
// under bench/, run through scripts/run-ts.mjs with its arguments and Node flags, that prints JSON
// on stdout. On failure, prints a FAIL line naming the benchmark and returns null.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export function runBenchChild<T>(root: string, what: string, script: string, args: readonly string[], nodeFlags: readonly string[] = []): T | null {
  const child = spawnSync(
    process.execPath,
    [...nodeFlags, path.join(root, 'scripts', 'run-ts.mjs'), path.join(root, 'bench', script), ...args],
    { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 },
  );
  if (child.status !== 0) {
    process.stdout.write(`FAIL ${what} did not run (exit ${child.status}):\n${child.stderr}\n`);
    return null;
  }
  return JSON.parse(child.stdout) as T;
}
