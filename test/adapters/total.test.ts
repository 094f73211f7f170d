// The per-request functions are total: whatever strings arrive in Origin, Host,
// Access-Control-Request-*, X-Forwarded-* (empty, 100 KB, NUL, non-ASCII, lone surrogates), the
// adapter answers (a denial, never an allow) and never throws. Node's parser would refuse some of
// these on the wire; a caller that builds requests itself (a test, a proxy) may still pass them.
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { cors } from '../../src/adapters/node.js';
import { withCors } from '../../src/adapters/fetch.js';
import type { CorsDecision } from '../../src/types.js';

const APP = 'https://app.example.com';
const HOSTILE: { desc: string; value: string }[] = [
  { desc: 'empty', value: '' },
  { desc: '100 KB', value: 'https://' + 'a'.repeat(100 * 1024) },
  { desc: 'NUL', value: 'https://app.example.com\u0000' },
  { desc: 'non-ASCII', value: 'https://bücher.example' },
  { desc: 'lone surrogate', value: 'https://app.example.com\ud800' },
  { desc: 'allowed origin with a trailing space', value: APP + ' ' },
  { desc: 'allowed origin, upper case', value: 'https://APP.example.com' },
  { desc: 'null', value: 'null' },
];

function nodeRequest(method: string, headers: Record<string, string>): http.IncomingMessage {
  const req = new http.IncomingMessage(new net.Socket());
  req.method = method;
  req.headers = headers;
  return req;
}

describe('corset-cors/node is total over header strings', () => {
  const seen: CorsDecision[] = [];
  const handle = cors({ origins: [APP] }, { onDecision: (d) => void seen.push(d), trustProxy: true });
  for (const { desc, value } of HOSTILE) {
    for (const where of ['origin', 'host', 'x-forwarded-host', 'access-control-request-headers', 'access-control-request-method']) {
      it(`${where}: ${desc}`, () => {
        const headers: Record<string, string> = { origin: APP, host: 'api.example.com', 'access-control-request-method': 'GET' };
        headers[where] = value;
        for (const method of ['GET', 'OPTIONS']) {
          const req = nodeRequest(method, headers);
          const res = new http.ServerResponse(req);
          let answered: boolean | undefined;
          expect(() => (answered = handle(req, res)), `handle(${method}, ${where}=${desc}): threw`).not.toThrow();
          const d = seen[seen.length - 1] as CorsDecision;
          expect(answered, `handle(${method}, ${where}=${desc}): got ${answered}; want ${d.kind === 'preflight'}`).toBe(d.kind === 'preflight');
          const acao = res.getHeader('access-control-allow-origin');
          if (where === 'origin') {
            expect(d.allowed && d.kind !== 'not-cors', `${method} origin=${desc}: got ${d.reason}; want a denial`).toBe(false);
            expect(acao, `${method} origin=${desc}: access-control-allow-origin: got ${String(acao)}; want none`).toBe(undefined);
          }
        }
      });
    }
  }
});

describe('corset-cors/fetch is total over header strings a Request can hold', () => {
  const handler = withCors({ origins: [APP] }, () => new Response('ok'), { trustProxy: true });
  // A Fetch `Headers` refuses NUL and code points above U+00FF; what it accepts must be answered.
  const latin1 = HOSTILE.filter(({ value }) => [...value].every((ch) => ch.charCodeAt(0) <= 0xff && ch !== '\u0000'));
  for (const { desc, value } of latin1) {
    for (const where of ['origin', 'x-forwarded-host', 'access-control-request-headers', 'access-control-request-method']) {
      it(`${where}: ${desc}`, async () => {
        const headers = new Headers({ origin: APP, 'access-control-request-method': 'GET' });
        headers.set(where, value);
        for (const method of ['GET', 'OPTIONS']) {
          const res = await handler(new Request('https://api.example.com/', { method, headers }));
          const acao = res.headers.get('access-control-allow-origin');
          // Headers strips leading and trailing whitespace (Fetch §2.2 "normalize"), as Node's parser does.
          const want = headers.get('origin') === APP ? APP : null;
          if (where === 'origin') expect(acao, `${method} origin=${desc}: access-control-allow-origin: got ${acao}; want ${want}`).toBe(want);
          expect(res.status < 500, `${method} ${where}=${desc}: status ${res.status}`).toBe(true);
        }
      });
    }
  }
});
