// The corset CLI, run in-process (main(argv, io)) and once through the built bin.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { EXAMPLE_POLICY } from '../src/cli/example-policy.js';
import { runCli } from './helpers/cli-io.js';

function run(...argv: string[]) {
  return runCli(main, argv);
}

const examples = new URL('../examples/', import.meta.url);

describe('corset CLI', () => {
  it('prints help with no arguments and exits 0', async () => {
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/corset check <origin>/);
    expect(r.stdout).toMatch(/corset lint <policy.json>/);
  });

  it('help <command> prints that command\'s usage', async () => {
    for (const [topic, re] of [['check', /Usage: corset check/], ['lint', /Usage: corset lint/], ['serve', /Usage: corset serve/], ['compile', /Usage: corset compile/], ['audit', /Usage: corset audit/], ['bench', /Usage: corset bench/]] as const) {
      const r = await run('help', topic);
      expect(r.stdout, `corset help ${topic}`).toMatch(re);
    }
  });

  it('the built-in example policy equals examples/weather-api.json', () => {
    const file = JSON.parse(readFileSync(new URL('weather-api.json', examples), 'utf8'));
    expect(file).toEqual(JSON.parse(JSON.stringify(EXAMPLE_POLICY)));
  });

  const checkRows: { desc: string; argv: string[]; code: number; stdout: RegExp[] }[] = [
    {
      desc: 'allowed simple GET from the example page',
      argv: ['check', 'https://test.b-cdn.net'],
      code: 0,
      stdout: [/preflight: none/, /access-control-allow-origin: https:\/\/test\.b-cdn\.net/, /vary: .*origin/i, /verdict: allowed/],
    },
    {
      desc: 'a look-alike origin is denied without allow headers',
      argv: ['check', 'https://test.b-cdn.net.evil.net'],
      code: 1,
      stdout: [/origin-not-allowed/, /verdict: denied/],
    },
    {
      desc: 'a non-canonical origin is invalid',
      argv: ['check', 'https://TEST.b-cdn.net'],
      code: 1,
      stdout: [/invalid-origin/],
    },
    {
      desc: 'a non-safelisted method is preflighted and refused',
      argv: ['check', 'https://test.b-cdn.net', '--method', 'DELETE'],
      code: 1,
      stdout: [/preflight: method DELETE is not CORS-safelisted/, /method-not-allowed/, /never sent/],
    },
    {
      desc: 'an allowed custom header is preflighted and accepted',
      argv: ['check', 'http://localhost:5173', '--header', 'Content-Type'],
      code: 0,
      stdout: [/preflight: request header\(s\) content-type/, /access-control-allow-headers: content-type/, /status: {2}204/],
    },
    {
      desc: 'same-origin when --url names the same origin',
      argv: ['check', 'https://test.b-cdn.net', '--url', 'https://test.b-cdn.net/api/weather'],
      code: 0,
      stdout: [/kind: {4}same-origin/],
    },
  ];
  for (const row of checkRows) {
    it(`check: ${row.desc}`, async () => {
      const r = await run(...row.argv);
      expect(r.code, `corset ${row.argv.join(' ')}: exit code; stderr: ${r.stderr}`).toBe(row.code);
      for (const re of row.stdout) expect(r.stdout, `corset ${row.argv.join(' ')}`).toMatch(re);
    });
  }

  it('check --json prints both decisions', async () => {
    const r = await run('check', 'https://new-weather.b-cdn.net', '--method', 'put', '--json');
    const parsed = JSON.parse(r.stdout);
    expect(parsed.method).toBe('PUT'); // Fetch §2.2.1 normalisation
    expect(parsed.preflight.kind).toBe('preflight');
    expect(parsed.preflight.allowed).toBe(false);
    expect(r.code).toBe(1);
  });

  const usageRows: { desc: string; argv: string[]; stderr: RegExp }[] = [
    { desc: 'unknown command', argv: ['frobnicate'], stderr: /unknown command "frobnicate"/ },
    { desc: 'unknown flag', argv: ['check', 'https://a.com', '--nope'], stderr: /unknown option --nope/ },
    { desc: 'missing origin', argv: ['check'], stderr: /check needs an origin/ },
    { desc: 'flag without value', argv: ['check', 'https://a.com', '--method'], stderr: /--method needs a value/ },
    { desc: 'bad method', argv: ['check', 'https://a.com', '--method', 'GE T'], stderr: /is not a method name/ },
    { desc: 'unknown help topic', argv: ['help', 'nope'], stderr: /unknown help topic "nope"/ },
    { desc: 'lint without file', argv: ['lint'], stderr: /lint needs a policy file/ },
  ];
  for (const row of usageRows) {
    it(`usage error: ${row.desc} (exit 2)`, async () => {
      const r = await run(...row.argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(row.stderr);
    });
  }

  it('lint: the example policy is clean', async () => {
    const r = await run('lint', new URL('weather-api.json', examples).pathname);
    expect(r.stdout).toMatch(/no problems/);
    expect(r.code).toBe(0);
  });

  it('lint: an unsafe policy reports every error and exits 1', async () => {
    const r = await run('lint', new URL('unsafe.json', examples).pathname, '--json');
    const parsed = JSON.parse(r.stdout);
    expect(r.code).toBe(1);
    // '*' with credentials, TRACE, negative maxAge: three problems, all reported at once.
    expect(parsed.errors).toBeGreaterThanOrEqual(3);
    const paths = parsed.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['maxAge', 'methods[1]']));
    for (const issue of parsed.issues) expect(issue.message).toMatch(/^corset: /);
  });

  it('lint: RegExp origins in their JSON form are checked like RegExps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corset-regexp-'));
    try {
      const file = join(dir, 'policy.json');
      const write = (origins: unknown[], extra: object = {}) => writeFileSync(file, JSON.stringify({ origins, ...extra }));
      write([{ regexp: '^https://(a|b)\\.example\\.com$', flags: 'i' }]);
      let r = await run('lint', file, '--json');
      expect(r.code, r.stdout + r.stderr).toBe(0);
      write([{ regexp: 'example\\.com$' }], { credentials: true });
      r = await run('lint', file, '--json');
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).issues.map((i: { code: string; path: string }) => `${i.code} ${i.path}`)).toContain('regexp-unanchored origins[0]');
      write(['https://a.example.com', { regexp: '^https://(a)\\1\\.com$' }]);
      r = await run('lint', file, '--json');
      expect(JSON.parse(r.stdout).issues.map((i: { code: string; path: string }) => `${i.code} ${i.path}`)).toContain('regexp-not-re2 origins[1]');
      write([{ regexp: '^https://a\\.com$', flag: 'i' }]);
      r = await run('lint', file);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/origins\[0\].*"flag"/);
      write([{ regexp: '(' }]);
      r = await run('lint', file);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/not a JavaScript RegExp/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the built bin runs the example (the README demo command)', () => {
    const out = execFileSync(process.execPath, [new URL('../bin/corset.js', import.meta.url).pathname, 'check', 'https://test.b-cdn.net'], { encoding: 'utf8' });
    expect(out).toMatch(/verdict: allowed/);
  });
});
