// The issue collector every policy check writes to: issues in the order they are found, and a
// count of the errors among them (an error refuses the policy).
import type { PolicyIssue } from '../types.js';
import { makeIssue, type PolicyIssueCode } from './issues.js';

/** Collects issues in the order they are found. */
export class Issues {
  readonly list: PolicyIssue[] = [];
  errors = 0;

  add(code: PolicyIssueCode, path: string, message: string): void {
    const issue = makeIssue(code, path, message);
    if (issue.severity === 'error') this.errors++;
    this.list.push(issue);
  }
}

/** An exception's message, for an issue; never throws itself. */
export function errorText(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'an unprintable exception';
  }
}
