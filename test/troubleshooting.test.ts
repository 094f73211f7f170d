// docs/troubleshooting.md is keyed by the browser's CORS errors: every precheck reason that is a CORS
// error in DevTools (corsErrorNameOf) has its place on the page, every section quotes Chromium,
// Firefox (or names why not) and the precheck reason, and every server-side denial reason is
// explained, so a reason from `corset check` or `onDecision` can be looked up.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DECISION_REASONS, PRECHECK_REASONS, corsErrorNameOf } from '../src/index.js';

const page = readFileSync(new URL('../docs/troubleshooting.md', import.meta.url), 'utf8');
const sections = page.split(/^## /m).slice(1);

describe('docs/troubleshooting.md', () => {
  it('names every precheck reason that DevTools reports as a CORS error', () => {
    const corsErrors = Object.keys(PRECHECK_REASONS).filter((r) => corsErrorNameOf(r) !== null);
    expect(corsErrors.length).toBeGreaterThan(15);
    expect(corsErrors.filter((r) => !page.includes(`\`${r}\``))).toEqual([]);
  });
  it('explains every server-side denial reason', () => {
    const denials = Object.keys(DECISION_REASONS).filter((r) => !['ok', 'not-cors', 'same-origin'].includes(r));
    expect(denials.filter((r) => !page.includes(`\`${r}\``))).toEqual([]);
  });
  it('gives each CORS-error section the Firefox wording and the precheck reason', () => {
    const keyed = sections.filter((s) => s.includes('precheck:'));
    expect(keyed.length).toBeGreaterThan(10);
    for (const s of keyed) {
      const title = s.slice(0, s.indexOf('\n'));
      expect(s, `${title}: Firefox`).toMatch(/^- Firefox: /m);
      expect(s, `${title}: precheck`).toMatch(/^- precheck: `[a-z-]+`/m);
    }
  });
});
