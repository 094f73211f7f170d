// The README tells the truth about the closed sets it documents and the commands it shows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DECISION_REASONS, POLICY_ISSUE_CODES } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('lists every policy issue code with its severity', () => {
    for (const [code, { severity }] of Object.entries(POLICY_ISSUE_CODES)) {
      expect(readme, `README: row for ${code}`).toContain(`| \`${code}\` | ${severity} |`);
    }
  });
  it('lists every decision reason', () => {
    for (const reason of Object.keys(DECISION_REASONS)) {
      expect(readme, `README: row for ${reason}`).toContain(`| \`${reason}\` |`);
    }
  });
  it('names the test command and the demo command that package.json defines', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.scripts.demo).toBeDefined();
    expect(readme).toContain('npm run demo');
    expect(readme).toContain('npm test');
  });
});
