/**
 * Fresh stores for the store's unit tests: a tiny hand-made workspace whose ids have names, and a clock
 * and id source that tests control. Every call builds new objects, so no test sees another's state.
 */
import { blankContact } from "../store/contact-fields.ts";
import type { SeedSizes } from "../store/seed.ts";
import { Store, type StoreOptions } from "../store/store.ts";
import type { Contact, StateSnapshot } from "../store/types.ts";

/** A GUID whose last digits are `n`: readable in failures, and valid as format "uuid". */
export const guid = (n: number, prefix = "0000") => `${prefix}0000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** New ids 1, 2, 3, ... (in a namespace of their own, so they never clash with the fixture's). */
export function sequentialIds(): () => string {
  let n = 0;
  return () => guid(++n, "ffff");
}

/** A clock that starts at `start` and moves one second each time it is read. */
export function steppingClock(start = "2026-02-01T00:00:00.000Z"): () => string {
  let at = Date.parse(start);
  return () => {
    const now = new Date(at).toISOString();
    at += 1000;
    return now;
  };
}

export const fixedOptions = (): StoreOptions => ({ now: steppingClock(), newId: sequentialIds() });

/** The ids of the tiny workspace's objects. */
export const ids = {
  workspace: guid(1),
  owner: guid(2),
  agent: guid(3),
  liveChat: guid(10),
  whatsApp: guid(11),
  email: guid(12),
  bot: guid(20),
  alice: guid(30),
  bob: guid(31),
  nameless: guid(32),
  aliceChat: guid(40),
  bobWhatsAppChat: guid(41),
  aliceFirstMessage: guid(50),
  aliceSecondMessage: guid(51),
  bobMessage: guid(52),
  unknown: guid(999),
} as const;

const T0 = "2026-01-01T00:00:00.000Z";

function contact(guidValue: string, name: string | null, email: string | null): Contact {
  return { ...blankContact(guidValue, T0), name, email };
}

/**
 * A workspace small enough to reason about: a LiveChatWeb, a WhatsApp and an Email channel; one agent
 * (the owner) and a second agent; one bot; contacts Alice, Bob and one with no name; Alice's LiveChatWeb
 * chat with two messages and Bob's WhatsApp chat with one.
 */
export function tinySnapshot(): StateSnapshot {
  const owner = { guid: ids.owner, name: "Olive Owner", email: "olive@example.com", avatar: null, created_at: T0 };
  return {
    workspace: { guid: ids.workspace, name: "Tiny Co", owner: ids.owner, created_at: T0 },
    owner,
    team: [
      { ...owner, role: "owner" },
      { guid: ids.agent, name: "Andy Agent", email: "andy@example.com", avatar: null, role: "agent", created_at: T0 },
    ],
    channels: [
      { guid: ids.liveChat, type: "LiveChatWeb", name: "Website chat" },
      { guid: ids.whatsApp, type: "WhatsApp", name: "WhatsApp" },
      { guid: ids.email, type: "Email", name: "Support inbox" },
    ],
    bots: [{ guid: ids.bot, name: "Support Bot" }],
    contacts: [
      contact(ids.alice, "Alice Archer", "Alice@Example.com"),
      contact(ids.bob, "Bob Baker", "bob@example.com"),
      contact(ids.nameless, null, null),
    ],
    chats: [
      {
        guid: ids.aliceChat,
        channel: ids.liveChat,
        title: "Alice Archer",
        contact: ids.alice,
        agent: ids.agent,
        bot: null,
        chatflow: 0,
        muted: false,
        archived: false,
        resolved: false,
        created_at: T0,
        updated_at: T0,
        custom_title: null,
      },
      {
        guid: ids.bobWhatsAppChat,
        channel: ids.whatsApp,
        title: "Bob Baker",
        contact: ids.bob,
        agent: ids.agent,
        bot: null,
        chatflow: 0,
        muted: false,
        archived: false,
        resolved: false,
        created_at: T0,
        updated_at: T0,
        custom_title: null,
      },
    ],
    messages: [
      message(ids.aliceFirstMessage, ids.aliceChat, "contact", { contact: ids.alice }),
      message(ids.aliceSecondMessage, ids.aliceChat, "agent", { agent: ids.agent }),
      message(ids.bobMessage, ids.bobWhatsAppChat, "agent", { agent: ids.agent }),
    ],
  };
}

function message(
  guidValue: string,
  chat: string,
  sender: "agent" | "bot" | "contact",
  who: { agent?: string; bot?: string; contact?: string },
) {
  return {
    guid: guidValue,
    chat,
    message: `message ${guidValue.slice(-2)}`,
    sender_type: sender,
    agent: who.agent ?? null,
    bot: who.bot ?? null,
    contact: who.contact ?? null,
    created_at: T0,
    updated_at: T0,
  };
}

/** A store over the tiny workspace, with a stepping clock and sequential new ids. */
export const tinyStore = () => new Store(tinySnapshot(), fixedOptions());

/** Small seeded sizes, quick to build. */
export const SMALL_SEED: SeedSizes = { seed: 7, contacts: 12, chats: 5, team: 3, channels: 5, bots: 2 };

export const seededStore = (sizes: Partial<SeedSizes> = {}) =>
  Store.seeded({ ...SMALL_SEED, ...sizes }, fixedOptions());

/** What a failing call must leave as it was: the whole state, as JSON. */
export const stateOf = (store: Store) => JSON.stringify(store.snapshot());
