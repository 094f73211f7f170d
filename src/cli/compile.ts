// `corset compile`: validate a JSON policy file and write it compiled ahead of time: its origin
// matcher for the browser matcher bundle (exportMatcher, src/policy/export.ts; the page loads it
// with `loadMatcher`, dist/browser/matcher.js), or with `--format policy` the whole policy for
// `loadPolicy` (exportPolicy, src/policy/export-policy.ts; corset-cors/edge). Either way the
// runtime that loads it never runs an unvalidated policy.
//
// Exit codes (src/cli/errors.ts): 0 written (warnings are printed, they do not stop it); 2 bad
// usage; 3 an unreadable file or an invalid policy (each error printed, nothing written); 4 the
// --out file cannot be written.
import { writeFileSync } from 'node:fs';
import { exportMatcher } from '../policy/export.js';
import { exportPolicy } from '../policy/export-policy.js';
import { PolicyError } from '../policy/issues.js';
import { lintPolicy } from '../compile/compile-policy.js';
import { flagValue, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { EnvironmentError, reportError, wantsJson } from './errors.js';
import { formatIssue, invalidPolicy, locatedIssues, readPolicyFile } from './policy-file.js';

export interface CompileIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const COMPILE_USAGE = `Usage: corset compile <policy.json> [--format matcher|policy] [--out FILE] [--json]

Validate a policy (a JSON CorsPolicyInit) and write it as JSON, compiled ahead of time:
  matcher (default)  its origin matcher, for the browser matcher bundle: in the page,
                     loadMatcher(exported) from corset-cors/browser/matcher answers
                     isOriginAllowed / matchOrigin / matchOrigins as compilePolicy would
  policy             the whole policy, for loadPolicy(exported) from corset-cors/edge: a Worker
                     serves it without the validator or the Public Suffix List (no RegExp origins)

Options:
  --format F   matcher or policy (default: matcher)
  --out FILE   write to FILE instead of standard output
  --json       print { file, format, out, bytes, warnings } on standard output (and the output
               itself as "compiled" when there is no --out); a failure as { error }

Examples:
  corset compile policy.json --out public/cors-matcher.json
  corset compile policy.json --format policy --out src/cors-policy.json --json

Exit codes: 0 written; 2 bad usage; 3 an unreadable file or an invalid policy (every error
printed, nothing written); 4 the --out file cannot be written.
`;

const COMPILE_FLAGS = { out: { value: true }, format: { value: true }, json: { value: false }, help: { value: false } } as const;

export async function runCompile(argv: readonly string[], io: CompileIO): Promise<number> {
  try {
    const args = parseArgs(argv, COMPILE_FLAGS);
    if (args.flags.has('help')) {
      io.stdout.write(COMPILE_USAGE);
      return 0;
    }
    return compile(args, io);
  } catch (err) {
    return reportError(err, io, COMPILE_USAGE, wantsJson(argv));
  }
}

function compile(args: ParsedArgs, io: CompileIO): number {
  const [file, extra] = args.positionals;
  if (file === undefined) throw new UsageError('compile needs a policy file');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  const out = flagValue(args, 'out');
  if (out === '') throw new UsageError('--out needs a file name');
  const format = flagValue(args, 'format') ?? 'matcher';
  if (format !== 'matcher' && format !== 'policy') throw new UsageError(`--format must be matcher or policy, got ${JSON.stringify(format)}`);
  const init = readPolicyFile(file);

  const json = args.flags.has('json');
  let compiled: ReturnType<typeof exportMatcher> | ReturnType<typeof exportPolicy>;
  try {
    compiled = format === 'policy' ? exportPolicy(init) : exportMatcher(init);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    throw invalidPolicy(file, err.issues, init, '; nothing written');
  }
  const text = `${JSON.stringify(compiled, null, 2)}\n`;
  const warnings = lintPolicy(init);
  if (warnings.length > 0) io.stderr.write(`${warnings.map((w) => formatIssue(w, init)).join('\n')}\n`);
  const summary = { file, format, out: out ?? null, bytes: Buffer.byteLength(text), warnings: locatedIssues(warnings, init) };

  if (out === undefined) {
    io.stdout.write(json ? `${JSON.stringify({ ...summary, compiled }, null, 2)}\n` : text);
    return 0;
  }
  try {
    writeFileSync(out, text);
  } catch (err) {
    throw new EnvironmentError(`cannot write ${JSON.stringify(out)}: ${(err as Error).message}`);
  }
  if (json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else io.stderr.write(`corset: wrote ${out} (${summary.bytes} bytes) from ${file}\n`);
  return 0;
}
