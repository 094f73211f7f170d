// The browser bundles' URL backend (src/url/backend.browser.ts, the platform `URL`) against the
// Node one (src/url/backend.ts, whatwg-url), on every absolute input of the pinned WPT URL data
// (test/fixtures/wpt/urltestdata.json): both must fail together or give the same parts. Node's
// `URL` here stands in for a browser's; the real-browser suite runs the bundle in Chromium.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/url/backend.browser.js';
import * as node from '../src/url/backend.js';

const rows = (JSON.parse(readFileSync(new URL('./fixtures/wpt/urltestdata.json', import.meta.url), 'utf8')) as unknown[]).filter(
  (r): r is { input: string; base: string | null } => typeof r === 'object' && r !== null && 'input' in r,
);
const inputs = [...new Set(rows.filter((r) => r.base === null || r.base === undefined).map((r) => r.input))];
const extra = ['blob:https://a.example/uuid', 'foo:', 'foo://', 'foo:/x', 'file:///x', 'http://[::1]:8080/', 'https://xn--nxasmq6b.example/', 'data:,x', '', 'a'.repeat(1000)];

describe(`backend.browser.ts (${browser.URL_BACKEND}) agrees with backend.ts (${node.URL_BACKEND})`, () => {
  it(`on ${inputs.length + extra.length} absolute inputs`, () => {
    const wrong: string[] = [];
    for (const input of [...inputs, ...extra]) {
      const got = browser.parseURL(input);
      const want = node.parseURL(input);
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`parseURL(${JSON.stringify(input)}): got ${JSON.stringify(got)}; want ${JSON.stringify(want)}`);
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
  });
  it('never throws', () => {
    for (const s of ['\ud800', '\u0000', 'http://\udfff/', '%', 'http://a b/']) expect(() => browser.parseURL(s)).not.toThrow();
  });
});
