// Two HTTP clients for the real-server tests, both speaking to 127.0.0.1 only: `fetch` (undici,
// as a gateway's own tests would) and a raw `node:net` socket for what fetch cannot send (two
// `Origin` lines, header blocks larger than any client default).
import net from 'node:net';

export interface Reply {
  status: number;
  /** Header fields by lower-case name; a repeated field keeps each line. */
  fields: Record<string, string[]>;
  body: string;
}

/** A header's value as one string (repeated lines joined with `, `), or null. */
export function header(reply: Reply, name: string): string | null {
  const v = reply.fields[name.toLowerCase()];
  return v === undefined ? null : v.join(', ');
}

export interface Outgoing {
  method: string;
  path: string;
  /** In order; a name may repeat (raw client only). */
  headers: [string, string][];
}

export async function viaFetch(port: number, req: Outgoing): Promise<Reply> {
  const headers = new Headers();
  for (const [k, v] of req.headers) headers.append(k, v);
  const res = await fetch(`http://127.0.0.1:${port}${req.path}`, { method: req.method, headers, redirect: 'manual' });
  const fields: Record<string, string[]> = {};
  res.headers.forEach((value, name) => {
    (fields[name] ??= []).push(value);
  });
  return { status: res.status, fields, body: await res.text() };
}

/** Sends the request as written, with `Connection: close`, and reads until the server closes. */
export function viaSocket(port: number, req: Outgoing, timeoutMs = 10_000): Promise<Reply> {
  let head = `${req.method} ${req.path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`;
  for (const [k, v] of req.headers) head += `${k}: ${v}\r\n`;
  head += '\r\n';
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`viaSocket(${req.method} ${req.path}): no complete reply within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err) => {
      clearTimeout(timer);
      // The server may answer (431) and reset before reading the whole request: keep the answer.
      if (chunks.length > 0) resolve(parseReply(Buffer.concat(chunks).toString('latin1'), req.method));
      else reject(err);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      resolve(parseReply(Buffer.concat(chunks).toString('latin1'), req.method));
    });
    socket.write(head);
  });
}

function parseReply(text: string, method: string): Reply {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`viaSocket: incomplete reply ${JSON.stringify(text.slice(0, 200))}`);
  const lines = text.slice(0, split).split('\r\n');
  const statusLine = lines.shift() ?? '';
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (m === null) throw new Error(`viaSocket: bad status line ${JSON.stringify(statusLine)}`);
  const fields: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    (fields[line.slice(0, colon).toLowerCase()] ??= []).push(line.slice(colon + 1).trim());
  }
  let body = text.slice(split + 4);
  if (method === 'HEAD') body = '';
  else if ((fields['transfer-encoding'] ?? []).join(',').toLowerCase().includes('chunked')) body = dechunk(body);
  return { status: Number(m[1]), fields, body };
}

function dechunk(s: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const eol = s.indexOf('\r\n', i);
    if (eol < 0) return out;
    const size = parseInt(s.slice(i, eol), 16);
    if (!(size > 0)) return out;
    out += s.slice(eol + 2, eol + 2 + size);
    i = eol + 2 + size + 2;
  }
}
