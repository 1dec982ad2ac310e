/**
 * The loop that reads the log after this replica's place, batch by batch, until the replica closes; while
 * Redis is out of reach it waits for the reading connection to come back (ioredis reconnects by itself).
 */
import type { LogEntry, RedisLog } from "./redis-log.ts";

/** How long a blocking read of the log waits before it asks again (and notices it was closed). */
const BLOCK_MS = 2000;
/** The most changes one read brings. */
const BATCH = 1000;

export interface LogFollower {
  closed(): boolean;
  /** The stream id to read after. */
  after(): string;
  /** Takes a batch read (possibly empty), in order. */
  take(entries: LogEntry[]): Promise<void>;
  /** Told of what failed that is not the connection. */
  report(error: unknown): void;
}

/** Follows the log until `follower` is closed. */
export async function followLog(log: RedisLog, follower: LogFollower): Promise<void> {
  while (!follower.closed()) {
    try {
      await follower.take(await log.read(follower.after(), BLOCK_MS, BATCH));
    } catch (error) {
      if (follower.closed()) return;
      // Out of reach: wait for the connection to come back (ioredis reconnects by itself).
      await readerBack(log, follower.closed);
      if (!(error instanceof Error && /Connection|closed|ECONNREFUSED|offline/i.test(error.message))) {
        follower.report(error);
      }
    }
  }
}

function readerBack(log: RedisLog, closed: () => boolean): Promise<void> {
  if (log.reader.status === "ready") return new Promise((resolve) => setTimeout(resolve, 50));
  return new Promise((resolve) => {
    const done = () => {
      clearInterval(poll);
      log.reader.off("ready", done);
      resolve();
    };
    // The close check: a replica closed while Redis is away stops waiting.
    const poll = setInterval(() => {
      if (closed()) done();
    }, 200);
    log.reader.once("ready", done);
  });
}
