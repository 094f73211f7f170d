// `corset export --sql DIALECT --column NAME --policy FILE [--matched]`: print the policy's
// origin rules as one SQL expression (toSql, src/sql/to-sql.ts).
//
// Exit codes (src/cli/errors.ts): 0 printed; 2 bad usage; 3 the policy file cannot be used (unreadable,
// invalid, or a rule SQL cannot express).
import { PolicyError } from '../policy/issues.js';
import { SQL_DIALECTS, SqlExportError, toSql, type SqlDialect } from '../sql/to-sql.js';
import { flagValue, parseArgs, UsageError } from './args.js';
import { InputError, reportError, wantsJson } from './errors.js';
import { invalidPolicy, readPolicyFile } from './policy-file.js';

export interface ExportIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const EXPORT_USAGE = `Usage: corset export --sql DIALECT --column NAME --policy FILE [--matched] [--json]

Print an SQL expression over column NAME that is true exactly when the policy allows the value
(isOriginAllowed); with --matched, the allowing pattern as written, or NULL (matchOrigin).
Dialects: ${SQL_DIALECTS.join(', ')}.

Options:
  --sql DIALECT   the SQL dialect
  --column NAME   the column (or expression) holding the Origin value
  --policy FILE   a JSON policy (CorsPolicyInit)
  --matched       the matching pattern instead of true/false
  --json          print { dialect, column, matched, sql } as JSON

Examples:
  corset export --sql duckdb --column origin --policy policy.json
  corset export --sql postgres --column "headers->>'origin'" --policy policy.json --matched

Exit codes: 0 printed; 2 bad usage; 3 the policy file cannot be used (unreadable, invalid, or a
rule SQL cannot express).
`;

const EXPORT_FLAGS = {
  sql: { value: true },
  column: { value: true },
  policy: { value: true },
  matched: { value: false },
  json: { value: false },
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
    const matched = args.flags.has('matched');
    let sql: string;
    try {
      sql = toSql(init, { dialect: dialect as SqlDialect, column, matched });
    } catch (err) {
      if (err instanceof PolicyError) throw invalidPolicy(file, err.issues, init);
      if (err instanceof SqlExportError) throw new InputError(err.message.replace(/^corset: /, ''), file);
      throw err;
    }
    io.stdout.write(args.flags.has('json') ? `${JSON.stringify({ dialect, column, matched, sql }, null, 2)}\n` : `${sql}\n`);
    return 0;
  } catch (err) {
    return reportError(err, io, EXPORT_USAGE, wantsJson(argv));
  }
}
