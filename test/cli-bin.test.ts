// The shipped `corset` binary (bin/corset.js over dist/), spawned with pipes as a user's shell
// runs it: standard input, exit codes, what goes to stdout and to stderr. Needs `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = new URL('../bin/corset.js', import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), 'corset-bin-'));
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function file(name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

const policy = file('policy.json', JSON.stringify({ origins: ['https://app.example.com'], allowHeaders: ['content-type'] }));

/** Run `corset ...argv` with `input` on its standard input (pipes for all three streams). */
function corset(argv: string[], input = '') {
  const r = spawnSync(process.execPath, [bin, ...argv], { input, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `corset ...argv` without blocking, so that independent runs overlap. */
function corsetAsync(argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** No uncaught exception reached the terminal. */
function noStack(stderr: string): void {
  expect(stderr, 'no stack trace').not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
}

describe('corset (the binary): one meaning per exit code', () => {
  const rows: { desc: string; argv: () => string[]; code: number; stderr?: RegExp; usage?: boolean }[] = [
    { desc: 'check allowed', argv: () => ['check', 'https://app.example.com', '--policy', policy], code: 0 },
    { desc: 'check denied', argv: () => ['check', 'https://evil.example', '--policy', policy], code: 1 },
    { desc: 'lint with errors', argv: () => ['lint', file('bad.json', JSON.stringify({ origins: ['https://*.com'] }))], code: 1 },
    { desc: 'lint clean', argv: () => ['lint', policy], code: 0 },
    { desc: 'unknown command', argv: () => ['frobnicate'], code: 2, stderr: /unknown command "frobnicate"/, usage: true },
    { desc: 'unknown help topic', argv: () => ['help', 'nope'], code: 2, stderr: /unknown help topic "nope"/, usage: true },
    { desc: 'check with a bad flag', argv: () => ['check', 'https://a.example', '--nope'], code: 2, usage: true },
    { desc: 'serve --port 99999', argv: () => ['serve', '--port', '99999'], code: 2, stderr: /--port "99999" is not a port number/, usage: true },
    { desc: 'serve --port abc', argv: () => ['serve', '--port', 'abc'], code: 2, stderr: /--port "abc" is not a port number/, usage: true },
    { desc: 'serve --public-origin with a path', argv: () => ['serve', '--port', '0', '--public-origin', 'https://api.example.com/v1'], code: 2, stderr: /publicOrigin/, usage: true },
    { desc: 'serve with a missing policy file', argv: () => ['serve', '--policy', path.join(dir, 'missing.json')], code: 3, stderr: /cannot read policy file .*no such file/ },
    {
      desc: 'check with an invalid policy',
      argv: () => ['check', 'https://a.example', '--policy', file('bad2.json', JSON.stringify({ origins: ['https://*.com'] }))],
      code: 3,
      stderr: /is invalid:\n\S*bad2\.json:1:13: error   public-suffix-wildcard/,
    },
    { desc: 'check with a bad --method', argv: () => ['check', 'https://a.example', '--method', 'GE T'], code: 2, stderr: /is not a method name/, usage: true },
    { desc: 'check with no origin', argv: () => ['check'], code: 2, stderr: /check needs an origin/, usage: true },
    { desc: 'lint a missing file', argv: () => ['lint', path.join(dir, 'missing.json')], code: 3, stderr: /no such file/ },
    { desc: 'lint with no file', argv: () => ['lint'], code: 2, stderr: /lint needs a policy file/, usage: true },
    { desc: 'compile to stdout', argv: () => ['compile', policy], code: 0 },
    { desc: 'compile with an unknown flag', argv: () => ['compile', policy, '--pretty'], code: 2, stderr: /unknown option --pretty/, usage: true },
    { desc: 'audit with no --policy', argv: () => ['audit', '-'], code: 2, stderr: /audit needs --policy FILE/, usage: true },
    { desc: 'audit a missing log', argv: () => ['audit', path.join(dir, 'missing.log'), '--policy', policy], code: 3, stderr: /cannot read/ },
    {
      desc: 'audit with an invalid policy',
      argv: () => ['audit', policy, '--policy', file('bad4.json', '{\n  "origins": ["https://*.com"]\n}\n')],
      code: 3,
      stderr: /bad4\.json:2:15: error   public-suffix-wildcard at origins\[0\]/,
    },
    { desc: 'bench with a bad --engine', argv: () => ['bench', '--engine', 'fast'], code: 2, stderr: /--engine "fast"/, usage: true },
    { desc: 'bench an invalid policy', argv: () => ['bench', '--policy', file('bad5.json', JSON.stringify({ origins: ['https://*.com'] }))], code: 3, stderr: /bad5\.json:1:13: error/ },
    { desc: 'export', argv: () => ['export', '--sql', 'duckdb', '--column', 'origin', '--policy', policy], code: 0 },
    { desc: 'export with no --sql', argv: () => ['export', '--column', 'origin', '--policy', policy], code: 2, stderr: /export needs --sql/, usage: true },
    {
      desc: 'export an invalid policy',
      argv: () => ['export', '--sql', 'duckdb', '--column', 'o', '--policy', file('bad6.json', JSON.stringify({ origins: ['https://*.com'] }))],
      code: 3,
      stderr: /bad6\.json:1:13: error/,
    },
    {
      desc: 'export a rule SQL cannot express',
      argv: () => ['export', '--sql', 'duckdb', '--column', 'o', '--policy', file('re.json', JSON.stringify({ origins: [{ regexp: '^https://caf\u00e9\\.example$' }] }))],
      code: 3,
      stderr: /not printable ASCII/,
    },
    { desc: 'origins with no action', argv: () => ['origins', '--redis', 'redis://127.0.0.1:1'], code: 2, stderr: /origins needs add, remove or list/, usage: true },
    { desc: 'origins with no server listening', argv: () => ['origins', 'list', '--redis', 'redis://127.0.0.1:1'], code: 4, stderr: /ECONNREFUSED/ },
    { desc: 'compile an invalid policy', argv: () => ['compile', file('bad3.json', JSON.stringify({ origins: ['https://*.com'] }))], code: 3, stderr: /is invalid; nothing written/ },
    { desc: 'lint an empty file', argv: () => ['lint', file('empty.json', '')], code: 3, stderr: /is empty/ },
    { desc: 'lint a binary file', argv: () => ['lint', file('binary.json', new Uint8Array([0x7b, 0xff, 0xfe, 0x00]))], code: 3, stderr: /not UTF-8 text/ },
    { desc: 'lint a directory', argv: () => ['lint', dir], code: 3, stderr: /is a directory/ },
    { desc: 'compile --out into a missing directory', argv: () => ['compile', policy, '--out', path.join(dir, 'no', 'such.json')], code: 4, stderr: /cannot write/ },
  ];
  for (const row of rows) {
    it(`${row.desc}: exit ${row.code}`, () => {
      const r = corset(row.argv());
      expect(r.code, `corset ${row.argv().join(' ')}: exit code; stderr: ${r.stderr}`).toBe(row.code);
      if (row.stderr) expect(r.stderr).toMatch(row.stderr);
      if (row.code >= 2) expect(r.stderr.includes('Usage'), 'the usage text follows usage errors only').toBe(row.usage === true);
      noStack(r.stderr);
    });
  }
});

describe('corset (the binary): first use', () => {
  it('--version prints the package version', () => {
    const r = corset(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`corset ${version}\n`);
  });

  it("--help and each command's help (help CMD and CMD --help) show an example and the exit codes", async () => {
    const topics = [...corset(['--help']).stdout.matchAll(/^ {2}corset ([a-z]+) /gm)].map((m) => m[1]!);
    expect(new Set(topics), 'the commands the usage lists').toEqual(new Set(['check', 'lint', 'audit', 'bench', 'compile', 'export', 'serve', 'origins', 'help']));
    const runs = [
      ['--help'],
      ...topics
        .filter((t) => t !== 'help')
        .flatMap((t) => [
          ['help', t],
          [t, '--help'],
        ]),
    ];
    const results = await Promise.all(runs.map((argv) => corsetAsync(argv)));
    runs.forEach((argv, i) => {
      const r = results[i]!;
      expect(r.code, `corset ${argv.join(' ')}`).toBe(0);
      expect(r.stdout, `corset ${argv.join(' ')}`).toMatch(/Examples?:\n {2}(corset|zcat|#)/);
      expect(r.stdout, `corset ${argv.join(' ')}`).toMatch(/Exit codes: 0 /);
    });
  }, 120_000);

  it('a JSON syntax error names the file, line and column, and echoes no bytes of the file', () => {
    const bad = file('syntax.json', '{\n  "origins": [\n    \u001b[31m"https://a.example"\n  ]\n}\n');
    const r = corset(['lint', bad]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${bad}:3:5: policy file is not valid JSON: unexpected U+001B`);
    expect(r.stderr, 'no escape byte echoed').not.toContain('\u001b');
    expect(r.stderr).not.toContain('Usage');
  });

  it('--json with a bad file prints a JSON error on stdout', () => {
    const bad = file('syntax2.json', "{ 'origins': [] }");
    for (const command of [
      ['lint', bad, '--json'],
      ['check', 'https://a.example', '--policy', bad, '--json'],
    ]) {
      const r = corset(command);
      expect(r.code).toBe(3);
      const parsed = JSON.parse(r.stdout) as { error: { kind: string; exitCode: number; file: string; line: number; column: number; message: string } };
      expect(parsed.error).toMatchObject({ kind: 'input', exitCode: 3, file: bad, line: 1, column: 3 });
      expect(parsed.error.message).toMatch(/double quotes/);
    }
  });

  const originHints: { origin: string; want: RegExp }[] = [
    { origin: 'https://app.example.com/', want: /ends with a slash/ },
    { origin: 'app.example.com', want: /has no scheme/ },
    { origin: 'https://APP.example.com', want: /it sends "https:\/\/app\.example\.com"/ },
    { origin: 'https://app.example.com:443', want: /it sends "https:\/\/app\.example\.com"/ },
  ];
  for (const { origin, want } of originHints) {
    it(`check explains why ${JSON.stringify(origin)} is invalid, in text and --json`, () => {
      const text = corset(['check', origin, '--policy', policy]);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/invalid-origin/);
      expect(text.stdout).toMatch(want);
      const json = JSON.parse(corset(['check', origin, '--policy', policy, '--json']).stdout) as { originHint: string };
      expect(json.originHint).toMatch(want);
    });
  }

  it('check names the headers a preflight is denied for, in text and --json', () => {
    const argv = ['check', 'https://app.example.com', '--policy', policy, '--method', 'POST', '--header', 'content-type', '--header', 'X-Trace', '--header', 'x-debug'];
    const text = corset(argv);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/headers-not-allowed/);
    expect(text.stdout).toMatch(/denied headers: x-trace, x-debug/);
    const json = JSON.parse(corset([...argv, '--json']).stdout) as { deniedHeaders: string[] };
    expect(json.deniedHeaders).toEqual(['x-trace', 'x-debug']);
  });
});

describe('corset audit (the binary)', () => {
  const origins = ['https://app.example.com', 'https://evil.example', 'https://app.example.com', ''];

  it('reads standard input with -', () => {
    const r = corset(['audit', '-', '--policy', policy, '--json'], `${origins.join('\n')}\n`);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { lines: number; policy: { reasons: Record<string, number> } };
    expect(report.lines).toBe(4);
    expect(report.policy.reasons).toMatchObject({ ok: 2, 'origin-not-allowed': 1 });
    expect(r.stderr, 'quiet when stderr is a pipe: no progress line').toBe('');
  });

  // An nginx-style line: the Origin is the last field, quoted; "-" when the request had none.
  const log = [
    '10.0.0.1 - - [06/Dec/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 12 "https://app.example.com"',
    '10.0.0.2 - - [06/Dec/2026:10:00:01 +0000] "GET /b HTTP/1.1" 200 12 "-"',
    '10.0.0.3 - - [06/Dec/2026:10:00:02 +0000] "GET /c HTTP/1.1" 200 12 "https://evil.example"',
  ].join('\n');

  it('--field last, --field -1 and --field 11 read the same field; --regex agrees, "-" is no Origin', () => {
    const reasons = (argv: string[]) => {
      const r = corset(['audit', '-', '--policy', policy, '--json', ...argv], `${log}\n`);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { policy: { reasons: Record<string, number> } }).policy.reasons;
    };
    const want = { ok: 1, 'origin-not-allowed': 1, 'invalid-origin': 0, 'not-cors': 1 };
    for (const argv of [
      ['--field', 'last'],
      ['--field', '-1'],
      ['--field', '11'],
      ['--regex', '"([^"]*)"$'],
    ]) {
      expect(reasons(argv), `audit ${argv.join(' ')}`).toMatchObject(want);
    }
  });

  it('an access log without --field or --regex gets a hint', () => {
    const r = corset(['audit', '-', '--policy', policy], `${log}\n`);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/is this an access log\?/);
    expect(r.stderr).toMatch(/--field last/);
  });

  it('a file of origins gets no hint', () => {
    const r = corset(['audit', '-', '--policy', policy], `${origins.join('\n')}\n`);
    expect(r.stderr).toBe('');
  });
});
