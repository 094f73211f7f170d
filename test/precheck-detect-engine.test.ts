// profile 'auto' (src/precheck/detect-engine.ts): the engine named by a user agent string, a table
// of real strings; 'spec' where there is none or it names no known engine.
import { describe, expect, it } from 'vitest';
import { detectEngine, detectEngineVersion } from '../src/precheck/detect-engine.js';
import { planFetch } from '../src/precheck/index.js';

const rows: { desc: string; ua: unknown; want: string; version: number | null }[] = [
  { desc: 'Chrome on Linux', ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', want: 'chromium', version: 156 },
  { desc: 'headless Chromium', ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.129 Safari/537.36', want: 'chromium', version: 156 },
  { desc: 'Edge', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0', want: 'chromium', version: 156 },
  { desc: 'Firefox ESR on Linux', ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0', want: 'firefox', version: 153 },
  { desc: 'Firefox on Android', ua: 'Mozilla/5.0 (Android 14; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0', want: 'firefox', version: 153 },
  { desc: 'Safari on macOS', ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15', want: 'webkit', version: null },
  { desc: 'Chrome on iOS is WebKit', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/156.0.0.0 Mobile/15E148 Safari/604.1', want: 'webkit', version: null },
  { desc: 'Firefox on iOS is WebKit', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/153.0 Mobile/15E148 Safari/605.1.15', want: 'webkit', version: null },
  { desc: 'WebKitGTK MiniBrowser', ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15', want: 'webkit', version: null },
  { desc: 'Node 21+', ua: 'Node.js/22', want: 'spec', version: null },
  { desc: 'Deno', ua: 'Deno/2.9.6', want: 'spec', version: null },
  { desc: 'no navigator (Node 20)', ua: undefined, want: 'spec', version: null },
  { desc: 'not a string', ua: 42, want: 'spec', version: null },
  { desc: 'Firefox/ without Gecko/ (a spoof)', ua: 'Firefox/1', want: 'spec', version: null },
];

describe('detectEngine (profile auto)', () => {
  for (const { desc, ua, want, version } of rows) {
    it(`${desc}: ${want}, version ${version}`, () => {
      expect(detectEngine(ua), `detectEngine(${JSON.stringify(ua)})`).toBe(want);
      expect(detectEngineVersion(ua), `detectEngineVersion(${JSON.stringify(ua)})`).toBe(version);
    });
  }
  it('reads the major version of older releases too, and nothing from a version without digits', () => {
    expect(detectEngineVersion('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.7871.100 Safari/537.36')).toBe(150);
    expect(detectEngineVersion('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe(140);
    expect(detectEngineVersion('Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko) Chrome/x.0 Safari/537.36')).toBe(null);
    expect(detectEngineVersion('Mozilla/5.0 Gecko/20100101 Firefox/99999.0')).toBe(null);
  });
  it("here (Node, whatever navigator says) 'auto' plans as the standard", () => {
    const init = { url: 'https://api.example.net/', headers: [['X-A', '1'], ['x-a', '2']] as [string, string][] };
    expect(detectEngine()).toBe('spec');
    expect(planFetch('https://app.example.com', init, { profile: 'auto' })).toEqual(planFetch('https://app.example.com', init, { profile: 'spec' }));
  });
});
