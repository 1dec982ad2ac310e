/**
 * Redis lost (restarted empty, no persistence) while one replica lags behind another: replica B reaches
 * Redis through a line that can be held, so it misses a write replica A acknowledged; A is frozen while
 * Redis restarts, so B is the first back and puts its older state in. Both writes were acknowledged, so
 * both replicas must end up holding both.
 *
 * KNOWN TO FAIL (the `it.fails` below): B puts back its state at change n and numbers its own next change
 * n + 1, the number A's write had; A, back, takes B's change for the one it already applied and skips it.
 * A keeps a write B never sees, B a write A never sees, and they disagree from then on. When the core keeps
 * both writes, that test goes red: make it a plain `it`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, call, everything, exportedState } from "./api.ts";
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

/** A create through `replica`, sent again while it answers 503 (Redis not back for it yet): a bounded wait. */
async function createOnceBack(replica: Replica, email: string): Promise<Answer> {
  let answer = await call(replica.origin, "POST", "/contact", { email });
  for (let attempt = 1; attempt < 120 && answer.status === 503; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    answer = await call(replica.origin, "POST", "/contact", { email });
  }
  return answer;
}

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

  it.fails("then both replicas hold every acknowledged write, and the same state", async () => {
    expect(acknowledged).toHaveLength(3);
    for (const replica of [a, b]) {
      const listed = new Set((await everything<{ guid: string }>(replica.origin, "/contact")).map((c) => c.guid));
      const lost = acknowledged.filter((w) => !listed.has(w.guid)).map((w) => `the write through ${w.through}`);
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
