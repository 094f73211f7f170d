// Differential: toSql's postgres output, run by a PostgreSQL server this test starts (initdb into
// a temp dir, a unix socket only, stopped by its pid), gives exactly corset's answers.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { toSql } from '../src/sql/to-sql.js';
import { agrees, EXTRA_POLICIES, extraOriginArb } from './helpers/sql-corpus.js';

function findBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  for (const v of readdirSync(root).sort().reverse()) if (existsSync(join(root, v, 'bin', 'postgres'))) return join(root, v, 'bin');
  return null;
}
const bin = findBin();
if (bin === null) {
  const msg = 'sql-postgres.test: PostgreSQL not found under /usr/lib/postgresql (apt-get install postgresql); skipping';
  console.warn(msg);
  if (process.env.CI === 'true') throw new Error(msg);
}
const asRoot = process.getuid?.() === 0;
/** Run a PostgreSQL binary, as the `postgres` user when we are root (postgres refuses root); setpriv execs, so the pid is postgres's own. */
function cmd(name: string, args: string[]): [string, string[]] {
  return asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', join(bin!, name), ...args]] : [join(bin!, name), args];
}

const POLICIES = [
  { origins: ['https://app.example.com', 'http://localhost:3000', 'https://[::1]'] },
  { origins: ['https://*.example.com', 'https://example.com'] },
  { origins: ['https://app-*.preview.test', 'http://*.example.org:*', 'null'], allowNullOrigin: true },
];
const HOSTS = ['example.com', 'app.example.com', 'a.b.example.com', 'x.example.org', 'app-1.preview.test', 'localhost',
  '[::1]', 'A.example.com', 'a_b.example.com', 'xn--bcher-kva.example.com', 'example.com.'];
const arb = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom('https://', 'http://', 'HTTP://', ''), fc.oneof(fc.constantFrom(...HOSTS), fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,70}$/), fc.constantFrom(...HOSTS)).map(([l, h]) => `${l}.${h}`)), fc.constantFrom('', '', ':80', ':443', ':3000', ':08', ':65536', '/')).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom('null', 'NULL', '') },
);

let server: ChildProcess | null = null;
const dir = bin === null ? '' : mkdtempSync(join(tmpdir(), 'corset-pg-'));
afterAll(() => {
  if (server?.pid !== undefined) process.kill(server.pid, 'SIGTERM');
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(bin === null)('toSql on PostgreSQL', () => {
  it('gives exactly isOriginAllowed and matchOrigin for fuzzed origins', async () => {
    chmodSync(dir, 0o777);
    const data = join(dir, 'data');
    const [c1, a1] = cmd('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    execFileSync(c1, a1, { stdio: 'ignore' });
    const [c2, a2] = cmd('postgres', ['-D', data, '-k', dir, '-c', 'listen_addresses=', '-c', 'fsync=off']);
    server = spawn(c2, a2, { stdio: 'ignore' });
    const [cr, ar] = cmd('pg_isready', ['-h', dir, '-U', 'postgres']);
    for (let k = 0; k < 100; k++) {
      try {
        execFileSync(cr, ar, { stdio: 'ignore' });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const groups = [
      { policies: POLICIES, values: fc.sample(arb, { numRuns: 5000, seed: 7 }) },
      { policies: EXTRA_POLICIES, values: fc.sample(extraOriginArb(HOSTS), { numRuns: 5000, seed: 8 }) },
    ];
    for (const [g, { policies, values: all }] of groups.entries()) {
      const values = all.filter((v) => !v.includes('\u0000'));
      const csv = join(dir, `o${g}.csv`);
      writeFileSync(csv, values.map((v, i) => `${i},"${v.replace(/"/g, '""')}"`).join('\n') + `\n${values.length},\n`);
      chmodSync(csv, 0o644);
      for (const init of policies) {
        const policy = compilePolicy(init);
        const a = toSql(init, { dialect: 'postgres', column: 'origin' });
        const m = toSql(init, { dialect: 'postgres', column: 'origin', matched: true });
        const script = `CREATE TEMP TABLE o (i int, origin text); COPY o FROM '${csv}' WITH (FORMAT csv);
SELECT i, (${a})::int, coalesce(${m}, '<null>') FROM o ORDER BY i;`;
        const [c3, a3] = cmd('psql', ['-h', dir, '-U', 'postgres', '-q', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', script]);
        const out = execFileSync(c3, a3, { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n');
        expect(out.length).toBe(values.length + 1);
        const mismatches: string[] = [];
        let hits = 0;
        for (const line of out) {
          const [i, allowed, pattern] = line.split('\t');
          const idx = Number(i);
          if (idx === values.length) {
            if (allowed !== '0' || pattern !== '<null>') mismatches.push(`NULL: ${line}`);
            continue;
          }
          const v = values[idx]!;
          if (allowed === '1') hits++;
          const gotM = pattern === '<null>' ? null : (pattern as string);
          // The documented difference (docs/sql.md): UNSURE values the SQL may deny.
          if (agrees(policy, v, allowed === '1', gotM)) continue;
          mismatches.push(`${JSON.stringify(v)}: sql ${allowed} ${pattern}, corset ${policy.isOriginAllowed(v)} ${policy.matchOrigin(v)}`);
        }
        expect(mismatches.slice(0, 10), String(init.origins)).toEqual([]);
        expect(hits, String(init.origins)).toBeGreaterThan(10);
      }
    }
  }, 120_000);
});
