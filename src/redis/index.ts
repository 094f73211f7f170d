/**
 * A fleet of gateways sharing the origins added at runtime through one Redis set and a channel: `syncOrigins` and `publishOrigins`.
 * @module corset-cors/redis
 */
// corset-cors/redis: the origins a fleet of gateways adds at runtime, kept in one Redis set and
// announced on a channel (DESIGN.md, "Origins that change at runtime").
//
//   const client = createClient({ url }); await client.connect();
//   const sync = await syncOrigins(live, { client });     // every gateway
//   await publishOrigins(client, { add: ['https://shop.tenant.example'] });   // anyone
//
// The data: a set `key` (default `corset:origins`) of canonical exact origins, and a channel
// (default `corset:origins`) carrying `{"add":[...],"remove":[...]}` for each change.
// publishOrigins changes the set and publishes in one MULTI, so a gateway that reads the set and
// one that hears the message agree. Each gateway:
// - subscribes first, then loads the whole set (SMEMBERS) and makes its added origins exactly
//   that set; messages heard while the set was being read are applied again after it, so a
//   change that raced the read is never lost;
// - applies each message to its live policy (addOrigins / removeOrigins);
// - after a reconnect, loads the whole set again (a message published while it was away is
//   never heard);
// - while Redis is down, keeps serving the last list it had: an outage never denies an origin
//   it already knew.
// node-redis (the `redis` package) is an optional peer dependency: only this subpath needs it.
import type { LivePolicy } from '../live/live-policy.js';
import { canonicalExactOrigins } from '../live/live-policy.js';
import { PolicyError } from '../policy/issues.js';
import { describeType } from '../arguments.js';

/** The Redis set that holds the added origins, unless `key` names another. */
export const DEFAULT_KEY = 'corset:origins';
/** The channel on which changes are announced, unless `channel` names another. */
export const DEFAULT_CHANNEL = 'corset:origins';

/** The part of a node-redis client (v4 or v5) that corset uses. */
export interface RedisClientLike {
  /** SMEMBERS: every member of a set. */
  sMembers(key: string): Promise<string[]>;
  /** MULTI: a transaction. */
  multi(): RedisMultiLike;
  /** A second connection, for subscribing. */
  duplicate(): RedisSubscriberLike;
  /** Connection errors. */
  on(event: 'error', listener: (err: Error) => void): unknown;
}
/** The part of a node-redis MULTI transaction that corset uses. */
export interface RedisMultiLike {
  /** SADD in the transaction. */
  sAdd(key: string, members: string[]): RedisMultiLike;
  /** SREM in the transaction. */
  sRem(key: string, members: string[]): RedisMultiLike;
  /** PUBLISH in the transaction. */
  publish(channel: string, message: string): RedisMultiLike;
  /** EXEC: run the transaction. */
  exec(): Promise<unknown>;
}
/** The part of a node-redis subscriber connection that corset uses. */
export interface RedisSubscriberLike {
  /** Open the connection. */
  connect(): Promise<unknown>;
  /** SUBSCRIBE to a channel. */
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  /** The connection is (again) ready: corset reloads the whole set. */
  on(event: 'ready', listener: () => void): unknown;
  /** Connection errors. */
  on(event: 'error', listener: (err: Error) => void): unknown;
  /** node-redis v5 calls it close(), v4 quit(). */
  close?(): Promise<unknown>;
  /** node-redis v4's close(). */
  quit?(): Promise<unknown>;
}

/** The options of `syncOrigins`. */
export interface SyncOriginsOptions {
  /** A connected node-redis client. A second connection (`client.duplicate()`) subscribes. */
  client: RedisClientLike;
  /** The Redis set of origins (default `DEFAULT_KEY`). */
  key?: string;
  /** The channel changes are announced on (default `DEFAULT_CHANNEL`). */
  channel?: string;
  /** Told about what could not be applied (a bad origin in a message, a failed reload). Default: a process warning. */
  onError?: (err: unknown) => void;
}

/** A running `syncOrigins`. */
export interface OriginsSync {
  /** How many times the whole set was loaded (1 after start, +1 after each reconnect). */
  readonly loads: number;
  /** Stop listening; the live policy keeps the origins it has. */
  close(): Promise<void>;
}

/** What a published change holds. */
export interface OriginsChange {
  /** Exact origins to add. */
  add?: readonly string[];
  /** Exact origins to remove. */
  remove?: readonly string[];
}

/**
 * Keep `live`'s added origins equal to the Redis set `key`, following the changes published on
 * `channel`. Resolves once the set has been loaded the first time.
 */
export async function syncOrigins(live: LivePolicy, options: SyncOriginsOptions): Promise<OriginsSync> {
  if (live === null || typeof live !== 'object' || typeof live.addOrigins !== 'function') {
    throw new TypeError(`corset: syncOrigins(live): live must be a LivePolicy (createLivePolicy), got ${describeType(live)}`);
  }
  const { client } = options;
  if (client === null || typeof client !== 'object' || typeof client.sMembers !== 'function') {
    throw new TypeError('corset: syncOrigins(live, options): options.client must be a connected node-redis client');
  }
  const key = options.key ?? DEFAULT_KEY;
  const channel = options.channel ?? DEFAULT_CHANNEL;
  const report = options.onError ?? ((err: unknown) => process.emitWarning(`corset: syncOrigins: ${errorText(err)}`));

  let loads = 0;
  let closed = false;
  let reloading = false;
  let again = false;
  // Changes heard while a load is under way: applied again once it ends.
  let heardDuringLoad: OriginsChange[] | null = null;

  function apply(change: OriginsChange): void {
    if (change.add !== undefined && change.add.length > 0) applyEach(change.add, (o) => live.addOrigins(o));
    if (change.remove !== undefined && change.remove.length > 0) applyEach(change.remove, (o) => live.removeOrigins(o));
  }
  /** All at once; when the policy refuses one entry, the others one by one (each refusal reported). */
  function applyEach(origins: readonly string[], op: (o: readonly string[]) => unknown): void {
    try {
      op(origins);
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      for (const origin of origins) {
        try {
          op([origin]);
        } catch (one) {
          report(one);
        }
      }
    }
  }

  function onMessage(message: string): void {
    let change: OriginsChange;
    try {
      change = parseChange(message);
    } catch (err) {
      report(err);
      return;
    }
    if (heardDuringLoad !== null) heardDuringLoad.push(change);
    apply(change);
  }

  /** The whole set, made the live policy's added origins. Failures leave the list as it was. */
  async function load(): Promise<void> {
    if (reloading) {
      again = true;
      return;
    }
    reloading = true;
    try {
      do {
        again = false;
        heardDuringLoad = [];
        const members = await client.sMembers(key);
        if (closed) return;
        const want = new Set(members);
        const stale = live.addedOrigins().filter((o) => !want.has(o));
        if (stale.length > 0) applyEach(stale, (o) => live.removeOrigins(o));
        if (members.length > 0) applyEach(members, (o) => live.addOrigins(o));
        for (const change of heardDuringLoad) apply(change);
        heardDuringLoad = null;
        loads++;
      } while (again && !closed);
    } finally {
      heardDuringLoad = null;
      reloading = false;
    }
  }

  const subscriber = client.duplicate();
  subscriber.on('error', report);
  let connectedOnce = false;
  subscriber.on('ready', () => {
    // After a reconnect (node-redis subscribes again by itself): what was missed is in the set.
    if (connectedOnce && !closed) load().catch(report);
    connectedOnce = true;
  });
  await subscriber.connect();
  await subscriber.subscribe(channel, onMessage);
  await load();

  return {
    get loads() {
      return loads;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await (subscriber.close !== undefined ? subscriber.close() : subscriber.quit?.());
    },
  };
}

/**
 * Add and remove origins in the set `key` and announce the change on `channel`, in one MULTI.
 * Entries are checked as exact origins and stored in canonical form; a bad one throws
 * PolicyError and nothing is sent. Each gateway still checks them against its own policy.
 */
export async function publishOrigins(
  client: RedisClientLike,
  change: OriginsChange,
  options: {
    /** The Redis set of origins (default `DEFAULT_KEY`). */
    key?: string;
    /** The channel to announce on (default `DEFAULT_CHANNEL`). */
    channel?: string;
  } = {},
): Promise<{
  /** The origins added, in canonical form. */
  add: string[];
  /** The origins removed, in canonical form. */
  remove: string[];
}> {
  if (change === null || typeof change !== 'object') {
    throw new TypeError(`corset: publishOrigins(client, change): change must be { add?, remove? }, got ${describeType(change)}`);
  }
  const add = change.add === undefined ? [] : canonicalExactOrigins(change.add, 'add');
  const remove = change.remove === undefined ? [] : canonicalExactOrigins(change.remove, 'remove');
  if (add.length === 0 && remove.length === 0) return { add, remove };
  const key = options.key ?? DEFAULT_KEY;
  const channel = options.channel ?? DEFAULT_CHANNEL;
  let tx = client.multi();
  if (add.length > 0) tx = tx.sAdd(key, add);
  if (remove.length > 0) tx = tx.sRem(key, remove);
  await tx.publish(channel, JSON.stringify({ add, remove })).exec();
  return { add, remove };
}

/** A published message: `{"add":[...],"remove":[...]}`, both optional arrays of strings. */
function parseChange(message: string): OriginsChange {
  const v: unknown = JSON.parse(message);
  const isList = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (v === null || typeof v !== 'object') throw new TypeError(`corset: syncOrigins: a message is not a change object: ${message.slice(0, 120)}`);
  const { add, remove } = v as Record<string, unknown>;
  if ((add !== undefined && !isList(add)) || (remove !== undefined && !isList(remove))) {
    throw new TypeError(`corset: syncOrigins: a message's add/remove must be arrays of strings: ${message.slice(0, 120)}`);
  }
  return { ...(add === undefined ? {} : { add }), ...(remove === undefined ? {} : { remove }) };
}

function errorText(err: unknown): string {
  if (err instanceof PolicyError) return err.issues.map((i) => i.message).join('; ');
  return err instanceof Error ? err.message : String(err);
}
