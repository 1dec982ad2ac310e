/**
 * Model-based testing: random sequences of creates, updates, deletes, lists, searches, chats and
 * messages, run against the target and a small reference model side by side (model/); after every
 * step the answer agrees with the model, and so do both lists (totals, pages and contents); random
 * pages of small limits are compared whole when a list command comes up. At the end of each sequence the
 * target's whole state (read through the mock's control) holds what the model holds, messages included.
 * Needs a mock (its state is reset to one without contacts and chats before each sequence, and restored
 * after). CONTRACT_MODEL_RUNS sequences (default 30), seeded like the fuzzing (CONTRACT_FUZZ_SEED).
 */
import fc from "fast-check";
import { expect } from "vitest";
import type { StateSnapshot } from "../../mock-server/store/types.ts";
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

/** The contacts, chats and each chat's messages (senders and texts, in the order sent) the model holds. */
const modelState = (m: Model) => ({
  contacts: m.contacts.map(({ guid, name, email, city }) => ({ guid, name, email, city })),
  chats: m.chats.map((c) => ({
    guid: c.guid,
    contact: c.contact,
    title: m.titleOf(c),
    messages: c.messages.map((x) => [x.sender, x.text]),
  })),
});

/** The same, read from the target's whole state; a message of a chat that is gone shows as an orphan. */
const targetState = (s: StateSnapshot) => ({
  contacts: s.contacts.map(({ guid, name, email, city }) => ({ guid, name, email, city })),
  chats: s.chats.map((c) => ({
    guid: c.guid,
    contact: c.contact,
    title: c.title,
    messages: s.messages.filter((x) => x.chat === c.guid).map((x) => [x.sender_type, x.message]),
  })),
  orphans: s.messages.filter((x) => !s.chats.some((c) => c.guid === x.chat)),
});

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
      await fc.assert(
        fc.asyncProperty(
          fc.commands(commandArbitraries(target.prefix), { maxCommands: 30, size: "medium" }),
          async (commands) => {
            await target.reset(empty);
            const model = new Model();
            await fc.asyncModelRun(() => ({ model, real }), commands);
            expect(targetState(await control.snapshot()), "the whole state at the end of the sequence").toEqual({
              ...modelState(model),
              orphans: [],
            });
            sequences++;
          },
        ),
        { numRuns: runs, seed, includeErrorInReport: true },
      );
    } finally {
      await target.reset(seeded);
    }
    // Every sequence ran to its end (none was skipped), and the target was left as it was found.
    expect(sequences).toBe(runs);
    expect(await control.snapshot()).toEqual(seeded);
  },
  60_000,
);
