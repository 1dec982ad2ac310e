/**
 * The shared log in Redis, and nothing else: which keys, and the few atomic steps on them (Lua scripts, so
 * that no two replicas interleave inside one). Under the prefix P:
 *
 * - `P:log`: a stream of changes, each entry `n` (1, 2, 3, ... with no gap) and `e` (the change as JSON);
 * - `P:n`: the number of the last change appended;
 * - `P:snap` and `P:snap-n`: the latest snapshot (`{n, id, image}`, see image.ts) and its `n`, kept apart so
 *   that comparing does not read the whole state.
 *
 * Appending refuses while there is no snapshot: Redis then lost its data (restarted with no persistence),
 * and a replica must first put back the state it holds (`restore`), or changes would be numbered afresh.
 */
import { Redis } from "ioredis";
import type { MockImage } from "./image.ts";

export interface Snapshot {
  /** The number of the last change the image holds (0: none, the seed). */
  n: number;
  /** The stream id of that change; reading goes on after it. */
  id: string;
  image: MockImage;
}

/** A change as read back from the stream. */
export interface LogEntry {
  id: string;
  n: number;
  text: string;
}

/** Thrown by `append` when the prefix has no snapshot: Redis lost its data. */
export class EmptyLogError extends Error {
  override name = "EmptyLogError";
}

const APPEND = `
if redis.call('EXISTS', KEYS[3]) == 0 then return redis.error_reply('EMPTY no snapshot') end
local n = redis.call('INCR', KEYS[2])
local id = redis.call('XADD', KEYS[1], '*', 'n', n, 'e', ARGV[1])
return {id, n}`;

/** Puts a state in, unless Redis already holds one at least as far along (the first replica seeds). */
const RESTORE = `
local held = tonumber(redis.call('GET', KEYS[4]) or '-1')
if held >= 0 and tonumber(redis.call('GET', KEYS[2]) or '-1') >= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[2])
redis.call('SET', KEYS[4], ARGV[1])
return 1`;

/** Keeps a snapshot newer than the one held, then trims the stream before `ARGV[3]` (when given). */
const SNAPSHOT = `
local held = tonumber(redis.call('GET', KEYS[3]) or '-1')
if held >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[1])
if ARGV[3] ~= '' then redis.call('XTRIM', KEYS[1], 'MINID', ARGV[3]) end
return 1`;

type Scripted = Redis & {
  appendChange(log: string, n: string, snapN: string, change: string): Promise<[string, number]>;
  restoreState(log: string, n: string, snap: string, snapN: string, at: number, text: string): Promise<number>;
  keepSnapshot(log: string, snap: string, snapN: string, at: number, text: string, trim: string): Promise<number>;
};

export class RedisLog {
  readonly keys: { log: string; n: string; snap: string; snapN: string };
  /** Commands: fail at once while disconnected (a write is then a 503, a read is flagged stale). */
  readonly client: Scripted;
  /** Blocking reads of the stream only, on a connection of their own. */
  readonly reader: Redis;

  constructor(url: string, prefix: string, onError: (error: Error) => void) {
    this.keys = { log: `${prefix}:log`, n: `${prefix}:n`, snap: `${prefix}:snap`, snapN: `${prefix}:snap-n` };
    const common = {
      enableOfflineQueue: false,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      // Reconnect for ever, quickly at first: a QA environment's Redis comes back.
      retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    };
    this.client = new Redis(url, { ...common, commandTimeout: 2000 }) as Scripted;
    this.client.defineCommand("appendChange", { numberOfKeys: 3, lua: APPEND });
    this.client.defineCommand("restoreState", { numberOfKeys: 4, lua: RESTORE });
    this.client.defineCommand("keepSnapshot", { numberOfKeys: 3, lua: SNAPSHOT });
    this.reader = new Redis(url, common);
    // Without a listener, ioredis reports a lost connection as an unhandled error event.
    this.client.on("error", onError);
    this.reader.on("error", onError);
  }

  /** Resolves once both connections are ready; until then ioredis keeps trying (retryStrategy). */
  async connect(): Promise<void> {
    await Promise.all([ready(this.client), ready(this.reader)]);
  }

  /** The number of the change the snapshot holds; -1 when there is none (Redis lost its data). */
  async held(): Promise<number> {
    const text = await this.client.get(this.keys.snapN);
    return text === null ? -1 : Number(text);
  }

  get connected(): boolean {
    return this.client.status === "ready";
  }

  /** Appends a change; resolves to its stream id and number. */
  async append(change: string): Promise<{ id: string; n: number }> {
    const { log, n, snapN } = this.keys;
    try {
      const [id, at] = await this.client.appendChange(log, n, snapN, change);
      return { id, n: Number(at) };
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("EMPTY")) throw new EmptyLogError(error.message);
      throw error;
    }
  }

  /** The number of the last change appended (one round trip); -1 when Redis holds nothing. */
  async last(): Promise<number> {
    const text = await this.client.get(this.keys.n);
    return text === null ? -1 : Number(text);
  }

  async snapshot(): Promise<Snapshot | undefined> {
    const text = await this.client.get(this.keys.snap);
    return text === null ? undefined : (JSON.parse(text) as Snapshot);
  }

  /** Writes a state at `n` unless Redis holds one at least as far along; true when written. */
  async restore(snapshot: Snapshot): Promise<boolean> {
    const { log, n, snap, snapN } = this.keys;
    return (await this.client.restoreState(log, n, snap, snapN, snapshot.n, JSON.stringify(snapshot))) === 1;
  }

  /** Keeps a snapshot if it is the newest, and drops the changes before `trimBefore` (a stream id). */
  async keep(snapshot: Snapshot, trimBefore: string | undefined): Promise<boolean> {
    const { log, snap, snapN } = this.keys;
    const text = JSON.stringify(snapshot);
    return (await this.client.keepSnapshot(log, snap, snapN, snapshot.n, text, trimBefore ?? "")) === 1;
  }

  /** The changes after `after` (a stream id), waiting up to `blockMs` for one; at most `count`. */
  async read(after: string, blockMs: number, count: number): Promise<LogEntry[]> {
    const reply = (await this.reader.xread("COUNT", count, "BLOCK", blockMs, "STREAMS", this.keys.log, after)) as
      | [string, [string, string[]][]][]
      | null;
    if (reply === null) return [];
    const entries: LogEntry[] = [];
    for (const [, items] of reply) {
      for (const [id, fields] of items) entries.push({ id, n: Number(field(fields, "n")), text: field(fields, "e") });
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
