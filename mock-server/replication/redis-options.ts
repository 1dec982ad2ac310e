/** How a mock shares its state with other replicas through Redis (`--redis` and the flags beside it). */

export type Consistency = "strong" | "eventual";

export interface RedisOptions {
  /** `redis://HOST:PORT[/DB]` (or `rediss://` for TLS). */
  url: string;
  /** The prefix of every key: replicas with the same one share a state; another prefix is another state. */
  prefix?: string;
  /**
   * `strong` (default): before a read, catch up to the last change any replica made (one round trip to
   * Redis), so a write through one replica is read through any other. `eventual`: read what this replica
   * has applied so far, which may lag by the changes in flight.
   */
  consistency?: Consistency;
  /** Every this many changes, the whole state goes to Redis and the log is trimmed behind it. */
  snapshotEvery?: number;
  /**
   * The fewest changes trimming leaves in the log (default 10,000): a replica that far behind still reads
   * the changes it missed, rather than loading a snapshot (and failing the writes it was waiting for).
   */
  keepChanges?: number;
}

export const DEFAULT_REDIS_PREFIX = "converseiq-mock";
export const DEFAULT_SNAPSHOT_EVERY = 1000;
export const DEFAULT_KEEP_CHANGES = 10_000;
export const CONSISTENCIES: readonly Consistency[] = ["strong", "eventual"];

export function redisDefaults(options: RedisOptions): Required<RedisOptions> {
  const snapshotEvery = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
  if (!Number.isInteger(snapshotEvery) || snapshotEvery < 1) {
    throw new RangeError("snapshotEvery must be a whole number of changes, at least 1");
  }
  const consistency = options.consistency ?? "strong";
  if (!CONSISTENCIES.includes(consistency)) throw new RangeError(`consistency must be ${CONSISTENCIES.join(" or ")}`);
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new RangeError(`not a Redis URL: ${options.url} (expected redis://HOST:PORT[/DB])`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new RangeError(`not a Redis URL: ${options.url} (expected redis://HOST:PORT[/DB])`);
  }
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (prefix === "") throw new RangeError("the Redis prefix must not be empty");
  const keepChanges = options.keepChanges ?? DEFAULT_KEEP_CHANGES;
  if (!Number.isInteger(keepChanges) || keepChanges < 0) {
    throw new RangeError("keepChanges must be a whole number of changes, at least 0");
  }
  return { url: options.url, prefix, consistency, snapshotEvery, keepChanges };
}

/** A Redis URL as it may be printed: without its password. */
export function printable(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "***";
  return parsed.toString();
}
