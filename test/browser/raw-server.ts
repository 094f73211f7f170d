// A minimal HTTP/1.1 server on node:net, for the real-browser suite. Node's own HTTP parser
// refuses some methods a browser sends (`patch` in lower case, unknown tokens such as `QUERY2`),
// and a test of header handling needs the exact bytes of each response (repeated fields, odd
// whitespace, case): this server reads any method token and writes each response byte for byte.
// Every response closes its connection (`Connection: close`), so no request pipelining to parse.
import net from 'node:net';

export interface RawRequest {
  method: string;
  target: string;
  /** Names lower-cased; a repeated field joined with ", " (as a Fetch header list "get" does). */
  headers: Record<string, string>;
}

export interface RawResponse {
  status: number;
  /** Written in order, exactly; Content-Length and Connection: close are appended. */
  headers: [string, string][];
  body?: string;
}

export type Handler = (req: RawRequest) => RawResponse;

const REASON: Record<number, string> = { 200: 'OK', 204: 'No Content', 404: 'Not Found', 500: 'Internal Server Error' };

/** The header list the browser receives for `res` (what the server appends included). */
export function sentHeaders(res: RawResponse, _method: string): [string, string][] {
  const body = res.body ?? 'ok';
  const noBody = res.status === 204 || res.status === 304;
  const extra: [string, string][] = noBody ? [] : [['Content-Length', String(Buffer.byteLength(body))]];
  return [...res.headers, ...extra, ['Connection', 'close']];
}

function writeResponse(socket: net.Socket, method: string, res: RawResponse): void {
  const lines = [`HTTP/1.1 ${res.status} ${REASON[res.status] ?? 'Status'}`];
  for (const [name, value] of sentHeaders(res, method)) lines.push(`${name}: ${value}`);
  const noBody = res.status === 204 || res.status === 304 || method === 'HEAD';
  const body = noBody ? '' : (res.body ?? 'ok');
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}

function parseHead(head: string): RawRequest | null {
  const lines = head.split('\r\n');
  const requestLine = /^(\S+) (\S+) HTTP\/1\.[01]$/.exec(lines[0] ?? '');
  if (requestLine === null) return null;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { method: requestLine[1]!, target: requestLine[2]!, headers };
}

/** Serve `handler` on `host`:`port` (0: an ephemeral port); resolves with the bound port. */
export function listenRaw(handler: Handler, host: string, port = 0): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let handled = false;
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      if (handled) return;
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) {
        if (buffer.length > 64 * 1024) socket.destroy();
        return;
      }
      const req = parseHead(buffer.subarray(0, end).toString('latin1'));
      if (req === null) {
        handled = true;
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      const length = Number(req.headers['content-length'] ?? '0');
      if (buffer.length - (end + 4) < length) return; // wait for the body
      handled = true;
      let res: RawResponse;
      try {
        res = handler(req);
      } catch (e) {
        res = { status: 500, headers: [['Content-Type', 'text/plain']], body: String(e) };
      }
      writeResponse(socket, req.method, res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : port });
    });
  });
}
