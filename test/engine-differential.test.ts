// The small differential fuzz that runs in `npm test` (the full one is `npm run fuzz`): seeded
// random policies of every shape, adversarial origins, every engine against the plain reference.
import { describe, expect, it } from 'vitest';
import { createJsMatcher } from '../src/engine/js-engine.js';
import { createWasmMatcher } from '../src/engine/wasm-engine.js';
import { describeDisagreement, runDifferential } from './fuzz/differential.js';

describe('differential fuzz (small)', () => {
  it('the JS and WASM engines agree with the reference on every origin', () => {
    const counts = runDifferential(
      {
        seed: 20240601,
        groups: [
          { size: 1, policies: 5, origins: 1500 },
          { size: 3, policies: 5, origins: 1500 },
          { size: 10, policies: 5, origins: 1500 },
          { size: 40, policies: 5, origins: 1500 },
          { size: 200, policies: 5, origins: 800 },
        ],
      },
      { js: createJsMatcher, wasm: createWasmMatcher },
    );
    expect(counts.disagreementCount, counts.disagreements.map(describeDisagreement).join('\n')).toBe(0);
    // The generator must exercise every verdict, or agreeing proves little.
    for (const verdict of ['allowed', 'none', 'invalid'] as const) {
      expect(counts[verdict] / counts.origins, `share of ${verdict}: got ${counts[verdict]} of ${counts.origins}; want >= 10%`).toBeGreaterThanOrEqual(0.1);
    }
  });
});
