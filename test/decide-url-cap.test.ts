// decide() reads only the part of `url` its origin depends on, at most MAX_ORIGIN_PART_LENGTH
// characters of the authority: at the cap a same-origin URL is still recognised, one past it the
// request is decided as cross-origin (the policy applies), and a 1 MB path or host changes nothing.
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { MAX_ORIGIN_PART_LENGTH, parseOrigin } from '../src/origin/origin.js';

const APP = 'https://app.example.com';
const policy = compilePolicy({ origins: ['https://other.example.com'] });
const get = (url: string) => policy.decide({ method: 'GET', origin: APP, url });

/** A URL whose authority (userinfo `u...@` + host) is exactly `length` characters. */
function withAuthority(length: number): string {
  const host = 'app.example.com';
  return `https://${'u'.repeat(length - host.length - 1)}@${host}/path`;
}

describe('decide(): the url cap', () => {
  it('at the cap: an authority of MAX_ORIGIN_PART_LENGTH characters is read, same origin', () => {
    const url = withAuthority(MAX_ORIGIN_PART_LENGTH);
    expect(url.length).toBeGreaterThan(MAX_ORIGIN_PART_LENGTH);
    expect(parseOrigin(url)?.serialized).toBe(APP);
    expect(get(url).kind).toBe('same-origin');
  });

  it('past the cap: one more character, and the url is not read: cross-origin, the policy decides', () => {
    const url = withAuthority(MAX_ORIGIN_PART_LENGTH + 1);
    expect(parseOrigin(url)).toBeNull();
    const d = get(url);
    expect(d.kind).not.toBe('same-origin');
    expect(d.allowed).toBe(false); // APP is not in the policy
  });

  it('a 1 MB path or query is never read: the origin comes from the authority', () => {
    for (const url of [`${APP}/${'a'.repeat(1 << 20)}`, `${APP}/?${'%'.repeat(1 << 20)}`, `${APP}/\t${'a'.repeat(1 << 20)}`]) {
      expect(get(url).kind, url.slice(0, 40)).toBe('same-origin');
    }
    expect(get(`https://other.example.com/${'a'.repeat(1 << 20)}`).kind).not.toBe('same-origin');
  });

  it('a 1 MB host is refused without being read: cross-origin', () => {
    const d = get(`https://${'a'.repeat(1 << 20)}.example.com/`);
    expect(d.kind).not.toBe('same-origin');
  });
});
