// Reading a JSON policy file and printing policy issues: shared by every CLI command.
// A file that cannot be used is an InputError (exit 3) naming the file, and for a JSON syntax
// error its line and column; the file's bytes are never echoed to the terminal.
import { readFileSync } from 'node:fs';
import type { CorsPolicyInit, PolicyIssue } from '../types.js';
import { InputError, type FilePosition } from './errors.js';
import { jsonErrorOffset, jsonValueOffsets } from './json-position.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The 1-based line and column of a character offset in `text`. */
export function positionAt(text: string, offset: number): FilePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** What JSON.parse stumbled on, said without echoing the file's text. */
function describeJsonError(text: string): { position: FilePosition; what: string } {
  const found = jsonErrorOffset(text);
  const offset = found === -1 ? text.length : found;
  const position = positionAt(text, offset);
  if (offset >= text.length) return { position, what: 'the JSON ends too early (an unclosed bracket, brace or string?)' };
  const ch = text.charAt(offset);
  const shown = /[\x20-\x7e]/.test(ch) ? `'${ch}'` : `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const hint = ch === "'" ? ' (JSON strings use double quotes)' : /[A-Za-z_$]/.test(ch) ? ' (JSON keys are quoted: "origins")' : ch === '}' || ch === ']' ? ' (a trailing comma?)' : '';
  return { position, what: `unexpected ${shown}${hint}` };
}

/** Parse a policy file's bytes; `file` names it in errors. */
export function parsePolicyText(file: string, bytes: Uint8Array): CorsPolicyInit {
  if (bytes.length === 0) throw new InputError(`policy file ${JSON.stringify(file)} is empty: a policy is a JSON object such as {"origins": ["https://app.example.com"]}`, file);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new InputError(`policy file ${JSON.stringify(file)} is not UTF-8 text (a binary file?): a policy is a JSON object`, file);
  }
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    const position = positionAt(text, nul);
    throw new InputError(`${file}:${position.line}:${position.column}: policy file holds a NUL byte (a binary file?): a policy is a JSON object`, file, position);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const { position, what } = describeJsonError(text);
    throw new InputError(`${file}:${position.line}:${position.column}: policy file is not valid JSON: ${what}`, file, position);
  }
  const policy = reviveRegExpOrigins(parsed, file);
  if (policy !== null && typeof policy === 'object') sources.set(policy, { file, text, offsets: null });
  return policy as CorsPolicyInit;
}

interface PolicySource {
  readonly file: string;
  readonly text: string;
  /** Filled on the first issue to place (a clean policy of a million origins never pays for it). */
  offsets: Map<string, number> | null;
}

/** The file and text each parsed policy came from, so that an issue can name its line and column. */
const sources = new WeakMap<object, PolicySource>();

/**
 * Where in its file the value an issue names stands (`file:line:column` of `origins[1]`), for a
 * policy read by parsePolicyText; the nearest enclosing value when the named one is absent
 * (`origins` missing: the top-level object). Null for a policy that came from no file.
 */
export function issueLocation(policy: unknown, issue: PolicyIssue): { file: string; line: number; column: number } | null {
  if (policy === null || typeof policy !== 'object') return null;
  const source = sources.get(policy);
  if (source === undefined) return null;
  source.offsets ??= jsonValueOffsets(source.text);
  let path = issue.path;
  for (;;) {
    const offset = source.offsets.get(path);
    if (offset !== undefined) return { file: source.file, ...positionAt(source.text, offset) };
    if (path === '') return null;
    const cut = Math.max(path.lastIndexOf('['), path.lastIndexOf('.'));
    path = cut <= 0 ? '' : path.slice(0, cut);
  }
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
    if (extra.length > 0) throw new InputError(`${where}: a RegExp origin has the keys "regexp" and "flags" only, not ${JSON.stringify(extra[0])}`, file);
    const source = record['regexp'];
    const flags = record['flags'] ?? '';
    if (typeof source !== 'string' || typeof flags !== 'string') throw new InputError(`${where}: "regexp" and "flags" must be strings`, file);
    try {
      return new RegExp(source, flags);
    } catch (err) {
      throw new InputError(`${where}: ${JSON.stringify(source)} is not a JavaScript RegExp: ${(err as Error).message}`, file);
    }
  });
  return { ...(policy as Record<string, unknown>), origins: revived };
}

/** Read a JSON policy file (a CorsPolicyInit); unreadable or malformed files are InputErrors. */
export function readPolicyFile(file: string): CorsPolicyInit {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new InputError(`cannot read policy file ${JSON.stringify(file)}: ${why}`, file);
  }
  return parsePolicyText(file, bytes);
}

/**
 * An invalid policy (exit 3 for the commands that need a valid one): every error listed, each at
 * its line and column when `policy` was read from a file.
 */
export function invalidPolicy(file: string | undefined, issues: readonly PolicyIssue[], policy: unknown, suffix = ''): InputError {
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0] === undefined ? null : issueLocation(policy, errors[0]);
  return new InputError(
    `the policy${file === undefined ? '' : ` in ${file}`} is invalid${suffix}:\n${errors.map((i) => formatIssue(i, policy)).join('\n')}`,
    file ?? '',
    first === null ? null : { line: first.line, column: first.column },
    locatedIssues(errors, policy),
  );
}

/** Issues as JSON output gives them: each with `line` and `column` when its policy came from a file. */
export function locatedIssues(issues: readonly PolicyIssue[], policy: unknown): (PolicyIssue & { line?: number; column?: number })[] {
  return issues.map((issue) => {
    const at = issueLocation(policy, issue);
    return at === null ? issue : { ...issue, line: at.line, column: at.column };
  });
}

/**
 * One issue on two lines: `file:line:column:` when known, severity, code and path, then the
 * message.
 */
export function formatIssue(issue: PolicyIssue, policy?: unknown): string {
  const at = policy === undefined ? null : issueLocation(policy, issue);
  const where = at === null ? '' : `${at.file}:${at.line}:${at.column}: `;
  return `${where}${issue.severity === 'error' ? 'error  ' : 'warning'} ${issue.code} at ${issue.path}\n        ${issue.message}`;
}
