import { describe, expect, it } from 'vitest';
import { parseOriginHeader } from '../src/index.js';

describe('parseOriginHeader', () => {
  const rows: { desc: string; input: string; want: string | null }[] = [
    { desc: 'canonical https', input: 'https://example.com', want: 'https://example.com' },
    { desc: 'upper case host', input: 'https://Example.com', want: null },
    { desc: 'default port written out', input: 'https://example.com:443', want: null },
    { desc: 'non-default port', input: 'https://example.com:8443', want: 'https://example.com:8443' },
    { desc: 'trailing slash', input: 'https://example.com/', want: null },
    { desc: 'IPv6 loopback (full parser)', input: 'http://[::1]:3000', want: 'http://[::1]:3000' },
    { desc: 'IPv4 short form', input: 'http://127.1', want: null },
  ];
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      const got = parseOriginHeader(input);
      expect(got?.serialized ?? null, `parseOriginHeader(${JSON.stringify(input)})`).toBe(want);
    });
  }
});
