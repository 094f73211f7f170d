// `corset audit`: before changing a policy, ask "whose requests would this break?". Streams a file
// of Origin values (one per line) or an access log (--field N / --regex R picks the Origin out of
// each line) through the bulk bytes path of the engines (no JS string per origin), in bounded
// memory, and prints counts by verdict and reason, the patterns that matched, the top denied
// origins, and with --against the origins the old policy allowed and the new one denies (and the
// reverse). A dry run of the new policy over real traffic, like a shadow mode.
//
// Each verdict is exactly what the compiled policy's isOriginAllowed / matchOrigin says for that
// line (test/cli-audit.test.ts compares them line by line).
//
// Exit codes (src/cli/errors.ts): 0 done; 1 with --against, the new policy denies an origin the
// old one allowed; 2 bad usage; 3 an unreadable input or policy file, or an invalid policy.
import { createReadStream, statSync } from 'node:fs';
import { createLineMatcher, type LineMatcher } from '../engine/bulk.js';
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import type { OriginRule, ValidatedPolicy } from '../policy/rules.js';
import { MATCH_INVALID } from '../policy/rules.js';
import { validatePolicy } from '../policy/validate.js';
import { flagValue, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { InputError, reportError, wantsJson } from './errors.js';
import { invalidPolicy, readPolicyFile } from './policy-file.js';

export interface AuditIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Read when the file argument is `-`. */
  stdin?: NodeJS.ReadableStream;
  /** How `--engine duckdb` loads @duckdb/node-api (a test simulates a missing package). */
  loadDuckdb?: () => Promise<typeof import('@duckdb/node-api')>;
}

export const AUDIT_USAGE = `Usage: corset audit <file|-> --policy new.json [--against old.json] [--field N | --regex R] [--json]
       corset audit --engine duckdb --log FILE --policy new.json [--against old.json] [--column NAME] [--json]

Dry-run a policy over real traffic: read Origin values (one per line) or an access log, and report
what the policy would allow and deny. With --against, list the origins the old policy allowed and
the new one denies, and the reverse: run this before rolling out a policy change.

Options:
  --policy FILE    the policy to audit (a JSON CorsPolicyInit)
  --against FILE   the policy in use today, to compare with
  --field N        the Origin is the Nth whitespace-separated field of each line (1-based; -1 or
                   "last" is the last field, -2 the one before; a pair of double quotes around it
                   is dropped; "-" or a missing field is no Origin)
  --regex R        the Origin is the first capture group (or the whole match) of R in each line
                   (no match, an empty or a "-" capture is no Origin)
  --top N          how many origins to list in each top list (default 10)
  --engine E       auto (default), wasm or js; or duckdb, with --log
  --log FILE       with --engine duckdb: a CSV (with a header), JSON lines or Parquet log, or a
                   glob of them, read in parallel by DuckDB (npm install @duckdb/node-api)
  --column NAME    with --log: the Origin's column or JSON key (default origin); a NULL, missing,
                   empty or "-" value is no Origin
  --format F       with --log: csv, json or parquet (default: from the file name)
  --threads N      with --log: DuckDB's thread count (default: every core)
  --json           print the report as JSON

Progress goes to stderr when it is a terminal, and stays quiet when piped.

Examples:
  corset audit origins.txt --policy policy.json
  # nginx: log_format cors '$remote_addr [$time_local] "$request" $status "$http_origin"';
  corset audit /var/log/nginx/access.log --policy policy.json --field last
  # Apache: LogFormat "%h %l %u %t "%r" %>s %b "%{Origin}i"" cors
  zcat access.log.gz | corset audit - --policy new.json --against old.json --field -1
  corset audit --engine duckdb --log 'logs/*.parquet' --column origin --policy new.json --against old.json

Exit codes: 0 done; 1 the new policy denies an origin the old one allowed (--against);
2 bad usage; 3 an unreadable file or an invalid policy.
`;

const AUDIT_FLAGS = {
  policy: { value: true },
  against: { value: true },
  field: { value: true },
  regex: { value: true },
  top: { value: true },
  engine: { value: true },
  log: { value: true },
  column: { value: true },
  format: { value: true },
  threads: { value: true },
  json: { value: false },
  help: { value: false },
} as const;

/** Reasons, from the closed set of src/decide/reasons.ts, that an audit can give. */
type AuditReason = 'ok' | 'origin-not-allowed' | 'null-origin-not-allowed' | 'invalid-origin' | 'not-cors';
const REASONS: readonly AuditReason[] = ['ok', 'origin-not-allowed', 'null-origin-not-allowed', 'invalid-origin', 'not-cors'];

/** Read size of the input stream, and the most a line may hold before it is cut off unread. */
const READ_CHUNK = 4 * 1024 * 1024;
const MAX_LINE = 1024 * 1024;
/** Lines matched per engine call. */
const BATCH_LINES = 1 << 16;
/** Distinct origins a top list tracks exactly; past it the counts become lower bounds. */
const TOP_CAPACITY = 10_000;

// ---------------------------------------------------------------------------------------------
// Counting the most frequent values in bounded memory
// ---------------------------------------------------------------------------------------------

/**
 * A count per value for at most 2 x capacity values; when full, only the `capacity` most
 * frequent are kept. Exact while the values are fewer than that; `approximate` says otherwise.
 */
export class TopCounter {
  private readonly counts = new Map<string, number>();
  total = 0;
  approximate = false;
  constructor(private readonly capacity = TOP_CAPACITY) {}

  add(value: string, n = 1): void {
    this.total += n;
    this.counts.set(value, (this.counts.get(value) ?? 0) + n);
    if (this.counts.size >= 2 * this.capacity) {
      const kept = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, this.capacity);
      this.counts.clear();
      for (const [k, v] of kept) this.counts.set(k, v);
      this.approximate = true;
    }
  }

  top(n: number): { value: string; count: number }[] {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, n)
      .map(([value, count]) => ({ value, count }));
  }

  get distinct(): number {
    return this.counts.size;
  }
}

// ---------------------------------------------------------------------------------------------
// A policy, read as isOriginAllowed reads it
// ---------------------------------------------------------------------------------------------

export interface AuditPolicy {
  readonly file: string;
  readonly validated: ValidatedPolicy;
  /** The origins list, or an empty list for `origins: '*'` (then NONE means "a tuple origin"). */
  readonly primary: LineMatcher;
  readonly credentialed: LineMatcher | null;
  readonly any: boolean;
  /** Pattern ids: the list's rules, then the credentialed tier's, then `*`. */
  readonly patterns: readonly string[];
  /** Where the credentialed tier's ids start, and the id of `*`. */
  readonly credentialedBase: number;
  readonly anyId: number;
}

// A line's verdict as one integer: a pattern id (>= 0) when allowed, else one of these.
const V_NOT_ALLOWED = -1;
export const V_INVALID = -2;
const V_NULL_NOT_ALLOWED = -3;
export const V_NOT_CORS = -4;

function sourcesOf(rules: readonly OriginRule[]): string[] {
  const out: string[] = [];
  for (const rule of rules) out[rule.index] = rule.source;
  return out;
}

export function loadPolicy(file: string, engine: 'auto' | 'wasm' | 'js'): AuditPolicy {
  const init = readPolicyFile(file);
  const { policy, issues } = validatePolicy(init);
  if (policy === null) throw invalidPolicy(file, issues, init);
  return fromValidated(file, policy, engine);
}

function fromValidated(file: string, policy: ValidatedPolicy, engine: 'auto' | 'wasm' | 'js'): AuditPolicy {
  const rules = policy.origins.kind === 'list' ? policy.origins.rules : [];
  const credentialed = policy.credentialedOrigins ?? [];
  const sources = sourcesOf(rules);
  const credentialedSources = sourcesOf(credentialed);
  const patterns = [...sources, ...credentialedSources, '*'];
  return {
    file,
    validated: policy,
    primary: createLineMatcher(rules, engine),
    credentialed: policy.credentialedOrigins === null ? null : createLineMatcher(credentialed, engine),
    any: policy.origins.kind === 'any',
    patterns: patterns.map((p) => p ?? ''),
    credentialedBase: sources.length,
    anyId: sources.length + credentialedSources.length,
  };
}

/**
 * The verdict for one line, as compilePolicy's matchOrigin decides: the credentialed tier first,
 * then `*` for any tuple origin, or the earliest pattern of the list; `null` only by a `null`
 * entry (which validation allows only with allowNullOrigin). `isNull` is asked only when needed.
 */
function verdictOf(p: AuditPolicy, primary: number, credentialed: number, bytes: Uint8Array, start: number): number {
  if (primary === MATCH_INVALID) return V_INVALID;
  if (credentialed >= 0) return p.credentialedBase + credentialed;
  if (p.any) return isNullAt(bytes, start) ? V_NULL_NOT_ALLOWED : p.anyId;
  if (primary >= 0) return primary;
  return isNullAt(bytes, start) ? V_NULL_NOT_ALLOWED : V_NOT_ALLOWED;
}

/** Counters for one policy. */
export class Tally {
  readonly byPattern: Float64Array;
  notAllowed = 0;
  invalidCount = 0;
  nullNotAllowed = 0;
  notCors = 0;
  readonly denied = new TopCounter();
  readonly invalid = new TopCounter();

  constructor(readonly policy: AuditPolicy) {
    this.byPattern = new Float64Array(policy.patterns.length);
  }

  /** Count an allowed line (the common case: no string is made). */
  allow(v: number, n = 1): void {
    this.byPattern[v] = (this.byPattern[v] as number) + n;
  }

  /** Count a line that is not allowed; `origin` is its text, for the top lists. */
  deny(v: number, origin: string, n = 1): void {
    if (v === V_NOT_ALLOWED) {
      this.notAllowed += n;
      this.denied.add(origin, n);
    } else if (v === V_INVALID) {
      this.invalidCount += n;
      this.invalid.add(origin, n);
    } else if (v === V_NULL_NOT_ALLOWED) {
      this.nullNotAllowed += n;
      this.denied.add('null', n);
    } else this.notCors += n;
  }

  reasons(): Record<AuditReason, number> {
    let ok = 0;
    for (const n of this.byPattern) ok += n;
    return {
      ok,
      'origin-not-allowed': this.notAllowed,
      'null-origin-not-allowed': this.nullNotAllowed,
      'invalid-origin': this.invalidCount,
      'not-cors': this.notCors,
    };
  }

  patterns(): { pattern: string; count: number }[] {
    const out: { pattern: string; count: number }[] = [];
    this.byPattern.forEach((count, id) => {
      if (count > 0) out.push({ pattern: this.policy.patterns[id] as string, count });
    });
    return out.sort((a, b) => b.count - a.count);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading lines and picking the Origin out of them
// ---------------------------------------------------------------------------------------------

type Extract = (block: Uint8Array) => Uint8Array;

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();
const NO_ORIGIN = 0xff; // a line of this one byte stands for "no Origin on this log line"

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09;
}

/**
 * The Nth whitespace-separated field of each line (n < 0 counts from the end: -1 is the last),
 * quotes dropped, as LF-separated bytes.
 */
function fieldExtractor(n: number): Extract {
  return (block) => {
    const out = new Uint8Array(block.length + 1);
    let w = 0;
    let pos = 0;
    while (pos < block.length) {
      let end = block.indexOf(0x0a, pos);
      if (end < 0) end = block.length;
      let lineEnd = end;
      if (lineEnd > pos && block[lineEnd - 1] === 0x0d) lineEnd--;
      let field = 0;
      let i = pos;
      let start = -1;
      let stop = -1;
      if (n > 0) {
        while (i < lineEnd) {
          while (i < lineEnd && isSpace(block[i] as number)) i++;
          if (i >= lineEnd) break;
          const s = i;
          while (i < lineEnd && !isSpace(block[i] as number)) i++;
          if (++field === n) {
            start = s;
            stop = i;
            break;
          }
        }
      } else {
        // From the end: the same fields, walked backwards.
        i = lineEnd;
        while (i > pos) {
          while (i > pos && isSpace(block[i - 1] as number)) i--;
          if (i <= pos) break;
          const e = i;
          while (i > pos && !isSpace(block[i - 1] as number)) i--;
          if (--field === n) {
            start = i;
            stop = e;
            break;
          }
        }
      }
      if (start >= 0 && stop - start >= 2 && block[start] === 0x22 && block[stop - 1] === 0x22) {
        start++;
        stop--;
      }
      if (start < 0 || (stop - start === 1 && block[start] === 0x2d) || stop === start) out[w++] = NO_ORIGIN;
      else {
        out.set(block.subarray(start, stop), w);
        w += stop - start;
      }
      out[w++] = 0x0a;
      pos = end + 1;
    }
    return out.subarray(0, w);
  };
}

/** The first capture group (or whole match) of `re` in each line, as LF-separated bytes. */
function regexExtractor(re: RegExp): Extract {
  return (block) => {
    const text = utf8.decode(block);
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    // A value is at most its line; re-encoding can triple a byte the decoder replaced (U+FFFD).
    const out = new Uint8Array(3 * block.length + lines.length + 1);
    let w = 0;
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const m = re.exec(line);
      const value = m === null ? undefined : (m[1] ?? m[0]);
      // As with --field: no match, an empty capture or a "-" (a log's empty field) is no Origin.
      if (value === undefined || value === '' || value === '-') out[w++] = NO_ORIGIN;
      else {
        // Past the cap, the first MAX_ORIGIN_LENGTH + 1 characters still say "invalid".
        const kept = value.length > MAX_ORIGIN_LENGTH ? value.slice(0, MAX_ORIGIN_LENGTH + 1) : value;
        w += encoder.encodeInto(kept, out.subarray(w)).written;
      }
      out[w++] = 0x0a;
    }
    return out.subarray(0, w);
  };
}

/**
 * Blocks of whole lines from a byte stream, in bounded memory: a line longer than MAX_LINE is
 * not kept; it is reported through `onOverlong` and skipped to its end.
 */
async function forEachBlock(
  stream: AsyncIterable<Uint8Array | string>,
  onBlock: (block: Uint8Array) => void,
  onOverlong: () => void,
  onBytes: (n: number) => void,
): Promise<void> {
  let carry: Uint8Array = new Uint8Array(0);
  let skipping = false;
  for await (const piece of stream) {
    let buf: Uint8Array = typeof piece === 'string' ? encoder.encode(piece) : piece;
    onBytes(buf.length);
    if (skipping) {
      const nl = buf.indexOf(0x0a);
      if (nl < 0) continue;
      buf = buf.subarray(nl + 1);
      skipping = false;
    }
    let data: Uint8Array;
    if (carry.length > 0) {
      data = new Uint8Array(carry.length + buf.length);
      data.set(carry);
      data.set(buf, carry.length);
    } else data = buf;
    const last = data.lastIndexOf(0x0a);
    if (last >= 0) onBlock(data.subarray(0, last + 1));
    const rest = data.subarray(last + 1);
    if (rest.length > MAX_LINE) {
      onOverlong();
      skipping = true;
      carry = new Uint8Array(0);
    } else carry = rest.slice();
  }
  if (carry.length > 0 && !skipping) onBlock(carry);
}

// ---------------------------------------------------------------------------------------------
// The audit
// ---------------------------------------------------------------------------------------------

interface Lists {
  readonly primary: Int32Array;
  readonly credentialed: Int32Array;
  readonly starts: Int32Array;
}

function newLists(): Lists {
  return { primary: new Int32Array(BATCH_LINES), credentialed: new Int32Array(BATCH_LINES), starts: new Int32Array(BATCH_LINES) };
}

/** Run a policy's matchers over `bytes` (whole lines); returns lines matched and bytes consumed. */
function runPolicy(p: AuditPolicy, bytes: Uint8Array, lists: Lists): { lines: number; consumed: number } {
  const r = p.primary.matchLines(bytes, true, lists.primary, lists.starts);
  if (p.credentialed !== null) {
    const c = p.credentialed.matchLines(bytes.subarray(0, r.consumed), true, lists.credentialed, lists.starts);
    if (c.lines !== r.lines) throw new Error('corset: audit: engines disagree on line boundaries');
  } else lists.credentialed.fill(-1, 0, r.lines);
  return r;
}

function lineAt(bytes: Uint8Array, start: number): Uint8Array {
  let end = bytes.indexOf(0x0a, start);
  if (end < 0) end = bytes.length;
  if (end > start && bytes[end - 1] === 0x0d) end--;
  return bytes.subarray(start, end);
}

/** The line starting at `start` is exactly `null` (before LF, CRLF or the end). */
function isNullAt(bytes: Uint8Array, start: number): boolean {
  if (bytes[start] !== 0x6e || bytes[start + 1] !== 0x75 || bytes[start + 2] !== 0x6c || bytes[start + 3] !== 0x6c) return false;
  const next = start + 4;
  if (next === bytes.length || bytes[next] === 0x0a) return true;
  return bytes[next] === 0x0d && (next + 1 === bytes.length || bytes[next + 1] === 0x0a);
}

/** The line starting at `start` is the extractors' "no Origin" marker. */
function isNoOriginAt(bytes: Uint8Array, start: number): boolean {
  return bytes[start] === NO_ORIGIN && (start + 1 === bytes.length || bytes[start + 1] === 0x0a);
}

/** A line for display: UTF-8, cut at 120 characters. */
export function display(line: Uint8Array): string {
  const s = utf8.decode(line.subarray(0, 480));
  return s.length > 120 || line.length > 480 ? `${s.slice(0, 120)}…(${line.length} bytes)` : s;
}

export async function runAudit(argv: readonly string[], io: AuditIO): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, AUDIT_FLAGS);
    if (args.flags.has('help')) {
      io.stdout.write(AUDIT_USAGE);
      return 0;
    }
    return await audit(args, io);
  } catch (err) {
    return reportError(err, io, AUDIT_USAGE, wantsJson(argv));
  }
}

async function audit(args: ParsedArgs, io: AuditIO): Promise<number> {
  if (flagValue(args, 'engine') === 'duckdb' || flagValue(args, 'log') !== undefined) return auditOnDuckdb(args, io);
  for (const flag of ['column', 'format', 'threads'] as const) {
    if (flagValue(args, flag) !== undefined) throw new UsageError(`--${flag} goes with --engine duckdb --log FILE`);
  }
  const [file, extra] = args.positionals;
  if (file === undefined) throw new UsageError('audit needs a file of Origin values or a log (or - for stdin)');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  const policyFile = flagValue(args, 'policy');
  if (policyFile === undefined) throw new UsageError('audit needs --policy FILE');
  const engineFlag = flagValue(args, 'engine') ?? 'auto';
  if (engineFlag !== 'auto' && engineFlag !== 'wasm' && engineFlag !== 'js') throw new UsageError(`--engine must be auto, wasm, js or duckdb (with --log), got ${JSON.stringify(engineFlag)}`);
  const top = topOf(args);
  const fieldText = flagValue(args, 'field');
  const regexText = flagValue(args, 'regex');
  if (fieldText !== undefined && regexText !== undefined) throw new UsageError('give --field or --regex, not both');
  let extract: Extract | null = null;
  if (fieldText !== undefined) {
    const n = fieldText === 'last' ? -1 : Number(fieldText);
    if (!/^(-?[0-9]+|last)$/.test(fieldText) || !Number.isInteger(n) || n === 0 || n < -1000 || n > 1000) {
      throw new UsageError(`--field must be an integer from 1 to 1000, -1 to -1000 (counted from the end) or "last", got ${JSON.stringify(fieldText)}`);
    }
    extract = fieldExtractor(n);
  } else if (regexText !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(regexText);
    } catch (err) {
      throw new UsageError(`--regex ${JSON.stringify(regexText)} is not a valid regular expression: ${(err as Error).message}`);
    }
    extract = regexExtractor(re);
  }

  const current = loadPolicy(policyFile, engineFlag);
  const againstFile = flagValue(args, 'against');
  const old = againstFile === undefined ? null : loadPolicy(againstFile, engineFlag);

  let stream: AsyncIterable<Uint8Array | string>;
  let size: number | null = null;
  if (file === '-') {
    if (io.stdin === undefined) throw new InputError('no standard input to read', '-');
    stream = io.stdin as AsyncIterable<Uint8Array | string>;
  } else {
    try {
      size = statSync(file).size;
    } catch (err) {
      throw new InputError(`cannot read ${JSON.stringify(file)}: ${(err as Error).message}`, file);
    }
    stream = createReadStream(file, { highWaterMark: READ_CHUNK });
  }

  const counts = new AuditCounts(current, old);
  const lists = newLists();
  const oldLists = newLists();
  let lines = 0;
  let bytesRead = 0;
  const started = Date.now();
  let lastProgress = started;
  const progress = (final: boolean): void => {
    const now = Date.now();
    if (!final && now - lastProgress < 1000) return;
    if (now - started < 1000) return;
    lastProgress = now;
    const secs = (now - started) / 1000;
    const of = size === null ? '' : ` of ${(size / 1e6).toFixed(1)}`;
    const line = `corset audit: ${(bytesRead / 1e6).toFixed(1)}${of} MB, ${lines} lines, ${(lines / secs / 1e6).toFixed(2)} M lines/s`;
    // On a terminal only: a pipe or a file (a CI log) stays quiet.
    if (io.stderr.isTTY === true) io.stderr.write(`\r${line}${final ? '\n' : ''}`);
  };

  const countLine = (line: () => Uint8Array, vNew: number, vOld: number): void => counts.count(() => display(line()), vNew, vOld);

  // A line with spaces or tabs is no Origin value: the input is probably a log (hinted below).
  let sawSpaces = false;
  const onBlock = (block: Uint8Array): void => {
    if (extract === null && !sawSpaces) sawSpaces = block.includes(0x20) || block.includes(0x09);
    const origins = extract === null ? block : extract(block);
    let pos = 0;
    while (pos < origins.length) {
      const view = origins.subarray(pos);
      const r = runPolicy(current, view, lists);
      if (old !== null) runPolicy(old, view.subarray(0, r.consumed), oldLists);
      const line = (): Uint8Array => lineAt(view, lineStart);
      let lineStart = 0;
      for (let k = 0; k < r.lines; k++) {
        lineStart = lists.starts[k] as number;
        if (extract !== null && isNoOriginAt(view, lineStart)) {
          countLine(line, V_NOT_CORS, V_NOT_CORS);
          continue;
        }
        const vNew = verdictOf(current, lists.primary[k] as number, lists.credentialed[k] as number, view, lineStart);
        const vOld = old === null ? 0 : verdictOf(old, oldLists.primary[k] as number, oldLists.credentialed[k] as number, view, lineStart);
        countLine(line, vNew, vOld);
      }
      lines += r.lines;
      if (r.consumed === 0) break;
      pos += r.consumed;
    }
    progress(false);
  };
  const onOverlong = (): void => {
    lines++;
    const line = () => encoder.encode(`<a line of more than ${MAX_LINE} bytes>`);
    const v = extract === null ? V_INVALID : V_NOT_CORS;
    countLine(line, v, v);
  };

  try {
    await forEachBlock(stream, onBlock, onOverlong, (n) => (bytesRead += n));
  } catch (err) {
    throw new InputError(`cannot read ${JSON.stringify(file)}: ${(err as Error).message}`, file);
  }
  progress(true);
  const seconds = (Date.now() - started) / 1000;

  const { report, code } = finishReport(
    { file, bytes: bytesRead, lines, seconds, engine: current.primary.engine, policyFile, againstFile: againstFile ?? null, counts, top },
    args.flags.has('json'),
    io,
  );
  if (extract === null && sawSpaces && lines > 0 && report.policy.reasons['invalid-origin'] * 2 > lines) {
    io.stderr.write(
      `corset audit: ${report.policy.reasons['invalid-origin']} of ${lines} lines are not origins and the lines hold spaces: is this an access log?\n` +
        `  name the Origin's field with --field N (--field last for the last field), or capture it with --regex R; see corset help audit\n`,
    );
  }
  return code;
}

function topOf(args: ParsedArgs): number {
  const topText = flagValue(args, 'top') ?? '10';
  const top = Number(topText);
  if (!Number.isInteger(top) || top < 0 || top > 10_000) throw new UsageError(`--top must be an integer from 0 to 10000, got ${JSON.stringify(topText)}`);
  return top;
}

/** `--engine duckdb --log FILE`: the options checked here, the audit in ./audit-duckdb.ts. */
async function auditOnDuckdb(args: ParsedArgs, io: AuditIO): Promise<number> {
  const engine = flagValue(args, 'engine');
  if (engine !== 'duckdb') throw new UsageError('--log FILE goes with --engine duckdb (give a plain file of lines as the first argument)');
  const log = flagValue(args, 'log');
  if (log === undefined || log === '') throw new UsageError('--engine duckdb needs --log FILE (CSV, JSON lines or Parquet)');
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])} (the log is given with --log)`);
  if (flagValue(args, 'field') !== undefined || flagValue(args, 'regex') !== undefined) {
    throw new UsageError('--field and --regex read lines; with --engine duckdb name the Origin column with --column');
  }
  const policyFile = flagValue(args, 'policy');
  if (policyFile === undefined) throw new UsageError('audit needs --policy FILE');
  const format = flagValue(args, 'format') ?? null;
  if (format !== null && format !== 'csv' && format !== 'json' && format !== 'parquet') {
    throw new UsageError(`--format must be csv, json or parquet, got ${JSON.stringify(format)}`);
  }
  const column = flagValue(args, 'column') ?? 'origin';
  if (column.trim() === '') throw new UsageError('--column must name a column');
  const threadsText = flagValue(args, 'threads');
  const threads = threadsText === undefined ? null : Number(threadsText);
  if (threads !== null && (!Number.isInteger(threads) || threads < 1 || threads > 1024)) {
    throw new UsageError(`--threads must be an integer from 1 to 1024, got ${JSON.stringify(threadsText)}`);
  }
  const top = topOf(args);
  const current = loadPolicy(policyFile, 'auto');
  const againstFile = flagValue(args, 'against') ?? null;
  const old = againstFile === null ? null : loadPolicy(againstFile, 'auto');
  const { runDuckdbAudit } = await import('./audit-duckdb.js');
  return runDuckdbAudit({ log, format, column, threads, current, old, policyFile, againstFile, top, json: args.flags.has('json') }, io);
}

/** Every count of one audit: the policy's, the old policy's (--against), and what changes. */
export class AuditCounts {
  readonly tally: Tally;
  readonly oldTally: Tally | null;
  readonly newlyDenied = new TopCounter();
  readonly newlyAllowed = new TopCounter();

  constructor(current: AuditPolicy, old: AuditPolicy | null) {
    this.tally = new Tally(current);
    this.oldTally = old === null ? null : new Tally(old);
  }

  /** Count `n` lines with these verdicts; `origin` (their text) is asked only when a list needs it. */
  count(origin: () => string, vNew: number, vOld: number, n = 1): void {
    const { tally, oldTally } = this;
    if (vNew >= 0 && (oldTally === null || vOld >= 0)) {
      tally.allow(vNew, n);
      oldTally?.allow(vOld, n);
      return;
    }
    const text = origin();
    if (vNew >= 0) tally.allow(vNew, n);
    else tally.deny(vNew, text, n);
    if (oldTally !== null) {
      if (vOld >= 0) oldTally.allow(vOld, n);
      else oldTally.deny(vOld, text, n);
      if (vOld >= 0 && vNew < 0) this.newlyDenied.add(text, n);
      else if (vOld < 0 && vNew >= 0 && vOld !== V_NOT_CORS) this.newlyAllowed.add(text, n);
    }
  }
}

/** What an audit measured, for its report. */
export interface AuditRun {
  readonly file: string;
  readonly bytes: number;
  readonly lines: number;
  readonly seconds: number;
  readonly engine: string;
  readonly policyFile: string;
  readonly againstFile: string | null;
  readonly counts: AuditCounts;
  readonly top: number;
}

/** Print the report (text, or JSON with --json) and give the exit code: 1 when --against breaks an origin. */
export function finishReport(run: AuditRun, json: boolean, io: { stdout: NodeJS.WritableStream }): { report: Report; code: number } {
  const { counts, top, seconds, lines } = run;
  const report: Report = {
    file: run.file,
    bytes: run.bytes,
    lines,
    seconds,
    originsPerSecond: seconds > 0 ? Math.round(lines / seconds) : null,
    engine: run.engine,
    policy: summary(run.policyFile, counts.tally, top),
    against:
      run.againstFile === null || counts.oldTally === null
        ? null
        : {
            ...summary(run.againstFile, counts.oldTally, top),
            newlyDenied: { total: counts.newlyDenied.total, approximate: counts.newlyDenied.approximate, top: counts.newlyDenied.top(top) },
            newlyAllowed: { total: counts.newlyAllowed.total, approximate: counts.newlyAllowed.approximate, top: counts.newlyAllowed.top(top) },
          },
  };
  if (json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(formatReport(report));
  return { report, code: report.against !== null && report.against.newlyDenied.total > 0 ? 1 : 0 };
}

/**
 * The verdict of each value under `p`, exactly as a line holding it gets (the same bulk path);
 * a value holding a line break cannot be a line and is invalid (no origin holds one).
 */
export function verdictsOfValues(p: AuditPolicy, values: readonly string[]): Int32Array {
  const out = new Int32Array(values.length);
  const lists = newLists();
  for (let from = 0; from < values.length; from += BATCH_LINES) {
    const batch = values.slice(from, from + BATCH_LINES);
    const bytes = encoder.encode(`${batch.map((v) => (/[\r\n]/.test(v) ? '\u0001' : v)).join('\n')}\n`);
    let pos = 0;
    let k0 = 0;
    while (k0 < batch.length) {
      const view = bytes.subarray(pos);
      const r = runPolicy(p, view, lists);
      for (let k = 0; k < r.lines; k++) {
        out[from + k0 + k] = verdictOf(p, lists.primary[k] as number, lists.credentialed[k] as number, view, lists.starts[k] as number);
      }
      k0 += r.lines;
      if (r.consumed === 0) break;
      pos += r.consumed;
    }
  }
  return out;
}

function summary(file: string, t: Tally, top: number) {
  return {
    file,
    reasons: t.reasons(),
    patterns: t.patterns(),
    topDenied: { approximate: t.denied.approximate, top: t.denied.top(top) },
    topInvalid: { approximate: t.invalid.approximate, top: t.invalid.top(top) },
  };
}

type Report = {
  file: string;
  bytes: number;
  lines: number;
  seconds: number;
  originsPerSecond: number | null;
  engine: string;
  policy: ReturnType<typeof summary>;
  against:
    | (ReturnType<typeof summary> & {
        newlyDenied: { total: number; approximate: boolean; top: { value: string; count: number }[] };
        newlyAllowed: { total: number; approximate: boolean; top: { value: string; count: number }[] };
      })
    | null;
};

function formatReport(r: Report): string {
  const out: string[] = [];
  const num = (n: number) => n.toLocaleString('en-US');
  const pct = (n: number) => (r.lines === 0 ? '' : ` ${((100 * n) / r.lines).toFixed(1).padStart(5)}%`);
  const rate = r.originsPerSecond === null ? '' : `, ${(r.originsPerSecond / 1e6).toFixed(2)} M lines/s`;
  out.push(`corset audit ${r.file}: ${num(r.lines)} lines, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(2)} s${rate} (engine ${r.engine})`);
  const section = (title: string, s: ReturnType<typeof summary>) => {
    out.push('', `${title} ${s.file}`);
    for (const reason of REASONS) out.push(`  ${reason.padEnd(24)} ${num(s.reasons[reason]).padStart(14)}${pct(s.reasons[reason])}`);
    if (s.patterns.length > 0) {
      out.push('  matched patterns:');
      for (const p of s.patterns.slice(0, 20)) out.push(`    ${num(p.count).padStart(14)}  ${p.pattern}`);
      if (s.patterns.length > 20) out.push(`    … ${s.patterns.length - 20} more`);
    }
    const list = (name: string, t: { approximate: boolean; top: { value: string; count: number }[] }) => {
      if (t.top.length === 0) return;
      out.push(`  ${name}${t.approximate ? ' (counts are lower bounds: too many distinct values)' : ''}:`);
      for (const e of t.top) out.push(`    ${num(e.count).padStart(14)}  ${JSON.stringify(e.value)}`);
    };
    list('top denied origins', s.topDenied);
    list('top invalid values', s.topInvalid);
  };
  section('policy', r.policy);
  if (r.against !== null) {
    section('against', r.against);
    const diff = (name: string, d: { total: number; approximate: boolean; top: { value: string; count: number }[] }) => {
      out.push('', `${name}: ${num(d.total)} requests${d.approximate ? ' (per-origin counts are lower bounds)' : ''}`);
      for (const e of d.top) out.push(`    ${num(e.count).padStart(14)}  ${JSON.stringify(e.value)}`);
    };
    diff(`allowed by ${r.against.file}, denied by ${r.policy.file}`, r.against.newlyDenied);
    diff(`denied by ${r.against.file}, allowed by ${r.policy.file}`, r.against.newlyAllowed);
  }
  return `${out.join('\n')}\n`;
}
