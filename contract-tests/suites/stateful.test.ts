import { expect } from "vitest";
import type { Real } from "../model/commands.ts";
import type { Model } from "../model/model.ts";
import { modelState, runSequences, targetState } from "../model/run.ts";
import { ids } from "../support/data.ts";
import { suiteSeed } from "../support/seed.ts";
import { openTarget } from "../support/target.ts";
import { contractTest, need } from "../support/tests.ts";

const target = await openTarget("stateful");
const test = contractTest(target);
const runs = Number(process.env.CONTRACT_MODEL_RUNS || 30);
const { seed, shown } = suiteSeed();
console.log(`model-based: ${runs} sequences, ${shown}`);

test(
  "random sequences of contact, chat and message operations agree with the reference model after every step",
  ["writes", "mock"],
  async (ctx) => {
    const control = need(ctx, target.control, "not a mock");
    const found = await ids(target);
    const real: Real = {
      target,
      agent: need(ctx, found.agent, "no team member"),
      bot: need(ctx, found.bot, "no bot"),
      liveChat: need(ctx, found.liveChat, "no LiveChatWeb channel"),
      otherChannel: need(ctx, found.otherChannel, "no channel other than LiveChatWeb"),
    };
    const seeded = await control.snapshot();
    const empty = { ...seeded, contacts: [], chats: [], messages: [] };
    let sequences = 0;
    try {
      const atEnd = async (model: Model) => {
        expect(targetState(await control.snapshot()), "the whole state at the end of the sequence").toEqual({
          ...modelState(model),
          orphans: [],
        });
      };
      sequences = await runSequences(real, empty, atEnd, { numRuns: runs, seed });
    } finally {
      await target.reset(seeded);
    }
    // Every sequence ran to its end (none was skipped), and the target was left as it was found.
    expect(sequences).toBe(runs);
    expect(await control.snapshot()).toEqual(seeded);
  },
  60_000,
);
