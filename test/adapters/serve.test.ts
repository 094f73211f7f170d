// `corset serve`: the local policy server, on 127.0.0.1 with an ephemeral port.
import { Writable } from 'node:stream';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, startPolicyServer } from '../../src/cli/serve.js';
import type { PolicyServer } from '../../src/cli/serve.js';
import { header, viaFetch, viaSocket } from './http-client.js';
import type { Outgoing } from './http-client.js';

const APP = 'https://app.example.com';
const POLICY = { origins: [APP], methods: ['GET', 'PUT'] };

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

describe('startPolicyServer', () => {
  let server: PolicyServer;
  const lines: string[] = [];
  beforeAll(async () => {
    server = await startPolicyServer(POLICY, { port: 0, log: (l) => void lines.push(l) });
  });
  afterAll(() => server.close());

  const rows: { desc: string; req: Outgoing; status: number; acao: string | null; reason: string | null; line: RegExp }[] = [
    {
      desc: 'allowed preflight: answered as in production',
      req: { method: 'OPTIONS', path: '/api', headers: [['Origin', APP], ['Access-Control-Request-Method', 'PUT']] },
      status: 204,
      acao: APP,
      reason: null,
      line: /^OPTIONS "\/api" origin="https:\/\/app\.example\.com" -> 204 preflight allowed \(ok\)$/,
    },
    {
      desc: 'denied preflight',
      req: { method: 'OPTIONS', path: '/api', headers: [['Origin', APP], ['Access-Control-Request-Method', 'DELETE']] },
      status: 403,
      acao: null,
      reason: null,
      line: /-> 403 preflight denied \(method-not-allowed\)$/,
    },
    {
      desc: 'allowed GET: 200 with the decision as JSON',
      req: { method: 'GET', path: '/x?y=1', headers: [['Origin', APP]] },
      status: 200,
      acao: APP,
      reason: 'ok',
      line: /^GET "\/x\?y=1" origin="https:\/\/app\.example\.com" -> 200 actual allowed \(ok\)$/,
    },
    {
      desc: 'denied GET: 200 without CORS headers, the reason in the body',
      req: { method: 'GET', path: '/', headers: [['Origin', 'https://evil.example']] },
      status: 200,
      acao: null,
      reason: 'origin-not-allowed',
      line: /-> 200 actual denied \(origin-not-allowed\)$/,
    },
    {
      desc: 'no Origin',
      req: { method: 'GET', path: '/', headers: [] },
      status: 200,
      acao: null,
      reason: 'not-cors',
      line: /origin=- -> 200 not-cors allowed \(not-cors\)$/,
    },
    {
      desc: 'a quote in the Origin is escaped in the log line',
      req: { method: 'GET', path: '/', headers: [['Origin', 'https://a".example']] },
      status: 200,
      acao: null,
      reason: null, // what decide makes of it is decide's business (a `"` may stand in a URL host); here: the escaping
      line: /origin="https:\/\/a\\"\.example" -> 200 actual denied \(/,
    },
  ];
  for (const { desc, req, status, acao, reason, line } of rows) {
    it(desc, async () => {
      const before = lines.length;
      const reply = await viaSocket(server.port, req);
      expect(reply.status, `${desc}: status: got ${reply.status}; want ${status}`).toBe(status);
      expect(header(reply, 'access-control-allow-origin'), `${desc}: acao`).toBe(acao);
      if (reason !== null) {
        const body = JSON.parse(reply.body) as { decision: { reason: string } };
        expect(body.decision.reason, `${desc}: body decision.reason: got ${body.decision.reason}; want ${reason}`).toBe(reason);
      }
      const got = lines.slice(before);
      expect(got.length === 1 && line.test(got[0] as string), `${desc}: log: got ${JSON.stringify(got)}; want one line matching ${line}`).toBe(true);
    });
  }
});

describe('corset serve', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'corset-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves until aborted, then exits 0', async () => {
    const file = path.join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify(POLICY));
    const out = sink();
    const err = sink();
    const ac = new AbortController();
    const exit = serve(['--policy', file, '--port', '0'], { stdout: out.stream, stderr: err.stream }, { signal: ac.signal });
    let url: string | undefined;
    for (let i = 0; i < 200 && url === undefined; i++) {
      url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out.text())?.[1];
      if (url === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    expect(url, `serve: no "on http://127.0.0.1:PORT" line in ${JSON.stringify(out.text())}`).toBeDefined();
    const reply = await viaFetch(Number(new URL(url as string).port), { method: 'GET', path: '/', headers: [['Origin', APP]] });
    ac.abort();
    expect([reply.status, header(reply, 'access-control-allow-origin'), await exit], 'serve: [status, acao, exit code]').toEqual([200, APP, 0]);
    expect(out.text(), 'serve: the request is logged').toMatch(/GET "\/" origin="https:\/\/app\.example\.com" -> 200 actual allowed \(ok\)/);
  });

  it('an invalid policy: the issues on stderr, exit 3, nothing listens', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ origins: '*', credentials: true }));
    const err = sink();
    const code = await serve(['--policy', file, '--port', '0'], { stdout: sink().stream, stderr: err.stream });
    expect([code, /wildcard-with-credentials/.test(err.text())], `serve(bad policy): [exit, stderr names the code]: stderr ${err.text()}`).toEqual([3, true]);
  });

  const usage: { desc: string; argv: string[]; error: RegExp }[] = [
    { desc: 'port out of range', argv: ['--port', '70000'], error: /--port "70000"/ },
    { desc: 'port not a number', argv: ['--port', '80a'], error: /--port/ },
    { desc: 'unknown flag', argv: ['--verbose'], error: /unknown option --verbose/ },
    { desc: 'stray argument', argv: ['policy.json'], error: /unexpected argument/ },
    { desc: 'publicOrigin with a path', argv: ['--port', '0', '--public-origin', 'https://api.example.com/'], error: /publicOrigin/ },
  ];
  for (const { desc, argv, error } of usage) {
    it(`usage error: ${desc} (exit 2, the message and the usage)`, async () => {
      const err = sink();
      const code = await serve(argv, { stdout: sink().stream, stderr: err.stream });
      expect(code, `serve(${JSON.stringify(argv)}): exit code`).toBe(2);
      expect(err.text()).toMatch(error);
      expect(err.text()).toContain('Usage: corset serve');
    });
  }

  it('an unreadable policy file: exit 3, no usage text', async () => {
    const err = sink();
    const code = await serve(['--policy', '/nonexistent/p.json'], { stdout: sink().stream, stderr: err.stream });
    expect(code).toBe(3);
    expect(err.text()).toMatch(/cannot read policy file "\/nonexistent\/p\.json": no such file/);
    expect(err.text()).not.toContain('Usage');
  });

  it('--help prints the usage and exits 0', async () => {
    const out = sink();
    const code = await serve(['--help'], { stdout: out.stream, stderr: sink().stream });
    expect([code, out.text().startsWith('Usage: corset serve')], 'serve --help: [exit, usage]').toEqual([0, true]);
  });
});
