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
  try {
    return JSON.parse(text) as CorsPolicyInit;
  } catch (err) {
    throw new UsageError(`policy file ${JSON.stringify(file)} is not valid JSON: ${(err as Error).message}`);
  }
}

/** One issue on two lines: severity, code and path, then the message. */
export function formatIssue(issue: PolicyIssue): string {
  return `${issue.severity === 'error' ? 'error  ' : 'warning'} ${issue.code} at ${issue.path}\n        ${issue.message}`;
}
