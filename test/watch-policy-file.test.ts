// watchPolicyFile and `corset serve --watch`: a policy file edited on disk is reloaded
// atomically; an invalid edit keeps the running policy and reports every problem.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLivePolicy, PolicyError, watchPolicyFile } from '../src/index.js';
import { serve } from '../src/cli/serve.js';

const dir = mkdtempSync(path.join(tmpdir(), 'corset-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const A = 'https://a.example';
const B = 'https://b.example';

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('watchPolicyFile', () => {
  it('reloads edits (written in place or renamed over), refuses invalid ones with every problem', async () => {
    const file = path.join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ origins: [A] }));
    const live = createLivePolicy({ origins: [A] });
    const versions: number[] = [];
    const errors: Error[] = [];
    const w = watchPolicyFile(file, live, { debounceMs: 10, onReload: (v) => versions.push(v), onError: (e) => errors.push(e) });
    try {
      writeFileSync(file, JSON.stringify({ origins: [B] }));
      await until('the edit is applied', () => versions.length === 1);
      expect(live.decide({ method: 'GET', origin: B }).allowed).toBe(true);
      expect(live.decide({ method: 'GET', origin: A }).allowed).toBe(false);

      writeFileSync(file, JSON.stringify({ origins: ['https://*.com', 'https://x.example/'], maxAge: -5 }));
      await until('the bad edit is reported', () => errors.length === 1);
      const err = errors[0] as PolicyError;
      expect(err).toBeInstanceOf(PolicyError);
      expect(err.issues.map((i) => i.code).sort()).toEqual(['invalid-max-age', 'pattern-has-path', 'public-suffix-wildcard']);
      expect(live.decide({ method: 'GET', origin: B }).allowed).toBe(true); // still the running policy

      writeFileSync(file, '{ "origins": [');
      await until('the broken JSON is reported', () => errors.length === 2);
      expect(errors[1]).toBeInstanceOf(SyntaxError);

      const tmp = path.join(dir, 'policy.json.tmp');
      writeFileSync(tmp, JSON.stringify({ origins: [A, B] }));
      renameSync(tmp, file);
      await until('the renamed file is applied', () => versions.length === 2);
      expect(live.isOriginAllowed(A) && live.isOriginAllowed(B)).toBe(true);
      expect(versions).toEqual([2, 3]);
    } finally {
      w.close();
    }
  });
});

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('corset serve --watch', () => {
  it('serves the edited policy, and keeps the running one when an edit is invalid', async () => {
    const file = path.join(dir, 'serve.json');
    writeFileSync(file, JSON.stringify({ origins: [A] }));
    const out = sink();
    const err = sink();
    const ac = new AbortController();
    const exit = serve(['--policy', file, '--port', '0', '--watch'], { stdout: out.stream, stderr: err.stream }, { signal: ac.signal });
    await until('it listens', () => /on http:\/\/127\.0\.0\.1:\d+/.test(out.text()));
    const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out.text())?.[1] as string;
    const acao = async (origin: string) => (await fetch(url, { headers: { origin } })).headers.get('access-control-allow-origin');
    expect(await acao(B)).toBeNull();
    writeFileSync(file, JSON.stringify({ origins: [B] }));
    await until('reloaded', () => out.text().includes('reloaded (version 2)'));
    expect(await acao(B)).toBe(B);
    writeFileSync(file, JSON.stringify({ origins: [B], credentials: true, methods: '*', maxAge: 1.5 }));
    await until('refused', () => err.text().includes('not applied'));
    expect(err.text()).toMatch(/wildcard-with-credentials/);
    expect(err.text()).toMatch(/invalid-max-age/);
    expect(await acao(B)).toBe(B);
    ac.abort();
    expect(await exit).toBe(0);
  });

  it('--watch needs --policy', async () => {
    const err = sink();
    await expect(serve(['--watch'], { stdout: sink().stream, stderr: err.stream })).resolves.toBe(2);
    expect(err.text()).toMatch(/--watch needs --policy/);
  });
});
