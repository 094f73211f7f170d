// Where in a policy file a problem is: jsonErrorOffset (the first character JSON.parse refuses) and
// jsonValueOffsets (where each value a policy issue names by path stands), against JSON.parse on
// generated documents written with every kind of whitespace.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, jsonValueOffsets } from '../src/cli/json-position.js';
import { issueLocation, parsePolicyText } from '../src/cli/policy-file.js';

/** Every value of a parsed document by the path the validator names it with. */
function paths(value: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  out.set(path, value);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, path === '' ? k : `${path}.${k}`, out);
  return out;
}

const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
})).value;

describe('jsonValueOffsets', () => {
  it('places every value where its text starts (seeded, indented with nothing, spaces, tabs or CRLF)', () => {
    fc.assert(
      fc.property(json, fc.constantFrom(0, 2, '\t', '\r\n '), (doc, indent) => {
        const text = JSON.stringify(doc, null, indent);
        const offsets = jsonValueOffsets(text);
        const want = paths(JSON.parse(text));
        expect([...offsets.keys()].sort()).toEqual([...want.keys()].sort());
        for (const [path, value] of want) {
          const at = offsets.get(path)!;
          if (Array.isArray(value)) expect(text[at], path).toBe('[');
          else if (value !== null && typeof value === 'object') expect(text[at], path).toBe('{');
          else expect(text.startsWith(JSON.stringify(value), at), `${path} at ${at} in ${text}`).toBe(true);
        }
      }),
      { seed: 20261206, numRuns: 2_000 },
    );
  });

  it('a repeated key is placed at its last value, as JSON.parse keeps it', () => {
    const text = '{"maxAge": 1, "maxAge": 2}';
    expect(text.slice(jsonValueOffsets(text).get('maxAge'))).toMatch(/^2/);
  });

  it('a key with escapes is named by its value', () => {
    expect(jsonValueOffsets('{"a\\u0062": [true]}').get('ab[0]')).toBe(13);
  });

  it('ten thousand nested arrays do not overflow the stack', () => {
    const text = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(jsonValueOffsets(text).size).toBe(10_000);
  });
});

describe('jsonErrorOffset', () => {
  it('is -1 exactly when JSON.parse accepts the text, else where a one-character edit broke it (seeded)', () => {
    fc.assert(
      fc.property(json, fc.nat(), fc.constantFrom('', ',', '}', ']', "'", '"', 'x', '\u0000'), (doc, where, insert) => {
        const valid = JSON.stringify(doc, null, 1);
        const at = where % (valid.length + 1);
        const text = valid.slice(0, at) + insert + valid.slice(at);
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const offset = jsonErrorOffset(text);
        expect(offset === -1, `${JSON.stringify(text)}: offset ${offset}`).toBe(parses);
        // Everything before the offset is a prefix of some valid text: the edit is at or before it.
        if (!parses) expect(offset, JSON.stringify(text)).toBeGreaterThanOrEqual(Math.min(at, text.length) - 1);
      }),
      { seed: 20261207, numRuns: 2_000 },
    );
  });
});

describe('issueLocation', () => {
  const text = '{\n  "origins": [\n    "https://a.example",\n    "https://*.com"\n  ],\n  "maxAge": 9e9\n}\n';
  const policy = parsePolicyText('p.json', new TextEncoder().encode(text));
  const rows: { desc: string; path: string; want: { line: number; column: number } | null }[] = [
    { desc: 'an entry of a list', path: 'origins[1]', want: { line: 4, column: 5 } },
    { desc: 'an option', path: 'maxAge', want: { line: 6, column: 13 } },
    { desc: 'an absent option: the top-level object', path: 'methods', want: { line: 1, column: 1 } },
    { desc: 'an absent entry: its list', path: 'origins[7]', want: { line: 2, column: 14 } },
    { desc: 'the policy itself', path: '', want: { line: 1, column: 1 } },
  ];
  for (const { desc, path, want } of rows) {
    it(`${desc} (${JSON.stringify(path)})`, () => {
      const at = issueLocation(policy, { code: 'invalid-type', severity: 'error', path, message: '' });
      expect(at).toEqual(want === null ? null : { file: 'p.json', ...want });
    });
  }
  it('a policy from no file has no location', () => {
    expect(issueLocation({ origins: [] }, { code: 'invalid-type', severity: 'error', path: 'origins', message: '' })).toBeNull();
  });
});
