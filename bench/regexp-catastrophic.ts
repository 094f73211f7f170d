// Times decide() on the catastrophic RegExp of the security page (docs/security.md): the origin
// `https://` + n × `a` + `.example.co` against /^https:\/\/([a-z0-9]+)+\.example\.com$/.
// Run: node scripts/run-ts.mjs bench/regexp-catastrophic.ts [maxLength]
// Each length runs in a child process with a 30 s timeout, so an exponential engine cannot hang it.
import { execFileSync } from 'node:child_process';
import { compilePolicy } from '../src/compile/compile-policy.js';

const rule = /^https:\/\/([a-z0-9]+)+\.example\.com$/;
if (process.argv[2] === 'child') {
  const n = Number(process.argv[3]);
  const origin = `https://${'a'.repeat(n)}.example.co`;
  let policy;
  try {
    policy = compilePolicy({ origins: ['https://app.example.com', rule] });
  } catch (e) {
    console.log(`${origin.length} bytes: refused at compile time (${(e as Error).message.split('\n')[0]})`);
    process.exit(0);
  }
  const t0 = performance.now();
  const d = policy.decide({ method: 'GET', origin, url: 'https://api.example.com/' });
  console.log(`${origin.length} bytes: ${(performance.now() - t0).toFixed(1)} ms (${d.kind ?? ''})`);
} else {
  for (const bytes of [43, 47, 49, 51]) {
    const n = bytes - 'https://.example.co'.length;
    try {
      process.stdout.write(
        execFileSync(process.execPath, ['scripts/run-ts.mjs', 'bench/regexp-catastrophic.ts', 'child', String(n)], { timeout: 30_000, encoding: 'utf8' }),
      );
    } catch {
      console.log(`${bytes} bytes: over 30 s (killed)`);
    }
  }
}
