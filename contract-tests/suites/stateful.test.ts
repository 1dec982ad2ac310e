/**
 * Model-based testing: random sequences of creates, updates, deletes, lists, searches, chats and
 * messages, run against the target and a small reference model side by side (model/); after every
 * step the answer agrees with the model, and so do both lists (totals, pages and contents); random
 * pages of small limits are compared whole when a list command comes up. Needs a mock (its state is reset to
 * one without contacts and chats before each sequence). CONTRACT_MODEL_RUNS sequences (default 30),
 * seeded like the fuzzing (CONTRACT_FUZZ_SEED).
 */
import fc from "fast-check";
import { expect } from "vitest";
import { commandArbitraries, type Real } from "../model/commands.ts";
import { Model } from "../model/model.ts";
import { ids } from "../support/data.ts";
import { openTarget } from "../support/target.ts";
import { contractTest, need } from "../support/tests.ts";

const target = await openTarget("stateful");
const test = contractTest(target);
const runs = Number(process.env.CONTRACT_MODEL_RUNS || 30);
const seed = Number(process.env.CONTRACT_FUZZ_SEED || Math.floor(Math.random() * 2 ** 31));
console.log(`model-based: ${runs} sequences, seed ${seed} (replay with CONTRACT_FUZZ_SEED=${seed})`);

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
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.commands(commandArbitraries(target.prefix), { maxCommands: 30, size: "medium" }),
          async (commands) => {
            await target.reset(empty);
            await fc.asyncModelRun(() => ({ model: new Model(), real }), commands);
          },
        ),
        { numRuns: runs, seed, includeErrorInReport: true },
      );
    } finally {
      await target.reset(seeded);
    }
    expect(true).toBe(true);
  },
  60_000,
);
