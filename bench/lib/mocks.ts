// Minimal request/response objects for driving middlewares without a server (issue 6: "Drive
// middlewares with minimal mock request/response objects, and measure that mock's own cost").
// Each holds only what the measured middlewares touch; a fresh set is built per request, as a
// server builds a fresh request per request, and the grid times building them on their own
// (the `mock:*` rows) so that their cost can be read off every middleware row.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { BenchRequest } from './requests.js';

const require = createRequire(import.meta.url);
/** jshttp/vary, the helper `cors`, `@koa/cors` and Koa itself use to append to `Vary`. */
const vary = require('vary') as (res: { getHeader(name: string): unknown; setHeader(name: string, value: string): unknown }, field: string) => void;

/** The host every request is addressed to (cross-origin for every generated origin). */
export const BENCH_HOST = 'api.example.net';
export const BENCH_PATH = '/v1/items';

/** Node's request headers object: lower-case names, string values. */
export type MockHeaders = Record<string, string>;

export function nodeHeaders(r: BenchRequest, origin: string): MockHeaders {
  const h: MockHeaders = { host: BENCH_HOST, origin };
  if (r.requestMethod !== null) h['access-control-request-method'] = r.requestMethod;
  if (r.requestHeaders !== null) h['access-control-request-headers'] = r.requestHeaders;
  return h;
}

/** The parts of `IncomingMessage` that `cors` and corset-cors/node read. */
export class MockRequest {
  readonly socket = null;
  readonly url = BENCH_PATH;
  constructor(
    readonly method: string,
    readonly headers: MockHeaders,
  ) {}
}

/** The parts of `ServerResponse` that `cors`, `vary` and corset-cors/node use; names stored lower-case. */
export class MockResponse {
  statusCode = 200;
  headersSent = false;
  ended = false;
  private readonly fields: Record<string, string | number | readonly string[]> = Object.create(null);
  private count = 0;
  private raw: readonly string[] | null = null;

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.fields[name.toLowerCase()] = value;
    this.count++;
    return this;
  }
  getHeader(name: string): string | number | readonly string[] | undefined {
    const key = name.toLowerCase();
    const raw = this.raw;
    if (raw !== null) for (let i = 0; i + 1 < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === key) return raw[i + 1];
    return this.fields[key];
  }
  hasHeader(name: string): boolean {
    return this.getHeader(name) !== undefined;
  }
  removeHeader(name: string): void {
    delete this.fields[name.toLowerCase()];
  }
  /**
   * As Node's: a raw `[name, value, ...]` array given while no header was set goes out as it is
   * (kept here by reference, readable through getHeader, as the test of each answer needs); with
   * headers already set, each of its fields replaces the set one of that name.
   */
  writeHead(status: number, headers?: readonly string[]): this {
    this.statusCode = status;
    if (headers !== undefined) {
      if (this.count === 0) this.raw = headers;
      else for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i] as string, headers[i + 1] as string);
    }
    this.headersSent = true;
    return this;
  }
  end(): this {
    if (!this.headersSent) this.writeHead(this.statusCode);
    this.ended = true;
    return this;
  }
}

export function asNodeRequest(req: MockRequest): IncomingMessage {
  return req as unknown as IncomingMessage;
}
export function asNodeResponse(res: MockResponse): ServerResponse {
  return res as unknown as ServerResponse;
}

/** Whether a response carries `Access-Control-Allow-Origin` (the grid's "allowed"). */
export function nodeAllowed(res: MockResponse): boolean {
  return res.getHeader('access-control-allow-origin') !== undefined;
}

/**
 * The parts of a Koa `Context` that `@koa/cors` uses, with Koa's own semantics: `get` reads a
 * request header ('' when absent), `set` and `vary` write the response, `status` sets the code.
 */
export class MockKoaContext {
  constructor(
    readonly req: MockRequest,
    readonly res: MockResponse,
  ) {}
  get method(): string {
    return this.req.method;
  }
  get(field: string): string {
    return this.req.headers[field.toLowerCase()] ?? '';
  }
  set(field: string, value: string): void {
    this.res.setHeader(field, value);
  }
  vary(field: string): void {
    if (!this.res.headersSent) vary(this.res, field);
  }
  set status(code: number) {
    this.res.statusCode = code;
  }
  get status(): number {
    return this.res.statusCode;
  }
}
