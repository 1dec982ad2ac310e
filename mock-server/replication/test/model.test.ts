import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Real } from "../../../contract-tests/model/commands.ts";
import type { Model } from "../../../contract-tests/model/model.ts";
import { modelState, runSequences, targetState } from "../../../contract-tests/model/run.ts";
import { ids } from "../../../contract-tests/support/data.ts";
import { readSettings } from "../../../contract-tests/support/settings.ts";
import { createTarget, type Target } from "../../../contract-tests/support/target.ts";
import { API_BASE_PATH } from "../../../generated/rules.ts";
import type { StateSnapshot } from "../../store/types.ts";
import { exportedState } from "./api.ts";
import { type Replica, redisMissing, startRedis, startReplicas, stopEverything } from "./redis-harness.ts";

const missing = redisMissing("the model-based run over three replicas (model.test.ts)");
/** Unique to this file (and run), so no other file's replicas ever read this stream. */
const PREFIX = `converseiq-test-model-${process.pid}-${Date.now().toString(36)}`;
const RUNS = Number(process.env.REPLICA_MODEL_RUNS || 20);
const seed = Number(process.env.CONTRACT_FUZZ_SEED || Math.floor(Math.random() * 2 ** 31));

/** A small seeded generator (mulberry32): which replica each request goes to, replayed by the seed. */
function seededRandom(start: number): () => number {
  let s = start >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe.skipIf(missing)("three replicas on one Redis, driven by the model-based run", { timeout: 120_000 }, () => {
  let replicas: Replica[];
  let target: Target;

  beforeAll(async () => {
    const redis = await startRedis();
    replicas = await startReplicas(3, {
      redisUrl: redis.url,
      prefix: PREFIX,
      args: ["--contacts", "5", "--chats", "2"],
    });
    const first = replicas[0] as Replica;
    const random = seededRandom(seed);
    // The checker sees every request as sent to replica A; beneath it, each goes to a replica at random.
    target = await createTarget(readSettings({ CONTRACT_BASE_URL: `${first.origin}${API_BASE_PATH}` }), {
      wrapTransport: (inner) => (request) => {
        const url = new URL(request.url);
        const to = replicas[Math.floor(random() * replicas.length)] as Replica;
        return inner({ ...request, url: `${to.origin}${url.pathname}${url.search}` });
      },
    });
  }, 120_000);
  afterAll(() => stopEverything());

  it("agree with the single-process model after every step, whichever replica each request reaches", async () => {
    console.log(`replicas, model-based: ${RUNS} sequences, seed ${seed} (replay with CONTRACT_FUZZ_SEED=${seed})`);
    const control = target.control;
    if (!control) throw new Error("replica A has no admin API");
    const found = await ids(target);
    const need = (id: string | undefined, what: string) => {
      if (id === undefined) throw new Error(`the seeded state has no ${what}`);
      return id;
    };
    const real: Real = {
      target,
      agent: need(found.agent, "team member"),
      bot: need(found.bot, "bot"),
      liveChat: need(found.liveChat, "LiveChatWeb channel"),
      otherChannel: need(found.otherChannel, "channel other than LiveChatWeb"),
    };
    const seeded = await control.snapshot();
    const empty = { ...seeded, contacts: [], chats: [], messages: [] };
    // Each sequence begins with an import through replica A, ordered through the stream like any change.
    const atEnd = async (model: Model) => {
      for (const replica of replicas) {
        const state = JSON.parse(await exportedState(replica.origin)) as StateSnapshot;
        expect(targetState(state), `replica ${replica.name}'s whole state at the end of the sequence`).toEqual({
          ...modelState(model),
          orphans: [],
        });
      }
    };
    // No shrinking: each step is a round of real requests, and the failing sequence is short enough to read.
    const sequences = await runSequences(real, empty, atEnd, { numRuns: RUNS, seed, endOnFailure: true });
    expect(sequences).toBe(RUNS);
  });

  it("never crash and leave no promise rejection unhandled", () => {
    for (const replica of replicas) {
      expect(replica.crashes(), `replica ${replica.name} exited by itself`).toEqual([]);
      expect(`${replica.stdout()}\n${replica.stderr()}`, `replica ${replica.name}'s output`).not.toMatch(/unhandled/i);
    }
  });
});
