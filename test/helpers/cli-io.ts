// Run a CLI command function in-process with capturing streams.
import { Writable } from 'node:stream';

type IO = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean } };

function sink(tty: boolean) {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & { isTTY?: boolean };
  if (tty) stream.isTTY = true;
  return { stream, text: () => text };
}

/**
 * `command(argv, io)` with stdout and stderr captured: its exit code and what it printed. With
 * `tty`, stderr says it is a terminal (progress lines are written only there).
 */
export async function runCli(
  command: (argv: string[], io: IO) => Promise<number>,
  argv: string[],
  options: { tty?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink(false);
  const err = sink(options.tty === true);
  const code = await command(argv, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}
