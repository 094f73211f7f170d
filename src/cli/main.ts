// The `corset` command line: check an origin against a policy, lint a policy, and (in their own
// modules) audit a log and benchmark. Exit codes: 0 allowed / clean, 1 denied / policy errors,
// 2 usage errors (unknown flag, missing argument, unreadable file).
import { isCorsSafelistedMethod, isMethodToken, normalizeMethod } from '../fetch/methods.js';
import { compilePolicy, lintPolicy } from '../policy/compile.js';
import { PolicyError } from '../policy/issues.js';
import type { CorsDecision } from '../types.js';
import { flagValue, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { EXAMPLE_POLICY, EXAMPLE_POLICY_NAME } from './example-policy.js';
import { formatIssue, readPolicyFile } from './policy-file.js';
import { serve, SERVE_USAGE } from './serve.js';
import { COMPILE_USAGE, runCompile } from './compile.js';
import { AUDIT_USAGE, runAudit } from './audit.js';
import { BENCH_USAGE, runBench } from './bench.js';
import { EXPORT_USAGE, runExport } from './export-sql.js';

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = `corset: CORS decisions, checked

Usage:
  corset check <origin> [--policy file.json] [--method M] [--header NAME]... [--url U] [--json]
  corset lint <policy.json> [--json]
  corset audit <file|-> --policy new.json [--against old.json] [--field N | --regex R] [--json]
  corset bench [--policy file.json] [--engine js|wasm|auto|all] [--size N] [--shape S] [--time ms] [--json]
  corset compile <policy.json> [--out file.json]
  corset export --sql DIALECT --column NAME --policy FILE [--matched]
  corset serve [--policy file.json] [--port N] [--host H] [--reject-denied] [--public-origin O]
  corset help [command]

Commands:
  check   Decide what a server with this policy answers a browser on <origin>: the preflight
          (when the browser would send one) and the actual request, with the exact headers.
          Without --policy, uses the built-in example policy (${EXAMPLE_POLICY_NAME}).
  lint    Print every problem in a policy file; exit 1 if any is an error.
  audit   Dry-run a policy over a file of Origin values or an access log: counts by verdict and
          reason, the top denied origins, and with --against what a policy change would break.
  bench   Measure corset's engines on a policy (or a generated one) against a Set.has floor.
  compile Validate a policy and write its origin rules as JSON for loadMatcher() in a page.
  export  Print the policy's origin rules as an SQL expression (duckdb, clickhouse, bigquery, postgres).
  serve   A loopback server that answers with a policy, to try a front end against it.

Exit codes: 0 allowed (check) or no errors (lint); 1 denied or errors; 2 bad usage.
`;

const CHECK_USAGE = `Usage: corset check <origin> [options]

Decide what a server with this policy answers a request from <origin> (an Origin header value,
e.g. https://test.b-cdn.net, or null).

Options:
  --policy FILE   a JSON policy (CorsPolicyInit); default: the built-in example policy
  --method M      the method the page uses (default GET); a non-safelisted one is preflighted
  --header NAME   a request header the page sets (repeatable); a non-safelisted one is preflighted
  --url U         the requested URL, to detect same-origin requests
  --json          print the decisions as JSON
`;

const LINT_USAGE = `Usage: corset lint <policy.json> [--json]

Print every error and warning in a policy file (a JSON CorsPolicyInit). Exit 1 on any error.
`;

const CHECK_FLAGS = {
  policy: { value: true },
  method: { value: true },
  header: { value: true, repeat: true },
  url: { value: true },
  json: { value: false },
  help: { value: false },
} as const;

const LINT_FLAGS = { json: { value: false }, help: { value: false } } as const;

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return help(rest[0], io);
      case 'check':
        return check(parseArgs(rest, CHECK_FLAGS), io);
      case 'lint':
        return lint(parseArgs(rest, LINT_FLAGS), io);
      case 'audit':
        return runAudit(rest, io);
      case 'bench':
        return runBench(rest, io);
      case 'compile':
        return runCompile(rest, io);
      case 'serve':
        return serve(rest, io);
      case 'export':
        return runExport(rest, io);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`corset: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

function help(topic: string | undefined, io: CliIO): number {
  const topics: Record<string, string> = { check: CHECK_USAGE, lint: LINT_USAGE, serve: SERVE_USAGE, compile: COMPILE_USAGE, audit: AUDIT_USAGE, bench: BENCH_USAGE, export: EXPORT_USAGE };
  const text = (topic !== undefined ? topics[topic] : undefined) ?? USAGE;
  io.stdout.write(text);
  return 0;
}

function lint(args: ParsedArgs, io: CliIO): number {
  if (args.flags.has('help')) return help('lint', io);
  const [file, extra] = args.positionals;
  if (file === undefined) throw new UsageError('lint needs a policy file');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  const issues = lintPolicy(readPolicyFile(file));
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (args.flags.has('json')) {
    io.stdout.write(`${JSON.stringify({ file, errors, warnings: issues.length - errors, issues }, null, 2)}\n`);
  } else if (issues.length === 0) {
    io.stdout.write(`${file}: no problems\n`);
  } else {
    io.stdout.write(`${issues.map(formatIssue).join('\n')}\n\n`);
    io.stdout.write(`${file}: ${errors} error(s), ${issues.length - errors} warning(s)\n`);
  }
  return errors > 0 ? 1 : 0;
}

function check(args: ParsedArgs, io: CliIO): number {
  if (args.flags.has('help')) return help('check', io);
  const [origin, extra] = args.positionals;
  if (origin === undefined) throw new UsageError('check needs an origin, e.g. corset check https://test.b-cdn.net');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  const policyFile = flagValue(args, 'policy');
  const init = policyFile === undefined ? EXAMPLE_POLICY : readPolicyFile(policyFile);
  let policy;
  try {
    policy = compilePolicy(init);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    io.stderr.write(`corset: the policy${policyFile ? ` in ${policyFile}` : ''} is invalid:\n${err.issues.map(formatIssue).join('\n')}\n`);
    return 2;
  }
  const rawMethod = flagValue(args, 'method') ?? 'GET';
  if (!isMethodToken(rawMethod)) throw new UsageError(`--method ${JSON.stringify(rawMethod)} is not a method name`);
  const method = normalizeMethod(rawMethod);
  const headers = (args.flags.get('header') ?? []).map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  const url = flagValue(args, 'url');

  // A page's request is preflighted when its method or a header it sets is not CORS-safelisted
  // (Fetch §4.1 main fetch, step 12, "CORS-preflight flag"). With header names only, any named
  // header counts as non-safelisted; the browser precheck (planFetch) judges values too.
  const preflightReasons: string[] = [];
  if (!isCorsSafelistedMethod(method)) preflightReasons.push(`method ${method} is not CORS-safelisted`);
  if (headers.length > 0) preflightReasons.push(`request header(s) ${headers.join(', ')}`);

  const preflight =
    preflightReasons.length > 0
      ? policy.decide({
          method: 'OPTIONS',
          origin,
          requestMethod: method,
          requestHeaders: headers.length > 0 ? [...new Set(headers)].sort().join(',') : null,
          ...(url !== undefined ? { url } : {}),
        })
      : null;
  const actual = policy.decide({ method, origin, ...(url !== undefined ? { url } : {}) });
  const allowed = (preflight === null || preflight.allowed) && actual.allowed;

  if (args.flags.has('json')) {
    io.stdout.write(`${JSON.stringify({ origin, method, policy: policyFile ?? EXAMPLE_POLICY_NAME, allowed, preflightReasons, preflight, actual }, null, 2)}\n`);
    return allowed ? 0 : 1;
  }
  const out: string[] = [];
  out.push(`policy:   ${policyFile ?? `built-in example (${EXAMPLE_POLICY_NAME})`}`);
  out.push(`request:  ${method} from ${JSON.stringify(origin)}${headers.length ? ` with ${headers.join(', ')}` : ''}${url ? ` to ${url}` : ''}`);
  out.push(`engine:   ${policy.engine}`);
  if (preflight === null) {
    out.push('', 'preflight: none (a simple request: safelisted method, no custom headers)');
  } else {
    out.push('', `preflight: ${preflightReasons.join('; ')}`, ...formatDecision(preflight));
  }
  if (preflight !== null && !preflight.allowed) {
    out.push('', 'actual request: never sent (the browser stops at the failed preflight)');
  } else {
    out.push('', 'actual request:', ...formatDecision(actual));
  }
  out.push('', allowed ? 'verdict: allowed — the page can read the response' : 'verdict: denied — the browser reports a CORS error (a network error; the page sees no status)');
  io.stdout.write(`${out.join('\n')}\n`);
  return allowed ? 0 : 1;
}

function formatDecision(d: CorsDecision): string[] {
  const lines = [
    `  kind:    ${d.kind}`,
    `  allowed: ${d.allowed} (${d.reason})`,
    `  matched: ${d.matched === null ? '-' : JSON.stringify(d.matched)}`,
  ];
  if (d.status !== null) lines.push(`  status:  ${d.status}`);
  const names = Object.keys(d.headers);
  lines.push(names.length === 0 ? '  headers: (none)' : '  headers:');
  for (const name of names) lines.push(`    ${name}: ${d.headers[name]}`);
  return lines;
}
