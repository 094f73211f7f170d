// `corset export --sql DIALECT --column NAME --policy FILE [--matched]`: print the policy's
// origin rules as one SQL expression (toSql, src/sql/to-sql.ts).
//
// Exit codes: 0 printed; 1 the policy has errors or a rule cannot be expressed in SQL; 2 bad usage.
import { PolicyError } from '../policy/issues.js';
import { SQL_DIALECTS, SqlExportError, toSql, type SqlDialect } from '../sql/to-sql.js';
import { flagValue, parseArgs, UsageError } from './args.js';
import { formatIssue, readPolicyFile } from './policy-file.js';

export interface ExportIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const EXPORT_USAGE = `Usage: corset export --sql DIALECT --column NAME --policy FILE [--matched]

Print an SQL expression over column NAME that is true exactly when the policy allows the value
(isOriginAllowed); with --matched, the allowing pattern as written, or NULL (matchOrigin).
Dialects: ${SQL_DIALECTS.join(', ')}.

Exit codes: 0 printed; 1 the policy has errors or cannot be expressed in SQL; 2 bad usage.
`;

const EXPORT_FLAGS = {
  sql: { value: true },
  column: { value: true },
  policy: { value: true },
  matched: { value: false },
  help: { value: false },
} as const;

export async function runExport(argv: readonly string[], io: ExportIO): Promise<number> {
  try {
    const args = parseArgs(argv, EXPORT_FLAGS);
    if (args.flags.has('help')) {
      io.stdout.write(EXPORT_USAGE);
      return 0;
    }
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    const dialect = flagValue(args, 'sql');
    if (dialect === undefined) throw new UsageError('export needs --sql DIALECT');
    if (!(SQL_DIALECTS as readonly string[]).includes(dialect)) {
      throw new UsageError(`--sql must be one of ${SQL_DIALECTS.join(', ')}, got ${JSON.stringify(dialect)}`);
    }
    const column = flagValue(args, 'column');
    if (column === undefined || column.trim() === '') throw new UsageError('export needs --column NAME');
    const file = flagValue(args, 'policy');
    if (file === undefined || file === '') throw new UsageError('export needs --policy FILE');
    const init = readPolicyFile(file);
    try {
      io.stdout.write(`${toSql(init, { dialect: dialect as SqlDialect, column, matched: args.flags.has('matched') })}\n`);
      return 0;
    } catch (err) {
      if (err instanceof PolicyError) {
        io.stderr.write(`${err.issues.map(formatIssue).join('\n')}\n`);
        return 1;
      }
      if (err instanceof SqlExportError) {
        io.stderr.write(`${err.message}\n`);
        return 1;
      }
      throw err;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`corset: ${err.message}\n\n${EXPORT_USAGE}`);
      return 2;
    }
    throw err;
  }
}
