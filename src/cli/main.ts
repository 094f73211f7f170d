// The `corset` command line: check an origin against a policy, lint a policy, and (in their own
// modules) audit a log and benchmark. Exit codes (src/cli/errors.ts): 0 success, 1 the answer is
// "no" (denied, lint errors), 2 bad usage, 3 an input that cannot be used, 4 cannot write/listen.
import { readFileSync } from 'node:fs';
import { isCorsSafelistedMethod, isMethodToken, normalizeMethod } from '../fetch/methods.js';
import { compilePolicy, lintPolicy } from '../compile/compile-policy.js';
import { PolicyError } from '../policy/issues.js';
import type { CorsDecision, CorsPolicy } from '../types.js';
import { flagValue, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { EXIT, reportError, wantsJson } from './errors.js';
import { EXAMPLE_POLICY, EXAMPLE_POLICY_NAME } from './example-policy.js';
import { explainInvalidOrigin } from './origin-hint.js';
import { formatIssue, invalidPolicy, locatedIssues, readPolicyFile } from './policy-file.js';
import { serve, SERVE_USAGE } from './serve.js';
import { COMPILE_USAGE, runCompile } from './compile.js';
import { AUDIT_USAGE, runAudit } from './audit.js';
import { BENCH_USAGE, runBench } from './bench.js';
import { ORIGINS_USAGE, runOrigins } from './origins.js';
import { EXPORT_USAGE, runExport } from './export-sql.js';

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Read by `corset audit -`; the bin passes process.stdin. */
  stdin?: NodeJS.ReadableStream;
}

const USAGE = `corset: CORS decisions, checked

Usage:
  corset check <origin> [--policy file.json] [--method M] [--header NAME]... [--url U] [--json]
  corset lint <policy.json> [--json]
  corset audit <file|-> --policy new.json [--against old.json] [--field N | --regex R] [--json]
  corset audit --engine duckdb --log FILE --policy new.json [--against old.json] [--column NAME] [--json]
  corset bench [--policy file.json] [--engine js|wasm|auto|all] [--size N] [--shape S] [--time ms] [--json]
  corset compile <policy.json> [--out file.json]
  corset export --sql DIALECT --column NAME --policy FILE [--matched]
  corset serve [--policy file.json] [--port N] [--host H] [--reject-denied] [--public-origin O]
  corset origins add|remove|list --redis URL [ORIGIN...]
  corset help [command]
  corset --version

Examples:
  corset check https://app.example.com --policy policy.json --method PUT --header content-type
  corset lint policy.json
  zcat access.log.gz | corset audit - --policy policy.json --field 12

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
  origins Add, remove or list the origins a fleet of gateways shares in Redis (corset-cors/redis).

Exit codes: 0 success (allowed, no errors, done); 1 the answer is no (denied, lint errors,
an audited change breaks an origin); 2 bad usage; 3 an input file cannot be used (unreadable,
not JSON, an invalid policy); 4 cannot write the output or listen on the port.

Run corset help <command> for its options.
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

Examples:
  corset check https://test.b-cdn.net
  corset check https://app.example.com --policy policy.json --method PUT --header content-type
  corset check null --policy policy.json --json

Exit codes: 0 allowed; 1 denied; 2 bad usage; 3 the policy file cannot be used.
`;

const LINT_USAGE = `Usage: corset lint <policy.json> [--json]

Print every error and warning in a policy file (a JSON CorsPolicyInit).

Example:
  corset lint policy.json --json

Exit codes: 0 no errors (warnings allowed); 1 errors; 2 bad usage; 3 the file is unreadable or
not JSON.
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

const TOPICS: Readonly<Record<string, string>> = { check: CHECK_USAGE, lint: LINT_USAGE, serve: SERVE_USAGE, compile: COMPILE_USAGE, audit: AUDIT_USAGE, bench: BENCH_USAGE, origins: ORIGINS_USAGE, export: EXPORT_USAGE };

/** The package version, read from package.json next to dist/ (or src/). */
export function packageVersion(): string {
  // dist/cli.js in the package, src/cli/main.ts in the repository.
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'corset-cors' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not this level
    }
  }
  return 'unknown';
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  const usage = (command !== undefined && TOPICS[command]) || USAGE;
  try {
    // Each command is awaited here, so that an async command's rejection is caught below.
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return help(rest, io);
      case '--version':
      case '-V':
      case 'version':
        io.stdout.write(`corset ${packageVersion()}\n`);
        return EXIT.ok;
      case 'check':
        return await check(parseArgs(rest, CHECK_FLAGS), io);
      case 'lint':
        return lint(parseArgs(rest, LINT_FLAGS), io);
      case 'audit':
        return await runAudit(rest, io);
      case 'bench':
        return await runBench(rest, io);
      case 'compile':
        return await runCompile(rest, io);
      case 'serve':
        return await serve(rest, io);
      case 'origins':
        return await runOrigins(rest, io);
      case 'export':
        return await runExport(rest, io);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    return reportError(err, io, usage, wantsJson(rest));
  }
}

function help(rest: readonly string[], io: CliIO): number {
  const [topic, extra] = rest;
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  if (topic === undefined) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const text = TOPICS[topic];
  if (text === undefined) throw new UsageError(`unknown help topic ${JSON.stringify(topic)}: want one of ${Object.keys(TOPICS).join(', ')}`);
  io.stdout.write(text);
  return EXIT.ok;
}

function lint(args: ParsedArgs, io: CliIO): number {
  if (args.flags.has('help')) return help(['lint'], io);
  const [file, extra] = args.positionals;
  if (file === undefined) throw new UsageError('lint needs a policy file');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  const init = readPolicyFile(file);
  const issues = lintPolicy(init);
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (args.flags.has('json')) {
    io.stdout.write(`${JSON.stringify({ file, errors, warnings: issues.length - errors, issues: locatedIssues(issues, init) }, null, 2)}\n`);
  } else if (issues.length === 0) {
    io.stdout.write(`${file}: no problems\n`);
  } else {
    io.stdout.write(`${issues.map((i) => formatIssue(i, init)).join('\n')}\n\n`);
    io.stdout.write(`${file}: ${errors} error(s), ${issues.length - errors} warning(s)\n`);
  }
  return errors > 0 ? EXIT.no : EXIT.ok;
}

function check(args: ParsedArgs, io: CliIO): number {
  if (args.flags.has('help')) return help(['check'], io);
  const [origin, extra] = args.positionals;
  if (origin === undefined) throw new UsageError('check needs an origin, e.g. corset check https://test.b-cdn.net');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  const policyFile = flagValue(args, 'policy');
  const init = policyFile === undefined ? EXAMPLE_POLICY : readPolicyFile(policyFile);
  let policy: CorsPolicy;
  try {
    policy = compilePolicy(init);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    throw invalidPolicy(policyFile, err.issues, init);
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
  // Why, in the user's words: what is wrong with an invalid origin (the lint's own hints), and
  // which of the requested headers the policy does not allow (one preflight per header).
  const originHint = actual.reason === 'invalid-origin' ? explainInvalidOrigin(origin) : null;
  const deniedHeaders =
    preflight !== null && preflight.reason === 'headers-not-allowed'
      ? [...new Set(headers)].filter((h) => policy.decide({ method: 'OPTIONS', origin, requestMethod: method, requestHeaders: h, ...(url !== undefined ? { url } : {}) }).reason === 'headers-not-allowed')
      : [];

  if (args.flags.has('json')) {
    io.stdout.write(
      `${JSON.stringify({ origin, method, policy: policyFile ?? EXAMPLE_POLICY_NAME, allowed, preflightReasons, preflight, actual, originHint, deniedHeaders }, null, 2)}\n`,
    );
    return allowed ? EXIT.ok : EXIT.no;
  }
  const out: string[] = [];
  out.push(`policy:   ${policyFile ?? `built-in example (${EXAMPLE_POLICY_NAME})`}`);
  out.push(`request:  ${method} from ${JSON.stringify(origin)}${headers.length ? ` with ${headers.join(', ')}` : ''}${url ? ` to ${url}` : ''}`);
  out.push(`engine:   ${policy.engine}`);
  if (preflight === null) {
    out.push('', 'preflight: none (a simple request: safelisted method, no custom headers)');
  } else {
    out.push('', `preflight: ${preflightReasons.join('; ')}`, ...formatDecision(preflight));
    if (deniedHeaders.length > 0) out.push(`  denied headers: ${deniedHeaders.join(', ')} (add them to the policy's allowHeaders, or stop sending them)`);
  }
  if (preflight !== null && !preflight.allowed) {
    out.push('', 'actual request: never sent (the browser stops at the failed preflight)');
  } else {
    out.push('', 'actual request:', ...formatDecision(actual));
  }
  if (originHint !== null) out.push('', `origin: ${originHint}`);
  out.push('', allowed ? 'verdict: allowed — the page can read the response' : 'verdict: denied — the browser reports a CORS error (a network error; the page sees no status)');
  io.stdout.write(`${out.join('\n')}\n`);
  return allowed ? EXIT.ok : EXIT.no;
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
