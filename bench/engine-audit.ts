// `corset audit` end to end on a generated log (default 1 GB): time, lines per second, peak RSS,
// and a check that its counts equal calling the compiled policy's isOriginAllowed line by line.
//
//   npm run bench:audit [-- --mb 1024 --rules 1000 --mode field|plain --keep]
//
// The log is written to the OS temp directory and removed afterwards (unless --keep).
import { createReadStream, createWriteStream, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { runAudit } from '../src/cli/audit.js';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { benchInputs, benchRules } from './engine-policies.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const megabytes = Number(arg('mb') ?? 1024);
const ruleCount = Number(arg('rules') ?? 1000);
const mode = (arg('mode') ?? 'field') as 'field' | 'plain';
const keep = process.argv.includes('--keep');

const dir = tmpdir();
const logFile = path.join(dir, `corset-audit-bench-${process.pid}.log`);
const policyFile = path.join(dir, `corset-audit-bench-${process.pid}.json`);
const rules = benchRules('wildcard', ruleCount);
const init = { origins: rules.map((r) => r.source) };
writeFileSync(policyFile, JSON.stringify(init));

/** 85% allowed, 8% not allowed or look-alike, 3% not canonical, 2% null, 2% no Origin (log mode). */
async function writeLog(): Promise<number> {
  const hit = benchInputs('wildcard', ruleCount, 'hit', 8192).map(([a, b]) => a + b);
  const miss = benchInputs('wildcard', ruleCount, 'miss', 1024).map(([a, b]) => a + b);
  const look = benchInputs('wildcard', ruleCount, 'look-alike', 1024).map(([a, b]) => a + b);
  const out = createWriteStream(logFile, { highWaterMark: 4 << 20 });
  const target = megabytes * 1e6;
  let written = 0;
  let i = 0;
  while (written < target) {
    const parts: string[] = [];
    for (let k = 0; k < 20_000; k++, i++) {
      const r = i % 100;
      let origin: string;
      if (r < 85) origin = hit[(i * 31) % hit.length] as string;
      else if (r < 89) origin = miss[i % miss.length] as string;
      else if (r < 93) origin = look[i % look.length] as string;
      else if (r < 96) origin = (hit[i % hit.length] as string).toUpperCase();
      else if (r < 98) origin = 'null';
      else origin = mode === 'field' ? '-' : 'null';
      parts.push(mode === 'field' ? `2025-11-25T15:00:${String(k % 60).padStart(2, '0')}Z GET /api/v1/items?id=${i} 200 "${origin}" 512` : origin);
    }
    const chunk = `${parts.join('\n')}\n`;
    written += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return i;
}

/** isOriginAllowed on every line, as a server would answer each request. */
async function lineByLine(): Promise<{ allowed: number; origins: number }> {
  const policy = compilePolicy(init);
  const rl = createInterface({ input: createReadStream(logFile, { highWaterMark: 4 << 20 }), crlfDelay: Infinity });
  let allowed = 0;
  let origins = 0;
  for await (const line of rl) {
    let origin = line;
    if (mode === 'field') {
      const field = line.split(/[ \t]+/)[4];
      if (field === undefined) continue;
      origin = field.startsWith('"') && field.endsWith('"') && field.length >= 2 ? field.slice(1, -1) : field;
      if (origin === '-' || origin === '') continue;
    }
    origins++;
    if (policy.isOriginAllowed(origin)) allowed++;
  }
  return { allowed, origins };
}

const t0 = Date.now();
const lines = await writeLog();
const bytes = statSync(logFile).size;
process.stdout.write(`log: ${logFile} ${(bytes / 1e6).toFixed(0)} MB, ${lines} lines (${mode}), written in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
const rssBefore = process.memoryUsage.rss();
let stdout = '';
const sink = new Writable({
  write(chunk, _enc, cb) {
    stdout += String(chunk);
    cb();
  },
});
const errSink = new Writable({ write: (_c, _e, cb) => cb() });
const started = Date.now();
const argv = [logFile, '--policy', policyFile, '--json', ...(mode === 'field' ? ['--field', '5'] : [])];
const code = await runAudit(argv, { stdout: sink, stderr: errSink });
const seconds = (Date.now() - started) / 1000;
clearInterval(sampler);
const report = JSON.parse(stdout);
process.stdout.write(
  `corset audit ${argv.slice(1).join(' ')}: exit ${code}, ${report.lines} lines in ${seconds.toFixed(1)} s = ${(report.lines / seconds / 1e6).toFixed(2)} M lines/s, ` +
    `${(bytes / 1e6 / seconds).toFixed(0)} MB/s, engine ${report.engine}; RSS ${(rssBefore / 1e6).toFixed(0)} MB before, peak ${(peakRss / 1e6).toFixed(0)} MB\n`,
);
process.stdout.write(`  reasons: ${JSON.stringify(report.policy.reasons)}\n`);

const t1 = Date.now();
const check = await lineByLine();
const denied = report.policy.reasons['origin-not-allowed'] + report.policy.reasons['null-origin-not-allowed'] + report.policy.reasons['invalid-origin'];
const same = check.allowed === report.policy.reasons.ok && check.origins === report.policy.reasons.ok + denied;
process.stdout.write(
  `line-by-line isOriginAllowed: ${check.allowed} allowed of ${check.origins} origins in ${((Date.now() - t1) / 1000).toFixed(1)} s: ${same ? 'equal to the audit' : 'DIFFERENT from the audit'}\n`,
);
if (!keep) rmSync(logFile, { force: true });
rmSync(policyFile, { force: true });
process.exitCode = same ? 0 : 1;
