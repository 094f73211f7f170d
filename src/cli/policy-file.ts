// Reading a JSON policy file and printing policy issues: shared by every CLI command.
import { readFileSync } from 'node:fs';
import type { CorsPolicyInit, PolicyIssue } from '../types.js';
import { UsageError } from './args.js';

/** Read a JSON policy file (a CorsPolicyInit); unreadable or malformed files are usage errors. */
export function readPolicyFile(file: string): CorsPolicyInit {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read policy file ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`policy file ${JSON.stringify(file)} is not valid JSON: ${(err as Error).message}`);
  }
  return reviveRegExpOrigins(parsed, file) as CorsPolicyInit;
}

/**
 * The JSON form of a RegExp origin: `{ "regexp": "^https://(a|b)\\.example\\.com$", "flags": "i" }`
 * in `origins` (`flags` optional) becomes the RegExp, so the validator checks it like one written
 * in code. Anything else is left as it is, for the validator to judge.
 */
export function reviveRegExpOrigins(policy: unknown, file: string): unknown {
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) return policy;
  const origins = (policy as Record<string, unknown>)['origins'];
  if (!Array.isArray(origins)) return policy;
  const revived = origins.map((entry: unknown, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || !('regexp' in entry)) return entry;
    const where = `policy file ${JSON.stringify(file)}: origins[${i}]`;
    const record = entry as Record<string, unknown>;
    const extra = Object.keys(record).filter((k) => k !== 'regexp' && k !== 'flags');
    if (extra.length > 0) throw new UsageError(`${where}: a RegExp origin has the keys "regexp" and "flags" only, not ${JSON.stringify(extra[0])}`);
    const source = record['regexp'];
    const flags = record['flags'] ?? '';
    if (typeof source !== 'string' || typeof flags !== 'string') throw new UsageError(`${where}: "regexp" and "flags" must be strings`);
    try {
      return new RegExp(source, flags);
    } catch (err) {
      throw new UsageError(`${where}: ${JSON.stringify(source)} is not a JavaScript RegExp: ${(err as Error).message}`);
    }
  });
  return { ...(policy as Record<string, unknown>), origins: revived };
}

/** One issue on two lines: severity, code and path, then the message. */
export function formatIssue(issue: PolicyIssue): string {
  return `${issue.severity === 'error' ? 'error  ' : 'warning'} ${issue.code} at ${issue.path}\n        ${issue.message}`;
}
