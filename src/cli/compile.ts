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
import { EnvironmentError, reportError } from './errors.js';
import { formatIssue, invalidPolicy, readPolicyFile } from './policy-file.js';

export interface CompileIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const COMPILE_USAGE = `Usage: corset compile <policy.json> [--format matcher|policy] [--out FILE]

Validate a policy (a JSON CorsPolicyInit) and write it as JSON, compiled ahead of time:
  matcher (default)  its origin matcher, for the browser matcher bundle: in the page,
                     loadMatcher(exported) from corset-cors/browser/matcher answers
                     isOriginAllowed / matchOrigin / matchOrigins as compilePolicy would
  policy             the whole policy, for loadPolicy(exported) from corset-cors/edge: a Worker
                     serves it without the validator or the Public Suffix List (no RegExp origins)

Options:
  --format F   matcher or policy (default: matcher)
  --out FILE   write to FILE instead of standard output

Examples:
  corset compile policy.json --out public/cors-matcher.json
  corset compile policy.json --format policy --out src/cors-policy.json

Exit codes: 0 written; 2 bad usage; 3 an unreadable file or an invalid policy (every error
printed, nothing written); 4 the --out file cannot be written.
`;

const COMPILE_FLAGS = { out: { value: true }, format: { value: true }, help: { value: false } } as const;

export async function runCompile(argv: readonly string[], io: CompileIO): Promise<number> {
  try {
    const args = parseArgs(argv, COMPILE_FLAGS);
    if (args.flags.has('help')) {
      io.stdout.write(COMPILE_USAGE);
      return 0;
    }
    return compile(args, io);
  } catch (err) {
    return reportError(err, io, COMPILE_USAGE, false);
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

  let text: string;
  try {
    text = `${JSON.stringify(format === 'policy' ? exportPolicy(init) : exportMatcher(init), null, 2)}\n`;
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    throw invalidPolicy(file, err.issues, '; nothing written');
  }
  const warnings = lintPolicy(init);
  if (warnings.length > 0) io.stderr.write(`${warnings.map(formatIssue).join('\n')}\n`);

  if (out === undefined) {
    io.stdout.write(text);
    return 0;
  }
  try {
    writeFileSync(out, text);
  } catch (err) {
    throw new EnvironmentError(`cannot write ${JSON.stringify(out)}: ${(err as Error).message}`);
  }
  io.stderr.write(`corset: wrote ${out} (${Buffer.byteLength(text)} bytes) from ${file}\n`);
  return 0;
}
