// docs/cli.md tells the truth about the binary: each command's flag table lists exactly the flags
// its parser takes (and its help's Options), its exit codes are the ones its help names, and every
// ```console transcript (`$ corset ...`, `$ echo $?`) prints what the built binary prints.
// Needs `npm run build` for the transcripts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_FLAGS, main } from '../src/cli/main.js';
import { runCli } from './helpers/cli-io.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const doc = readFileSync(path.join(root, 'docs', 'cli.md'), 'utf8');

/** The text of the `## \`corset CMD\`` section, up to the next `## `. */
function section(command: string): string {
  const start = doc.search(new RegExp(`^## \`corset ${command}\``, 'm'));
  if (start === -1) return '';
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, next === -1 ? undefined : next);
}

/** Flags named in the first column of a section's table. */
function documentedFlags(text: string): string[] {
  return [...text.matchAll(/^\| `--([a-z-]+)[^`]*` \|/gm)].map((m) => m[1]!).sort();
}

/** The exit codes a text's "Exit codes:" sentence names (up to the blank line after it). */
function exitCodes(text: string): number[] {
  const at = text.indexOf('Exit codes:');
  if (at === -1) return [];
  const sentence = text.slice(at, text.indexOf('\n\n', at) === -1 ? undefined : text.indexOf('\n\n', at));
  return [...new Set([...sentence.matchAll(/(?:^|[:;,] ?)\s*([0-4])\s/g)].map((m) => Number(m[1])))].sort();
}

const commands = Object.keys(COMMAND_FLAGS);

describe('docs/cli.md against the parser and the help', () => {
  it('the parsers cover the commands the usage lists', async () => {
    const usage = (await runCli(main, ['--help'])).stdout;
    const listed = [...usage.matchAll(/^ {2}corset ([a-z]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(new Set(listed)).toEqual(new Set(commands));
  });

  for (const command of commands) {
    it(`corset ${command}: the flag table is the parser's flags and the help's options; the exit codes agree`, async () => {
      const text = section(command);
      expect(text, `docs/cli.md has a "## \`corset ${command}\`" section`).not.toBe('');
      const parser = Object.keys(COMMAND_FLAGS[command]!)
        .filter((f) => f !== 'help')
        .sort();
      expect(documentedFlags(text), 'docs/cli.md flags').toEqual(parser);
      const help = (await runCli(main, ['help', command])).stdout;
      const options = help.slice(help.indexOf('Options:'), help.indexOf('\n\n', help.indexOf('Options:')));
      expect([...new Set([...options.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]!))].sort(), `corset help ${command}: Options`).toEqual(parser);
      expect(exitCodes(text), 'docs/cli.md exit codes').toEqual(exitCodes(help));
      expect(exitCodes(text).length, 'at least success and bad usage').toBeGreaterThanOrEqual(2);
      // The synopsis names each flag too.
      const synopsis = doc.slice(0, doc.indexOf('\n## '));
      for (const flag of parser) expect(synopsis, `synopsis: corset ${command} --${flag}`).toMatch(new RegExp(`corset ${command}\\b.*--${flag}\\b`));
    });
  }

  it('a flag the table lists is one the parser takes (a guard on the comparison above)', async () => {
    const r = await runCli(main, ['lint', '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option --no-such-flag/);
  });
});

describe('docs/cli.md transcripts', () => {
  const blocks = [...doc.matchAll(/^```console\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  it('there are some', () => expect(blocks.length).toBeGreaterThan(0));
  blocks.forEach((block, n) => {
    it(`transcript ${n + 1} prints what the binary prints`, () => {
      let last: number | null = null;
      const lines = block.replace(/\n$/, '').split('\n');
      for (let i = 0; i < lines.length; ) {
        const command = lines[i]!;
        expect(command.startsWith('$ '), `line ${JSON.stringify(command)} is a command`).toBe(true);
        let j = i + 1;
        while (j < lines.length && !lines[j]!.startsWith('$ ')) j++;
        const shown = lines.slice(i + 1, j).join('\n');
        if (command === '$ echo $?') {
          expect(String(last), 'the exit code shown').toBe(shown);
        } else {
          const argv = command.slice(2).split(/\s+/);
          expect(argv[0]).toBe('corset');
          const r = spawnSync(process.execPath, [path.join(root, 'bin', 'corset.js'), ...argv.slice(1)], { cwd: root, encoding: 'utf8', timeout: 30_000 });
          last = r.status;
          expect(`${r.stdout}${r.stderr}`.replace(/\n$/, ''), command).toBe(shown);
        }
        i = j;
      }
    });
  });
});
