// What is wrong with an Origin value that is not a serialized origin: the policy lint's own
// pattern parser (parseOriginPattern) names the mistake, and a value it accepts but that is not
// canonical is shown in the form a browser sends (HTML §7.1.1 ASCII serialization of an origin).
import { formatOriginPattern, parseOriginPattern } from '../policy/pattern.js';

/** A one-line explanation of why `origin` is not a valid Origin header value. */
export function explainInvalidOrigin(origin: string): string {
  if (origin === '') return 'the value is empty: a browser sends a serialized origin such as "https://app.example.com", or "null"';
  const parsed = parseOriginPattern(origin);
  if ('error' in parsed) return `${JSON.stringify(origin)} ${parsed.error.message}`;
  const canonical = formatOriginPattern(parsed.rule);
  if (canonical.includes('*')) return `${JSON.stringify(origin)} is a pattern with a wildcard; a browser sends one origin, such as ${JSON.stringify(canonical.replace('*', 'app'))}`;
  if (canonical !== origin) return `${JSON.stringify(origin)} is not how a browser writes an origin: it sends ${JSON.stringify(canonical)} (lower-case scheme and host, no default port)`;
  return `${JSON.stringify(origin)} is not a serialized origin (or is longer than any origin can be)`;
}
