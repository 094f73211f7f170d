// `corset serve`: a small local HTTP server that answers every request the way a server with this
// policy would, for trying a front end against a policy before deploying it. Preflights are
// answered by corset-cors/node exactly as in production; any other request gets a 200 JSON body
// naming the decision, so the page (when the policy lets it read the response) and the terminal
// both show what happened. One line per request on stdout. Listens on 127.0.0.1 unless told
// otherwise; stops on SIGINT/SIGTERM (or the caller's AbortSignal).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cors } from '../adapters/node.js';
import { resolvePolicy } from '../adapters/policy-argument.js';
import { PolicyError } from '../policy/issues.js';
import type { CorsDecision, CorsPolicy, CorsPolicyInit } from '../types.js';
import { flagValue, parseArgs, UsageError } from './args.js';
import { EXAMPLE_POLICY, EXAMPLE_POLICY_NAME } from './example-policy.js';
import { createLivePolicy, type LivePolicy } from '../live/live-policy.js';
import { watchPolicyFile } from '../live/watch-policy-file.js';
import { EnvironmentError, reportError } from './errors.js';
import { formatIssue, invalidPolicy, readPolicyFile } from './policy-file.js';

export interface ServeIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const SERVE_USAGE = `Usage: corset serve [--policy FILE [--watch]] [--port N] [--host H] [--reject-denied] [--public-origin O]

Run a local HTTP server that answers as a server with this policy would: preflights exactly as in
production (corset-cors/node), every other request with 200 and a JSON body naming the decision.
One line per request on stdout. Stop with Ctrl-C.

Options:
  --policy FILE        a JSON policy (CorsPolicyInit); default: the built-in example policy
  --watch              reload the policy file when it changes (atomically; an invalid edit is
                       reported with every problem and the running policy stays)
  --port N             default 8787; 0 picks a free port
  --host H             default 127.0.0.1 (loopback only)
  --reject-denied      answer denied cross-origin requests with 403 (adapter option rejectDenied)
  --public-origin O    this server's origin as pages see it (adapter option publicOrigin)

Example:
  corset serve --policy policy.json --port 8787

Exit codes: 0 stopped; 2 bad usage (a bad port, a public origin with a path); 3 the policy file
cannot be used; 4 cannot listen on the host and port.
`;

const SERVE_FLAGS = {
  policy: { value: true },
  watch: { value: false },
  port: { value: true },
  host: { value: true },
  'reject-denied': { value: false },
  'public-origin': { value: true },
  help: { value: false },
} as const;

export const DEFAULT_SERVE_PORT = 8787;

export interface PolicyServerOptions {
  port?: number;
  host?: string;
  rejectDenied?: boolean;
  publicOrigin?: string;
  /** One line per request. */
  log?: (line: string) => void;
}

export interface PolicyServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Untrusted header text for a terminal line: quoted and escaped (no control characters), capped. */
const LOG_VALUE_CAP = 300;
function shown(value: string | undefined): string {
  if (value === undefined) return '-';
  const capped = value.length > LOG_VALUE_CAP ? `${value.slice(0, LOG_VALUE_CAP)}…(${value.length} chars)` : value;
  return JSON.stringify(capped);
}

/**
 * Starts the server. A `PolicyError` (invalid policy) or `TypeError` (bad option) is thrown before
 * anything listens.
 */
export async function startPolicyServer(policy: CorsPolicyInit | CorsPolicy, options: PolicyServerOptions = {}): Promise<PolicyServer> {
  const compiled = resolvePolicy(policy, 'startPolicyServer');
  const log = options.log ?? (() => {});
  let last: CorsDecision | null = null;
  const handle = cors(compiled, {
    rejectDenied: options.rejectDenied ?? false,
    ...(options.publicOrigin === undefined ? {} : { publicOrigin: options.publicOrigin }),
    onDecision: (decision) => {
      last = decision;
    },
  });
  const server = http.createServer((req, res) => {
    last = null;
    const answered = handle(req, res);
    const d = last as CorsDecision | null;
    const origin = req.headers.origin;
    const verdict = d === null ? 'no decision' : `${d.kind} ${d.allowed ? 'allowed' : 'denied'} (${d.reason})`;
    const status = answered ? res.statusCode : 200;
    log(`${req.method ?? '-'} ${shown(req.url)} origin=${shown(origin)} -> ${status} ${verdict}`);
    if (answered) return;
    res.setHeader('content-type', 'application/json');
    res.end(
      `${JSON.stringify({
        method: req.method,
        path: req.url,
        origin: origin ?? null,
        decision: d === null ? null : { kind: d.kind, allowed: d.allowed, reason: d.reason, matched: d.matched },
      })}\n`,
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_SERVE_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The `serve` command. Resolves with the exit code once the server has stopped (0), or at once
 * with 2 (usage), 3 (policy file) or 4 (cannot listen), the message printed.
 */
export async function serve(argv: readonly string[], io: ServeIO, options: { signal?: AbortSignal } = {}): Promise<number> {
  try {
    return await serveCommand(argv, io, options);
  } catch (err) {
    return reportError(err, io, SERVE_USAGE, false);
  }
}

async function serveCommand(argv: readonly string[], io: ServeIO, options: { signal?: AbortSignal }): Promise<number> {
  const args = parseArgs(argv, SERVE_FLAGS);
  if (args.flags.has('help')) {
    io.stdout.write(SERVE_USAGE);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
  const portText = flagValue(args, 'port');
  const port = portText === undefined ? DEFAULT_SERVE_PORT : Number(portText);
  if (portText !== undefined && !(/^[0-9]{1,5}$/.test(portText) && port <= 65535)) {
    throw new UsageError(`--port ${JSON.stringify(portText)} is not a port number (0 to 65535)`);
  }
  const policyFile = flagValue(args, 'policy');
  const init = policyFile === undefined ? EXAMPLE_POLICY : readPolicyFile(policyFile);
  const host = flagValue(args, 'host') ?? '127.0.0.1';
  const publicOrigin = flagValue(args, 'public-origin');
  const watching = args.flags.has('watch');
  if (watching && policyFile === undefined) throw new UsageError('--watch needs --policy FILE');

  let server: PolicyServer;
  let live: LivePolicy | null = null;
  try {
    if (watching) live = createLivePolicy(init);
    server = await startPolicyServer(live ?? init, {
      port,
      host,
      rejectDenied: args.flags.has('reject-denied'),
      ...(publicOrigin === undefined ? {} : { publicOrigin }),
      log: (line) => io.stdout.write(`${line}\n`),
    });
  } catch (err) {
    if (err instanceof PolicyError) throw invalidPolicy(policyFile, err.issues, init);
    if (err instanceof TypeError) throw new UsageError(err.message.replace(/^corset: /, ''));
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new EnvironmentError(`cannot listen on ${host}:${port}: ${(err as Error).message}`);
    }
    throw err;
  }
  io.stdout.write(
    `corset serve: ${policyFile === undefined ? `built-in example policy (${EXAMPLE_POLICY_NAME})` : policyFile} on ${server.url}${live === null ? '' : ' (watching for changes)'}\n`,
  );
  const watcher =
    live === null || policyFile === undefined
      ? null
      : watchPolicyFile(policyFile, live, {
          onReload: (version) => io.stdout.write(`corset serve: ${policyFile} reloaded (version ${version})\n`),
          onError: (err) => {
            const detail = err instanceof PolicyError ? err.issues.map((i) => formatIssue(i)).join('\n') : err.message.replace(/^corset: /, '');
            io.stderr.write(`corset serve: ${policyFile}: the edit was not applied, the running policy stays:\n${detail}\n`);
          },
        });

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (options.signal?.aborted) return stop();
    options.signal?.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  watcher?.close();
  await server.close();
  return 0;
}

/** A JSON policy file; unreadable or malformed files are usage errors. */
