// `corset origins add|remove|list --redis URL`: the origins a fleet of gateways shares through
// corset-cors/redis (the set and channel syncOrigins follows). Needs the `redis` package.
import { PolicyError } from '../policy/issues.js';
import { DEFAULT_CHANNEL, DEFAULT_KEY, publishOrigins, type RedisClientLike } from '../redis/index.js';
import { flagValue, parseArgs, UsageError } from './args.js';
import { EnvironmentError } from './errors.js';
import { formatIssue } from './policy-file.js';
import type { CliIO } from './main.js';

export const ORIGINS_USAGE = `Usage: corset origins add|remove|list --redis URL [--key K] [--channel C] [ORIGIN...]

Change or print the origins that gateways running syncOrigins (corset-cors/redis) share:
  add ORIGIN...     add exact origins to the set and announce them on the channel
  remove ORIGIN...  remove them, and announce it
  list              print the set, one origin a line

Options:
  --redis URL       the Redis server, e.g. redis://127.0.0.1:6379
  --key K           the set (default ${DEFAULT_KEY})
  --channel C       the channel (default ${DEFAULT_CHANNEL})
  --json            print what was done as JSON

Examples:
  corset origins add https://shop.tenant-a.example --redis redis://127.0.0.1:6379
  corset origins list --redis redis://127.0.0.1:6379 --json

Exit codes: 0 done; 2 bad usage (an invalid origin: nothing is changed); 4 the redis package is
not installed, or the server cannot be reached.
`;

const FLAGS = {
  redis: { value: true },
  key: { value: true },
  channel: { value: true },
  json: { value: false },
  help: { value: false },
} as const;

interface ConnectableClient extends RedisClientLike {
  connect(): Promise<unknown>;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
}

export async function runOrigins(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.has('help')) {
    io.stdout.write(ORIGINS_USAGE);
    return 0;
  }
  const [action, ...origins] = args.positionals;
  if (action !== 'add' && action !== 'remove' && action !== 'list') {
    throw new UsageError(`origins needs add, remove or list${action === undefined ? '' : `, got ${JSON.stringify(action)}`}`);
  }
  if (action === 'list' && origins.length > 0) throw new UsageError(`origins list takes no origins, got ${JSON.stringify(origins[0])}`);
  if (action !== 'list' && origins.length === 0) throw new UsageError(`origins ${action} needs at least one origin`);
  const url = flagValue(args, 'redis');
  if (url === undefined) throw new UsageError('origins needs --redis URL');
  const key = flagValue(args, 'key') ?? DEFAULT_KEY;
  const channel = flagValue(args, 'channel') ?? DEFAULT_CHANNEL;
  const json = args.flags.has('json');

  let redis: { createClient(o: { url: string; socket: { connectTimeout: number; reconnectStrategy: (retries: number, cause: Error) => number | Error } }): unknown };
  try {
    redis = (await import('redis')) as never;
  } catch {
    throw new EnvironmentError('origins needs the redis package: npm install redis');
  }
  // A one-shot command: a server that cannot be reached is an error after two retries, not a hang
  // (the client's default retries for ever).
  const socket = { connectTimeout: 5000, reconnectStrategy: (retries: number, cause: Error) => (retries >= 2 ? cause : 100) };
  const client = redis.createClient({ url, socket }) as ConnectableClient;
  let failure: unknown = null;
  client.on('error', (err) => {
    failure ??= err;
  });
  try {
    await client.connect();
    if (action === 'list') {
      const members = (await client.sMembers(key)).sort();
      io.stdout.write(json ? `${JSON.stringify({ key, origins: members })}\n` : members.map((m) => `${m}\n`).join(''));
      return 0;
    }
    const done = await publishOrigins(client, action === 'add' ? { add: origins } : { remove: origins }, { key, channel });
    const list = action === 'add' ? done.add : done.remove;
    io.stdout.write(json ? `${JSON.stringify({ key, channel, [action]: list })}\n` : `${action === 'add' ? 'added' : 'removed'} ${list.join(' ')} (${key}, announced on ${channel})\n`);
    return 0;
  } catch (err) {
    if (err instanceof PolicyError) throw new UsageError(`nothing was changed:\n${err.issues.map((i) => formatIssue(i)).join('\n')}`);
    throw new EnvironmentError(`${url}: ${err instanceof Error ? err.message : String(failure ?? err)}`);
  } finally {
    await (client.close !== undefined ? client.close() : client.quit?.())?.catch(() => {});
  }
}
