/**
 * The reference's rule "a request that fails changes nothing", for every store operation that can fail:
 * the state (and its indexes) before a failing call is the state after it.
 */
import { describe, expect, it } from "vitest";
import { ids, tinySnapshot, tinyStore } from "../../test/store-fixtures.ts";
import type { Store } from "../store.ts";
import { StoreError } from "../store-error.ts";

/** The whole state as JSON, with the indexes that the snapshot does not show. */
function everythingIn(store: Store): string {
  const { state } = store;
  return JSON.stringify({
    snapshot: store.snapshot(),
    emails: [...state.emails].sort(),
    chatsByContact: [...state.chatsByContact].map(([contact, chats]) => [contact, [...chats].sort()]).sort(),
    messageLists: [...state.messages.keys()].sort(),
  });
}

type Failing = [string, string, (store: Store) => unknown];

const failing: Failing[] = [
  ["getTeamMember of an unknown id", "not_found", (s) => s.getTeamMember(ids.unknown)],
  ["getContact of an unknown id", "not_found", (s) => s.getContact(ids.unknown)],
  ["createContact with a taken email", "email_taken", (s) => s.createContact({ name: "X", email: "BOB@example.com" })],
  [
    "updateContact with a taken email",
    "email_taken",
    (s) => s.updateContact(ids.bob, { name: "Changed", phone: "1", email: "alice@example.com" }),
  ],
  ["updateContact of an unknown id", "not_found", (s) => s.updateContact(ids.unknown, { name: "X" })],
  ["deleteContact of an unknown id", "not_found", (s) => s.deleteContact(ids.unknown)],
  ["getChat of an unknown id", "not_found", (s) => s.getChat(ids.unknown)],
  [
    "createChat in an unknown channel",
    "invalid_reference",
    (s) => s.createChat({ channel: ids.unknown, message: "hi", agent: ids.agent, contact: ids.alice }),
  ],
  [
    "createChat with an unknown agent",
    "invalid_reference",
    (s) => s.createChat({ channel: ids.liveChat, message: "hi", agent: ids.unknown, contact: ids.alice }),
  ],
  [
    "createChat with an unknown bot",
    "invalid_reference",
    (s) => s.createChat({ channel: ids.liveChat, message: "hi", bot: ids.unknown }),
  ],
  [
    "createChat with an unknown contact",
    "invalid_reference",
    (s) => s.createChat({ channel: ids.liveChat, message: "hi", agent: ids.agent, contact: ids.unknown }),
  ],
  [
    "createChat with a contact sending outside LiveChatWeb",
    "sender_not_allowed",
    (s) => s.createChat({ channel: ids.whatsApp, message: "hi", contact: ids.bob }),
  ],
  [
    "createChat on behalf of no one",
    "invalid_request",
    (s) => s.createChat({ channel: ids.liveChat, message: "hi" } as never),
  ],
  ["updateChat of an unknown id", "not_found", (s) => s.updateChat(ids.unknown, { title: "x" })],
  ["deleteChat of an unknown id", "not_found", (s) => s.deleteChat(ids.unknown)],
  ["listChatMessages of an unknown chat", "not_found", (s) => s.listChatMessages(ids.unknown, { page: 1, limit: 20 })],
  ["getChatMessage of an unknown message", "not_found", (s) => s.getChatMessage(ids.aliceChat, ids.unknown)],
  [
    "getChatMessage of another chat's message",
    "not_found",
    (s) => s.getChatMessage(ids.bobWhatsAppChat, ids.aliceFirstMessage),
  ],
  [
    "createChatMessage to an unknown chat",
    "not_found",
    (s) => s.createChatMessage(ids.unknown, { message: "hi", agent: ids.agent }),
  ],
  [
    "createChatMessage with an unknown agent",
    "invalid_reference",
    (s) => s.createChatMessage(ids.aliceChat, { message: "hi", agent: ids.unknown }),
  ],
  [
    "createChatMessage from a contact outside LiveChatWeb",
    "sender_not_allowed",
    (s) => s.createChatMessage(ids.bobWhatsAppChat, { message: "hi", contact: ids.bob }),
  ],
  [
    "createChatMessage from another chat's contact",
    "sender_not_allowed",
    (s) => s.createChatMessage(ids.aliceChat, { message: "hi", contact: ids.bob }),
  ],
  [
    "createChatMessage on behalf of no one",
    "invalid_request",
    (s) => s.createChatMessage(ids.aliceChat, { message: "hi" } as never),
  ],
  [
    "replace with an inconsistent snapshot",
    "invalid_request",
    (s) =>
      s.replace({
        ...tinySnapshot(),
        chats: [...tinySnapshot().chats, { ...tinySnapshot().chats[0], channel: ids.unknown } as never],
      }),
  ],
];

describe("a store call that fails", () => {
  it.each(failing)("changes nothing: %s (%s)", (_, code, call) => {
    const store = tinyStore();
    // Some history first, so that holes, renamed chats and moved emails are part of what must not change.
    store.createContact({ name: "Dora", email: "dora@example.com" });
    store.updateChat(ids.bobWhatsAppChat, { title: "Renamed" });
    store.deleteContact(ids.nameless);
    const before = everythingIn(store);
    let thrown: unknown;
    try {
      call(store);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoreError);
    expect((thrown as StoreError).code).toBe(code);
    expect(everythingIn(store)).toBe(before);
  });
});
