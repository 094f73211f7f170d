// The policy reference tells the truth about the closed sets it documents: docs/policy-issues.md
// has a section for every PolicyIssue code whose example gets that code with exactly the message
// shown and whose fix does not (nor any error); docs/policy.md lists every option of
// CorsPolicyInit and every decision reason, and its runnable block (run by doc-blocks.test.ts)
// produces every reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DECISION_REASONS, POLICY_ISSUE_CODES, lintPolicy } from '../src/index.js';
import type { CorsPolicyInit } from '../src/index.js';

/** Every option of CorsPolicyInit: the type check fails here when one is added or removed. */
const OPTIONS: Record<keyof CorsPolicyInit, true> = {
  origins: true,
  credentials: true,
  credentialedOrigins: true,
  methods: true,
  allowHeaders: true,
  exposeHeaders: true,
  maxAge: true,
  privateNetwork: true,
  preflightStatus: true,
  deniedPreflightStatus: true,
  allowNullOrigin: true,
  allowInsecureOrigins: true,
  allowPublicSuffixWildcards: true,
  allowUnanchoredRegExp: true,
  engine: true,
};

const issuesDoc = readFileSync(new URL('../docs/policy-issues.md', import.meta.url), 'utf8');
const policyDoc = readFileSync(new URL('../docs/policy.md', import.meta.url), 'utf8');

interface Section {
  code: string;
  summary: string;
  example: string;
  messages: string[];
  fix: string;
}

/** Each `### \`code\`` section: its first paragraph, its issue-example block (code, then `// message` lines) and its `Fix:`. */
function sections(md: string): Section[] {
  const parts = md.split(/^### /m).slice(1);
  return parts.map((part) => {
    const code = /^`([a-z0-9-]+)`/.exec(part)?.[1] ?? `(unparsed: ${part.slice(0, 40)})`;
    const summary = part.split('\n\n')[1]?.trim() ?? '';
    const block = /```js issue-example\n([\s\S]*?)\n```/.exec(part)?.[1] ?? '';
    const lines = block.split('\n');
    const example = lines.filter((l) => !l.startsWith('// ')).join('\n');
    const messages = lines.filter((l) => l.startsWith('// ')).map((l) => l.slice(3));
    const fix = /^Fix: `(.*)`$/m.exec(part)?.[1] ?? '';
    return { code, summary, example, messages, fix };
  });
}

/** A policy written as a JavaScript expression (RegExp literals, getters) evaluated. */
const evaluate = (source: string): unknown => new Function(`return (${source}\n);`)();

const all = sections(issuesDoc);

describe('docs/policy-issues.md', () => {
  it('has one section per code, in the order of POLICY_ISSUE_CODES', () => {
    expect(all.map((s) => s.code)).toEqual(Object.keys(POLICY_ISSUE_CODES));
  });
  it('lists the errors under "Errors" and the warnings under "Warnings"', () => {
    const warningsAt = issuesDoc.indexOf('## Warnings');
    expect(warningsAt).toBeGreaterThan(0);
    for (const [code, { severity }] of Object.entries(POLICY_ISSUE_CODES)) {
      const at = issuesDoc.indexOf(`### \`${code}\``);
      expect(severity === 'warning' ? at > warningsAt : at < warningsAt, `${code} (${severity})`).toBe(true);
    }
  });
  for (const s of all) {
    it(`${s.code}: the summary, the example's message, and a fix without it`, () => {
      const info = POLICY_ISSUE_CODES[s.code as keyof typeof POLICY_ISSUE_CODES];
      expect(info, `${s.code} is a code`).toBeDefined();
      expect(s.summary.toLowerCase()).toBe(`${info.summary}.`.toLowerCase());
      const got = lintPolicy(evaluate(s.example) as never).filter((i) => i.code === s.code);
      expect(got.length, `lintPolicy(${s.example}): issues with code ${s.code}`).toBeGreaterThan(0);
      expect(s.messages.length, 'a message is shown').toBeGreaterThan(0);
      expect(got.map((i) => i.message)).toEqual(expect.arrayContaining(s.messages));
      const fixed = lintPolicy(evaluate(s.fix) as never).filter((i) => i.code === s.code || i.severity === 'error');
      expect(fixed, `lintPolicy(${s.fix})`).toEqual([]);
    });
  }
});

describe('docs/policy.md', () => {
  it('has a row for every option of CorsPolicyInit', () => {
    for (const name of Object.keys(OPTIONS)) expect(policyDoc, `row for ${name}`).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });
  it('has a row for every decision reason', () => {
    for (const reason of Object.keys(DECISION_REASONS)) expect(policyDoc, `row for ${reason}`).toContain(`| \`${reason}\` |`);
  });
  it('its runnable example produces every decision reason (the shown output is checked by doc-blocks.test.ts)', () => {
    const at = policyDoc.indexOf('## Decision reasons');
    const output = /```text output\n([\s\S]*?)\n```/.exec(policyDoc.slice(at))?.[1] ?? '';
    const produced = output.split('\n').map((line) => line.split(/\s+/).pop());
    expect(new Set(produced)).toEqual(new Set(Object.keys(DECISION_REASONS)));
  });
  it('links every code to its section in docs/policy-issues.md', () => {
    for (const code of Object.keys(POLICY_ISSUE_CODES)) expect(policyDoc).toContain(`[\`${code}\`](policy-issues.md#${code})`);
  });
});
