// The browser matcher bundle's form of ./exact-miss.ts (scripts/build-browser.mjs ENTRY_SWAPS):
// no miss fast path. A page asks about a handful of origins, so a miss takes the engines' full
// path (the canonical check, then the walk), which gives the same answer (test/exact-miss.test.ts
// holds the two paths to each other), and the bundle stays within its size budget.
import type { MissPath } from './exact-miss.js';

export type { MissPath } from './exact-miss.js';

/** None here: every miss takes the full path. */
export const exactMissPath: MissPath | null = null;
