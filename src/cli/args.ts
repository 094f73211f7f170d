// A small, strict argument parser for the corset CLI: known flags only, values where declared,
// repeatable flags collected, and a UsageError (exit code 2) for anything else.

import { UsageError } from './errors.js';

export { UsageError };

export interface FlagSpec {
  /** Takes a value (`--policy file.json` or `--policy=file.json`). */
  readonly value: boolean;
  /** May be given more than once (values are collected). */
  readonly repeat?: boolean;
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string[]>;
}

export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-' && arg !== '-h') throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
      if (arg === '-h') flags.set('help', ['']);
      else positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const flag = spec[name];
    if (flag === undefined) throw new UsageError(`unknown option --${name}`);
    let value = '';
    if (flag.value) {
      if (eq !== -1) value = arg.slice(eq + 1);
      else {
        const next = argv[i + 1];
        if (next === undefined) throw new UsageError(`--${name} needs a value`);
        value = next;
        i++;
      }
    } else if (eq !== -1) {
      throw new UsageError(`--${name} takes no value`);
    }
    const seen = flags.get(name);
    if (seen !== undefined && !flag.repeat) throw new UsageError(`--${name} given twice`);
    flags.set(name, [...(seen ?? []), value]);
  }
  return { positionals, flags };
}

export function flagValue(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.[0];
}
