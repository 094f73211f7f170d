// Run a CLI command function in-process with capturing streams.
import { Writable } from 'node:stream';

type IO = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

/** `command(argv, io)` with stdout and stderr captured: its exit code and what it printed. */
export async function runCli(
  command: (argv: string[], io: IO) => Promise<number>,
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const code = await command(argv, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}
