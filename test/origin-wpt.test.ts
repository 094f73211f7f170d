// Conformance: the web-platform-tests URL suite (test/fixtures/wpt/urltestdata.json, pinned; see
// its README.md). Every row with an `origin` must give that origin; every `failure` row must give
// null. Known failures would live in expectations.json (there are none).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOrigin, parseOriginHeader } from '../src/index.js';

interface UrlTestRow {
  input: string;
  base: string | null;
  href?: string;
  origin?: string;
  failure?: boolean;
}

const here = new URL('./fixtures/wpt/', import.meta.url);
const rows = (JSON.parse(readFileSync(new URL('urltestdata.json', here), 'utf8')) as unknown[]).filter(
  (r): r is UrlTestRow => typeof r === 'object' && r !== null,
);
const expectations = JSON.parse(readFileSync(new URL('expectations.json', here), 'utf8')) as {
  failures: Record<string, string>;
};

/**
 * parseOrigin takes an absolute URL and no base. A row's input is used as it stands when it
 * resolves to the row's href without the base (checked with Node's own URL, an independent
 * implementation); otherwise the resolved href stands in for it.
 */
function absoluteInput(r: UrlTestRow): string {
  if (r.base === null) return r.input;
  try {
    if (new URL(r.input).href === r.href) return r.input;
  } catch {
    // relative to its base
  }
  return r.href!;
}

describe('WPT urltestdata.json: origins', () => {
  const originRows = rows.filter((r) => r.origin !== undefined && expectations.failures[r.input] === undefined);
  it('has the rows the fixture README promises', () => {
    expect(rows.length).toBe(601);
    expect(rows.filter((r) => r.origin !== undefined).length).toBe(317);
  });

  const asWritten = originRows.filter((r) => absoluteInput(r) === r.input).length;
  it('runs most origin rows on their input as written', () => expect(asWritten).toBeGreaterThan(200));
  for (const row of originRows) {
    const input = absoluteInput(row);
    it(`parseOrigin(${JSON.stringify(input)})`, () => {
      const got = parseOrigin(input);
      expect(got?.serialized ?? 'failure', `parseOrigin(${JSON.stringify(input)}): got ${got?.serialized}; want ${row.origin}`).toBe(row.origin);
    });
  }

  // A tuple origin's serialization is canonical: the strict header reader gives it back unchanged.
  for (const origin of new Set(originRows.map((r) => r.origin!).filter((o) => o !== 'null'))) {
    it(`parseOriginHeader(${JSON.stringify(origin)}) round-trips`, () => {
      expect(parseOriginHeader(origin)?.serialized).toBe(origin);
    });
  }
});

describe('WPT urltestdata.json: failures', () => {
  const failureRows = rows.filter((r) => r.failure === true && expectations.failures[r.input] === undefined);
  it('has failure rows', () => expect(failureRows.length).toBe(226));
  for (const row of failureRows) {
    // A URL that fails against its base fails without one too (a base only helps relative input).
    it(`parseOrigin(${JSON.stringify(row.input)}) is null`, () => {
      expect(parseOrigin(row.input), `parseOrigin(${JSON.stringify(row.input)})`).toBeNull();
    });
  }
});
