// profile 'auto' (src/precheck/detect-engine.ts): the engine named by a user agent string, a table
// of real strings; 'spec' where there is none or it names no known engine.
import { describe, expect, it } from 'vitest';
import { detectEngine } from '../src/precheck/detect-engine.js';
import { planFetch } from '../src/precheck/index.js';

const rows: { desc: string; ua: unknown; want: string }[] = [
  { desc: 'Chrome on Linux', ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', want: 'chromium' },
  { desc: 'headless Chromium', ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.129 Safari/537.36', want: 'chromium' },
  { desc: 'Edge', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0', want: 'chromium' },
  { desc: 'Firefox ESR on Linux', ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0', want: 'firefox' },
  { desc: 'Firefox on Android', ua: 'Mozilla/5.0 (Android 14; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0', want: 'firefox' },
  { desc: 'Safari on macOS', ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15', want: 'webkit' },
  { desc: 'Chrome on iOS is WebKit', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/156.0.0.0 Mobile/15E148 Safari/604.1', want: 'webkit' },
  { desc: 'Firefox on iOS is WebKit', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/153.0 Mobile/15E148 Safari/605.1.15', want: 'webkit' },
  { desc: 'WebKitGTK MiniBrowser', ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15', want: 'webkit' },
  { desc: 'Node 21+', ua: 'Node.js/22', want: 'spec' },
  { desc: 'Deno', ua: 'Deno/2.9.6', want: 'spec' },
  { desc: 'no navigator (Node 20)', ua: undefined, want: 'spec' },
  { desc: 'not a string', ua: 42, want: 'spec' },
  { desc: 'Firefox/ without Gecko/ (a spoof)', ua: 'Firefox/1', want: 'spec' },
];

describe('detectEngine (profile auto)', () => {
  for (const { desc, ua, want } of rows) {
    it(`${desc}: ${want}`, () => {
      expect(detectEngine(ua), `detectEngine(${JSON.stringify(ua)})`).toBe(want);
    });
  }
  it("here (Node, whatever navigator says) 'auto' plans as the standard", () => {
    const init = { url: 'https://api.example.net/', headers: [['X-A', '1'], ['x-a', '2']] as [string, string][] };
    expect(detectEngine()).toBe('spec');
    expect(planFetch('https://app.example.com', init, { profile: 'auto' })).toEqual(planFetch('https://app.example.com', init, { profile: 'spec' }));
  });
});
