/**
 * The model-based run (the stateful suite; the replicas' run in mock-server/replication/test/model.test.ts):
 * random sequences of commands (commands.ts) against the target and the reference model side by side, and
 * at the end of each the state the model holds and the same view read from the target's whole state, so
 * that one `toEqual` says whether they agree.
 */
import fc from "fast-check";
import type { StateSnapshot } from "../../mock-server/store/types.ts";
import { commandArbitraries, type Real } from "./commands.ts";
import { Model } from "./model.ts";

/**
 * Random sequences of at most 30 commands, each on the target reset to `start` (an import, ordered like any
 * change) and a fresh model, then `atEnd` with the model. Throws on the first sequence that fails (with its
 * error in the report); resolves to how many sequences ran to their end.
 */
export async function runSequences(
  real: Real,
  start: StateSnapshot,
  atEnd: (model: Model) => Promise<void>,
  options: { numRuns: number; seed: number; endOnFailure?: boolean },
): Promise<number> {
  let sequences = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.commands(commandArbitraries(real.target.prefix), { maxCommands: 30, size: "medium" }),
      async (commands) => {
        await real.target.reset(start);
        const model = new Model();
        await fc.asyncModelRun(() => ({ model, real }), commands);
        await atEnd(model);
        sequences++;
      },
    ),
    { ...options, includeErrorInReport: true },
  );
  return sequences;
}

/** The contacts, chats and each chat's messages (senders and texts, in the order sent) the model holds. */
export const modelState = (m: Model) => ({
  contacts: m.contacts.map(({ guid, name, email, city }) => ({ guid, name, email, city })),
  chats: m.chats.map((c) => ({
    guid: c.guid,
    contact: c.contact,
    title: m.titleOf(c),
    messages: c.messages.map((x) => [x.sender, x.text]),
  })),
});

/** The same, read from the target's whole state; a message of a chat that is gone shows as an orphan. */
export const targetState = (s: StateSnapshot) => ({
  contacts: s.contacts.map(({ guid, name, email, city }) => ({ guid, name, email, city })),
  chats: s.chats.map((c) => ({
    guid: c.guid,
    contact: c.contact,
    title: c.title,
    messages: s.messages.filter((x) => x.chat === c.guid).map((x) => [x.sender_type, x.message]),
  })),
  orphans: s.messages.filter((x) => !s.chats.some((c) => c.guid === x.chat)),
});
