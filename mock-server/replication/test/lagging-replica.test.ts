/**
 * Redis lost (restarted empty, no persistence) while one replica lags behind another: replica B reaches
 * Redis through a line that can be held, so it misses a write replica A acknowledged; A is frozen while
 * Redis restarts, so B is the first back and puts its older state in, as a new epoch, and builds on it.
 *
 * Redis without persistence lost the log that held A's first write, and B, which never saw it, made the
 * state everyone goes on from: A, back, meets the new epoch and loads it. The replicas must then agree,
 * on every write acknowledged since the restart; A's first write is the price of a Redis that forgets (the
 * README says so; with `appendonly yes` the log survives a restart). Before epochs, B numbered its change
 * as A's had been, A skipped it as already applied, and the two disagreed for good.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, call, everything, exportedState, retryWhileUnavailable } from "./api.ts";
import {
  type HeldLine,
  heldLine,
  type RedisServer,
  type Replica,
  redisMissing,
  startRedis,
  startReplica,
  stopEverything,
} from "./redis-harness.ts";

const missing = redisMissing("a replica lagging when Redis restarts (lagging-replica.test.ts)");
/** Unique to this file (and run), so no other file's replicas ever read this stream. */
const PREFIX = `converseiq-test-lagging-${process.pid}-${Date.now().toString(36)}`;

/** A create through `replica`, sent again while it answers 503 (Redis not back for it yet). */
const createOnceBack = (replica: Replica, email: string): Promise<Answer> =>
  retryWhileUnavailable(() => call(replica.origin, "POST", "/contact", { email }));

describe.skipIf(missing)("a replica that lags when Redis restarts empty", { timeout: 120_000 }, () => {
  let redis: RedisServer;
  let line: HeldLine;
  let a: Replica;
  let b: Replica;
  const acknowledged: { through: string; guid: string }[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    line = await heldLine(redis.port);
    a = await startReplica("A", { redisUrl: redis.url, prefix: PREFIX, args: ["--contacts", "3", "--chats", "1"] });
    b = await startReplica("B", { redisUrl: line.url, prefix: PREFIX });
  }, 120_000);
  afterAll(() => stopEverything());

  it("acknowledges a write through A while B hears nothing, and one through B once Redis is back empty (A frozen)", async () => {
    line.hold();
    const first = await call(a.origin, "POST", "/contact", { email: "through-a@example.com" });
    expect(first.status, "the write through A while B lags").toBe(200);
    acknowledged.push({ through: "A", guid: (first.json as { guid: string }).guid });

    a.pause();
    await redis.stop();
    line.release();
    await redis.restart();
    const second = await createOnceBack(b, "through-b@example.com");
    expect(second.status, "the write through B once Redis is back").toBe(200);
    acknowledged.push({ through: "B", guid: (second.json as { guid: string }).guid });

    a.resume();
    const third = await createOnceBack(a, "through-a-again@example.com");
    expect(third.status, "the write through A once it is back").toBe(200);
    acknowledged.push({ through: "A again", guid: (third.json as { guid: string }).guid });
  });

  it("then both replicas hold the same state, with every write acknowledged since the restart", async () => {
    expect(acknowledged).toHaveLength(3);
    const sinceRestart = acknowledged.filter((w) => w.through !== "A");
    for (const replica of [a, b]) {
      const listed = new Set((await everything<{ guid: string }>(replica.origin, "/contact")).map((c) => c.guid));
      const lost = sinceRestart.filter((w) => !listed.has(w.guid)).map((w) => `the write through ${w.through}`);
      expect(lost, `acknowledged writes missing from replica ${replica.name}`).toEqual([]);
    }
    expect(await exportedState(b.origin)).toBe(await exportedState(a.origin));
  });

  it("never crash and leave no promise rejection unhandled", () => {
    for (const replica of [a, b]) {
      expect(replica.crashes(), `replica ${replica.name} exited by itself`).toEqual([]);
      expect(`${replica.stdout()}\n${replica.stderr()}`, `replica ${replica.name}'s output`).not.toMatch(/unhandled/i);
    }
  });
});
