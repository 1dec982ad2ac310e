/**
 * The shared log in Redis, and nothing else: which keys, and the few atomic steps on them (Lua scripts, so
 * that no two replicas interleave inside one). Under the prefix P:
 *
 * - `P:log`: a stream of changes, each entry `n` (1, 2, 3, ... with no gap), `g` (the epoch) and `e` (the
 *   change as JSON);
 * - `P:n`: the number of the last change appended;
 * - `P:snap` and `P:snap-n`: the latest snapshot (`{n, id, epoch, image}`, see image.ts) and its `n`, kept
 *   apart so that comparing does not read the whole state;
 * - `P:epoch`: a random name given each time a state is put in (the first seed, or a replica restoring an
 *   emptied Redis). A replica that meets another epoch than its own knows its history is not the log's any
 *   more, and loads the snapshot again: replicas never apply changes numbered in two different histories.
 *
 * Appending refuses while there is no epoch: Redis then lost its data (restarted with no persistence), and
 * a replica must first put back the state it holds (`restore`), or changes would be numbered afresh.
 */
import { Redis } from "ioredis";
import type { MockImage } from "./image.ts";

export interface Snapshot {
  /** The number of the last change the image holds (0: none, the seed). */
  n: number;
  /** The history it belongs to (see `P:epoch`). */
  epoch: string;
  /** The stream id of that change; reading goes on after it. */
  id: string;
  image: MockImage;
}

/** A change as read back from the stream. */
export interface LogEntry {
  id: string;
  n: number;
  epoch: string;
  text: string;
}

/** Where the log stands: the number of the last change and the epoch; `epoch` null when Redis holds nothing. */
export interface LogHead {
  n: number;
  epoch: string | null;
}

/** Thrown by `append` when the prefix has no snapshot: Redis lost its data. */
export class EmptyLogError extends Error {
  override name = "EmptyLogError";
}

// KEYS: log, n, epoch. ARGV: the change.
const APPEND = `
local epoch = redis.call('GET', KEYS[3])
if not epoch then return redis.error_reply('EMPTY no state') end
local n = redis.call('INCR', KEYS[2])
local id = redis.call('XADD', KEYS[1], '*', 'n', n, 'g', epoch, 'e', ARGV[1])
return {id, n, epoch}`;

// KEYS: log, n, snap, snapN, epoch. ARGV: n, snapshot, epoch.
/**
 * Puts a state in, as a new epoch: into an empty Redis (the first replica seeds it; a replica restores an
 * emptied one), or over a state that is behind it and to which nothing was appended since it was put in
 * (two replicas restoring at once: the further along wins, before anyone builds on the other).
 */
const RESTORE = `
local held = tonumber(redis.call('GET', KEYS[4]) or '-1')
if held >= 0 then
  local n = tonumber(redis.call('GET', KEYS[2]) or '-1')
  if n > held or n >= tonumber(ARGV[1]) then return 0 end
end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], ARGV[1])
redis.call('SET', KEYS[5], ARGV[3])
return 1`;

// KEYS: log, n, snap, snapN, epoch, the snapshot written aside. ARGV: n, epoch, n of the previous point, keep.
/**
 * Makes the snapshot written aside (piece by piece, so that Redis serves the others meanwhile) the one
 * held, if it is newer and of the same epoch; then trims the log to the changes since the previous
 * snapshot point, but never to fewer than \`keep\`: a replica a little behind still finds what it has not
 * read. The trim is approximate (whole nodes of the stream), which costs Redis little.
 */
const SNAPSHOT = `
if redis.call('GET', KEYS[5]) ~= ARGV[2] or tonumber(redis.call('GET', KEYS[4]) or '-1') >= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[6])
  return 0
end
redis.call('RENAME', KEYS[6], KEYS[3])
redis.call('PERSIST', KEYS[3])
redis.call('SET', KEYS[4], ARGV[1])
if ARGV[3] ~= '' then
  local last = tonumber(redis.call('GET', KEYS[2]))
  redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', math.max(tonumber(ARGV[4]), last - tonumber(ARGV[3]) + 1))
end
return 1`;

/** How long a snapshot written aside may stay when its writer dies before making it the one held. */
const ASIDE_TTL_MS = 10 * 60 * 1000;

type Scripted = Redis & {
  appendChange(log: string, n: string, epoch: string, change: string): Promise<[string, number, string]>;
  restoreState(...args: [string, string, string, string, string, number, string, string]): Promise<number>;
  keepSnapshot(
    ...args: [string, string, string, string, string, string, number, string, string, number]
  ): Promise<number>;
};

export class RedisLog {
  readonly keys: { log: string; n: string; snap: string; snapN: string; epoch: string };
  /** Commands: fail at once while disconnected (a write is then a 503, a read is flagged stale). */
  readonly client: Scripted;
  /** Blocking reads of the stream only, on a connection of their own. */
  readonly reader: Redis;

  constructor(url: string, prefix: string, onError: (error: Error) => void) {
    this.keys = {
      log: `${prefix}:log`,
      n: `${prefix}:n`,
      snap: `${prefix}:snap`,
      snapN: `${prefix}:snap-n`,
      epoch: `${prefix}:epoch`,
    };
    const common = {
      enableOfflineQueue: false,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      // Reconnect for ever, quickly at first: a QA environment's Redis comes back.
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    };
    this.client = new Redis(url, { ...common, commandTimeout: 2000 }) as Scripted;
    this.client.defineCommand("appendChange", { numberOfKeys: 3, lua: APPEND });
    this.client.defineCommand("restoreState", { numberOfKeys: 5, lua: RESTORE });
    this.client.defineCommand("keepSnapshot", { numberOfKeys: 6, lua: SNAPSHOT });
    this.reader = new Redis(url, common);
    // Without a listener, ioredis reports a lost connection as an unhandled error event.
    this.client.on("error", onError);
    this.reader.on("error", onError);
  }

  /** Resolves once both connections are ready; until then ioredis keeps trying (retryStrategy). */
  async connect(): Promise<void> {
    await Promise.all([ready(this.client), ready(this.reader)]);
  }

  get connected(): boolean {
    return this.client.status === "ready";
  }

  /** Appends a change; resolves to its entry as the log holds it. */
  async append(change: string): Promise<LogEntry> {
    const { log, n, epoch } = this.keys;
    try {
      const [id, at, era] = await this.client.appendChange(log, n, epoch, change);
      return { id, n: Number(at), epoch: era, text: change };
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("EMPTY")) throw new EmptyLogError(error.message);
      throw error;
    }
  }

  /** Where the log stands (one round trip). */
  async head(): Promise<LogHead> {
    const [n, epoch] = await this.client.mget(this.keys.n, this.keys.epoch);
    return { n: n === null ? -1 : Number(n), epoch: epoch ?? null };
  }

  async snapshot(): Promise<Snapshot | undefined> {
    const text = await this.client.get(this.keys.snap);
    return text === null ? undefined : (JSON.parse(text) as Snapshot);
  }

  /** Puts a state in as a new epoch, when RESTORE allows (see above); true when written. */
  async restore(snapshot: Snapshot): Promise<boolean> {
    const { log, n, snap, snapN, epoch } = this.keys;
    const text = JSON.stringify(snapshot);
    return (await this.client.restoreState(log, n, snap, snapN, epoch, snapshot.n, text, snapshot.epoch)) === 1;
  }

  /**
   * Writes a snapshot (the JSON of a `Snapshot` at change `at` of epoch `era`, in pieces) aside, then makes
   * it the one held if it is the newest of its epoch, and trims the log to the changes from `previous` (the
   * number of the previous snapshot point) on, keeping at least `keep`. `aside` names the key written to
   * (one per replica).
   */
  async keep(
    at: number,
    era: string,
    pieces: AsyncIterable<Buffer>,
    aside: string,
    previous: number | undefined,
    keep: number,
  ): Promise<boolean> {
    const { log, n, snap, snapN, epoch } = this.keys;
    const key = `${snap}-aside:${aside}`;
    await this.client.del(key);
    for await (const piece of pieces) {
      await this.client.append(key, piece);
      await this.client.pexpire(key, ASIDE_TTL_MS);
    }
    const from = previous === undefined ? "" : String(previous);
    return (await this.client.keepSnapshot(log, n, snap, snapN, epoch, key, at, era, from, keep)) === 1;
  }

  /** The changes after `after` (a stream id), waiting up to `blockMs` for one; at most `count`. */
  async read(after: string, blockMs: number, count: number): Promise<LogEntry[]> {
    const reply = (await this.reader.xread("COUNT", count, "BLOCK", blockMs, "STREAMS", this.keys.log, after)) as
      | [string, [string, string[]][]][]
      | null;
    if (reply === null) return [];
    const entries: LogEntry[] = [];
    for (const [, items] of reply) {
      for (const [id, fields] of items) {
        entries.push({ id, n: Number(field(fields, "n")), epoch: field(fields, "g"), text: field(fields, "e") });
      }
    }
    return entries;
  }

  async close(): Promise<void> {
    this.client.disconnect();
    this.reader.disconnect();
  }
}

function ready(redis: Redis): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  const isReady = new Promise<void>((resolve) => redis.once("ready", () => resolve()));
  // A first attempt that fails rejects here; the retry strategy goes on trying, and "ready" tells.
  if (redis.status === "wait") redis.connect().catch(() => undefined);
  return isReady;
}

function field(fields: string[], name: string): string {
  const at = fields.indexOf(name);
  return at >= 0 && at % 2 === 0 ? (fields[at + 1] as string) : "";
}
