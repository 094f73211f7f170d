// `corset audit` (src/cli/audit.ts): every count equals what the compiled policy's matchOrigin
// says line by line, on both engines, for plain files, logs (--field, --regex), stdin, and
// streams long enough to cross read-chunk boundaries; usage errors exit 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from '../src/cli/audit.js';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { validatePolicy } from '../src/policy/validate.js';
import type { CorsPolicyInit } from '../src/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'corset-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

const NEW: CorsPolicyInit = { origins: ['https://app.example.com', 'https://*.example.net', 'https://pr-*.preview.example.org', 'http://localhost:*'] };
const OLD: CorsPolicyInit = { origins: ['https://app.example.com', 'https://*.example.net', 'https://legacy.example.com', 'null'], allowNullOrigin: true };
const TIERED: CorsPolicyInit = { origins: '*', credentialedOrigins: ['https://app.example.com'] };
const newFile = file('new.json', JSON.stringify(NEW));
const oldFile = file('old.json', JSON.stringify(OLD));
const tieredFile = file('tiered.json', JSON.stringify(TIERED));

const ORIGINS = [
  'https://app.example.com',
  'https://a.example.net',
  'https://b.c.example.net',
  'https://pr-42.preview.example.org',
  'http://localhost:5173',
  'http://[::1]:3000',
  'https://legacy.example.com',
  'https://legacy.example.com',
  'null',
  'https://evil.example',
  'https://app.example.com.evil.net',
  'https://App.example.com',
  'https://xn--bcher-kva.example',
  'https://bücher.example',
  '',
  'https://app.example.com/',
  'x'.repeat(300),
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function audit(argv: string[], stdin?: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const sink = (write: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        write(String(chunk));
        cb();
      },
    });
  const code = await runAudit(argv, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    ...(stdin === undefined ? {} : { stdin: Readable.from([Buffer.from(stdin)]) }),
  });
  return { code, stdout, stderr };
}

type Reason = 'ok' | 'origin-not-allowed' | 'null-origin-not-allowed' | 'invalid-origin' | 'not-cors';

/** What the audit must count: compilePolicy's matchOrigin on each line, and its reason. */
function expected(init: CorsPolicyInit, origins: readonly (string | null)[]) {
  const policy = compilePolicy(init);
  const valid = validatePolicy(init).policy;
  const reasons: Record<Reason, number> = { ok: 0, 'origin-not-allowed': 0, 'null-origin-not-allowed': 0, 'invalid-origin': 0, 'not-cors': 0 };
  const patterns = new Map<string, number>();
  for (const o of origins) {
    if (o === null) {
      reasons['not-cors']++;
      continue;
    }
    const m = policy.matchOrigin(o);
    expect(policy.isOriginAllowed(o)).toBe(m !== null);
    if (m !== null) {
      reasons.ok++;
      patterns.set(m, (patterns.get(m) ?? 0) + 1);
    } else if (o === 'null') reasons['null-origin-not-allowed']++;
    else if (policy.decide({ method: 'GET', origin: o }).reason === 'invalid-origin') reasons['invalid-origin']++;
    else reasons['origin-not-allowed']++;
  }
  expect(valid).not.toBeNull();
  return { reasons, patterns };
}

function patternsOf(report: { policy: { patterns: { pattern: string; count: number }[] } }): Map<string, number> {
  return new Map(report.policy.patterns.map((p) => [p.pattern, p.count]));
}

describe('corset audit', () => {
  for (const engine of ['wasm', 'js'] as const) {
    it(`counts equal matchOrigin line by line (engine ${engine})`, async () => {
      const f = file(`origins-${engine}.txt`, `${ORIGINS.join('\n')}\n`);
      const run = await audit([f, '--policy', newFile, '--engine', engine, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout);
      const want = expected(NEW, ORIGINS);
      expect(report.engine).toBe(engine);
      expect(report.lines).toBe(ORIGINS.length);
      expect(report.policy.reasons).toEqual(want.reasons);
      expect(patternsOf(report)).toEqual(want.patterns);
      expect(report.policy.topDenied.top[0]).toEqual({ value: 'https://legacy.example.com', count: 2 });
    });
  }

  it('--against lists what the new policy breaks and what it opens; exit 1', async () => {
    const f = file('against.txt', `${ORIGINS.join('\r\n')}`);
    const run = await audit([f, '--policy', newFile, '--against', oldFile, '--json']);
    expect(run.code, 'exit code when the new policy denies what the old allowed').toBe(1);
    const report = JSON.parse(run.stdout);
    const oldPolicy = compilePolicy(OLD);
    const newPolicy = compilePolicy(NEW);
    const broken = ORIGINS.filter((o) => oldPolicy.isOriginAllowed(o) && !newPolicy.isOriginAllowed(o));
    const opened = ORIGINS.filter((o) => !oldPolicy.isOriginAllowed(o) && newPolicy.isOriginAllowed(o));
    expect(report.against.reasons).toEqual(expected(OLD, ORIGINS).reasons);
    expect(report.against.newlyDenied.total).toBe(broken.length);
    expect(report.against.newlyDenied.top).toEqual([
      { value: 'https://legacy.example.com', count: 2 },
      { value: 'null', count: 1 },
    ]);
    expect(report.against.newlyAllowed.total).toBe(opened.length);
  });

  it('no change: exit 0, and the text report names the counts', async () => {
    const f = file('same.txt', `${ORIGINS.join('\n')}\n`);
    const run = await audit([f, '--policy', newFile, '--against', newFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/allowed by .*new\.json, denied by .*new\.json: 0 requests/);
    const notAllowed = expected(NEW, ORIGINS).reasons['origin-not-allowed'];
    expect(run.stdout).toMatch(new RegExp(`origin-not-allowed\\s+${notAllowed}\\s`));
  });

  it('a tiered policy (origins "*" + credentialedOrigins)', async () => {
    const f = file('tiered.txt', `${ORIGINS.join('\n')}\n`);
    const run = await audit([f, '--policy', tieredFile, '--json']);
    const report = JSON.parse(run.stdout);
    const want = expected(TIERED, ORIGINS);
    expect(report.policy.reasons).toEqual(want.reasons);
    expect(patternsOf(report)).toEqual(want.patterns);
  });

  it('--field picks the Origin out of a log line; "-" and missing fields are not CORS', async () => {
    const rows = ORIGINS.map((o, i) => `10.0.0.${i} GET "${o}" 200`);
    rows.push('10.0.0.99 GET - 200', '10.0.0.100 GET');
    const f = file('access.log', `${rows.join('\n')}\n`);
    const run = await audit([f, '--policy', newFile, '--field', '3', '--json']);
    const report = JSON.parse(run.stdout);
    // The empty origin is written as "" in the log: quotes dropped, nothing left: no Origin.
    const origins = ORIGINS.map((o) => (o === '' ? null : o));
    const want = expected(NEW, [...origins, null, null]);
    expect(report.policy.reasons).toEqual(want.reasons);
  });

  it('--regex picks the first capture group', async () => {
    const rows = ORIGINS.filter((o) => !o.includes(' ')).map((o, i) => `req=${i} origin=<${o}> status=200`);
    const f = file('regex.log', `${rows.join('\n')}\n`);
    const run = await audit([f, '--policy', newFile, '--regex', 'origin=<([^>]*)>', '--json']);
    const report = JSON.parse(run.stdout);
    const want = expected(NEW, ORIGINS.map((o) => (o === '' ? null : o)));
    expect(report.policy.reasons).toEqual(want.reasons);
  });

  it('reads stdin with -', async () => {
    const run = await audit(['-', '--policy', newFile, '--json'], 'https://app.example.com\nhttps://evil.example\n');
    const report = JSON.parse(run.stdout);
    expect(report.policy.reasons.ok).toBe(1);
    expect(report.policy.reasons['origin-not-allowed']).toBe(1);
  });

  it('streams many read chunks and a line past the line cap in bounded memory', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 400_000; i++) lines.push(i % 4 === 0 ? `https://t${i}.example.net` : i % 4 === 1 ? 'https://app.example.com' : i % 4 === 2 ? `https://n${i}.example` : 'https://Bad.example');
    const body = `${lines.join('\n')}\n${'y'.repeat(3 * 1024 * 1024)}\nhttps://app.example.com\n`;
    const f = file('big.txt', body);
    const run = await audit([f, '--policy', newFile, '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.lines).toBe(400_002);
    expect(report.policy.reasons).toEqual({ ok: 200_001, 'origin-not-allowed': 100_000, 'null-origin-not-allowed': 0, 'invalid-origin': 100_001, 'not-cors': 0 });
    expect(report.policy.topDenied.approximate, 'more distinct denied origins than the counter keeps').toBe(true);
  }, 60_000);

  const usage: { desc: string; argv: string[]; want: RegExp }[] = [
    { desc: 'no file', argv: ['--policy', newFile], want: /audit needs a file/ },
    { desc: 'no policy', argv: ['x.txt'], want: /audit needs --policy/ },
    { desc: 'field and regex', argv: ['x.txt', '--policy', newFile, '--field', '1', '--regex', 'x'], want: /not both/ },
    { desc: 'field 0', argv: ['x.txt', '--policy', newFile, '--field', '0'], want: /--field must be/ },
    { desc: 'bad regex', argv: ['x.txt', '--policy', newFile, '--regex', '('], want: /not a valid regular expression/ },
    { desc: 'bad engine', argv: ['x.txt', '--policy', newFile, '--engine', 'fast'], want: /--engine must be/ },
    { desc: 'unknown flag', argv: ['x.txt', '--policy', newFile, '--fast'], want: /unknown option --fast/ },
  ];
  for (const { desc, argv, want } of usage) {
    it(`usage: ${desc} (exit 2)`, async () => {
      const run = await audit(argv);
      expect(run.code, `runAudit(${JSON.stringify(argv)}): exit code`).toBe(2);
      expect(run.stderr).toMatch(want);
    });
  }

  const inputs: { desc: string; argv: string[]; want: RegExp }[] = [
    { desc: 'unreadable file', argv: [path.join(dir, 'missing.txt'), '--policy', newFile], want: /cannot read/ },
    { desc: 'unreadable policy', argv: ['x.txt', '--policy', path.join(dir, 'missing.json')], want: /cannot read policy file/ },
    { desc: 'invalid policy', argv: ['x.txt', '--policy', file('bad.json', JSON.stringify({ origins: ['https://*.com'] }))], want: /is invalid:\n\S+bad\.json:1:13: error   public-suffix-wildcard at origins\[0\]/ },
  ];
  for (const { desc, argv, want } of inputs) {
    it(`input: ${desc} (exit 3, no usage text)`, async () => {
      const run = await audit(argv);
      expect(run.code, `runAudit(${JSON.stringify(argv)}): exit code`).toBe(3);
      expect(run.stderr).toMatch(want);
      expect(run.stderr).not.toContain('Usage:');
    });
  }

  it('--help prints the usage', async () => {
    const run = await audit(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: corset audit/);
  });
});
