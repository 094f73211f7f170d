// The CLI's failures and its exit codes: one meaning per code, for every command.
//
//   0  success: allowed (check), no errors (lint), written (compile), done (audit, bench, serve)
//   1  the answer is "no": check denied, lint found errors, audit --against breaks an origin
//   2  bad usage: unknown command, topic or option, a missing argument, a bad option value
//   3  an input cannot be used: a policy file that is unreadable, empty, binary, not JSON or an
//      invalid policy (check, compile, audit, bench, serve), or an unreadable log (audit)
//   4  the environment refused: cannot write the --out file, cannot listen on the port

/** The exit codes of the `corset` command, by meaning. */
export const EXIT = Object.freeze({ ok: 0, no: 1, usage: 2, input: 3, environment: 4 });

/** Bad usage (exit 2): printed with the command's usage text. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Where in a file a problem is (1-based line and column). */
export interface FilePosition {
  readonly line: number;
  readonly column: number;
}

/** An input the command cannot use (exit 3): printed alone, no usage text after it. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly file: string,
    readonly position: FilePosition | null = null,
    readonly issues: readonly unknown[] = [],
  ) {
    super(message);
  }
}

/** The environment refused (exit 4): cannot write a file, cannot listen. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

export interface ErrorIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Print a CLI failure and return its exit code; anything else is rethrown (a bug, not a user
 * error). With `json`, stdout also gets `{ "error": { kind, message, file?, line?, column?, issues? } }`
 * so that a script reading stdout always gets JSON.
 */
export function reportError(err: unknown, io: ErrorIO, usage: string, json: boolean, prefix = 'corset'): number {
  let code: number;
  let kind: string;
  if (err instanceof UsageError) {
    code = EXIT.usage;
    kind = 'usage';
    io.stderr.write(`${prefix}: ${err.message}\n\n${usage}`);
  } else if (err instanceof InputError) {
    code = EXIT.input;
    kind = 'input';
    io.stderr.write(`${prefix}: ${err.message}\n`);
  } else if (err instanceof EnvironmentError) {
    code = EXIT.environment;
    kind = 'environment';
    io.stderr.write(`${prefix}: ${err.message}\n`);
  } else {
    throw err;
  }
  if (json) {
    const error: Record<string, unknown> = { kind, exitCode: code, message: (err as Error).message };
    if (err instanceof InputError) {
      error.file = err.file;
      if (err.position !== null) Object.assign(error, err.position);
      if (err.issues.length > 0) error.issues = err.issues;
    }
    io.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
  }
  return code;
}

/** Whether argv asks for JSON output (before or after parsing fails). */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json');
}
