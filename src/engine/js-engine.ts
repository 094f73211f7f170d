// The TypeScript engine: the reference every other engine is held to, and the fallback where
// WebAssembly cannot run. It walks the packed tables of ./tables.ts through typed-array views
// (./match-tables.ts); what it does around the walk (the length cap, `null`, the exact fast path,
// the canonical check, RegExp rules) is every engine's, in ./rule-front.ts tableMatcher.
import type { OriginMatcher, OriginRule } from '../policy/rules.js';
import { matchTables } from './match-tables.js';
import { tableMatcher, type EngineOptions } from './rule-front.js';
import { exactMissPath } from './exact-miss.js';

/** Compile a validated rule list into the TypeScript engine. */
export function createJsMatcher(rules: readonly OriginRule[], options?: EngineOptions): OriginMatcher {
  return tableMatcher(rules, (tables, origin, scan) => matchTables(tables, origin, scan.hostStart, scan.hostEnd, scan.port), exactMissPath, options);
}
