// The `corset` command line (placeholder entry until the CLI lands).
export async function main(_argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  io.stderr.write('corset: no commands yet\n');
  return 2;
}
