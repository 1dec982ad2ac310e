import { describe, expect, it } from "vitest";
import { ids, stateOf, tinyStore } from "../../test/store-fixtures.ts";
import type { ChatCreate } from "../types.ts";
import { failure } from "./store-failure.ts";

const everything = { page: 1, limit: 100 };

const start = (overrides: Partial<ChatCreate> = {}): ChatCreate => ({
  channel: ids.liveChat,
  message: "Hello!",
  agent: ids.agent,
  ...overrides,
});

describe("starting a chat", () => {
  it("stores the chat and its first message", () => {
    const store = tinyStore();
    const chat = store.createChat(start({ contact: ids.bob, message: "Hi Bob" }));
    expect(store.getChat(chat.guid)).toEqual(chat);
    expect(chat).toMatchObject({ channel: ids.liveChat, agent: ids.agent, bot: null, contact: ids.bob });
    const messages = store.listChatMessages(chat.guid, everything);
    expect(messages.total).toBe(1);
    expect(messages.data[0]).toMatchObject({ chat: chat.guid, message: "Hi Bob", sender_type: "agent" });
    expect(store.getChatMessage(chat.guid, messages.data[0]?.guid ?? "")).toEqual(messages.data[0]);
  });

  it("adds the chat at the end of the list", () => {
    const store = tinyStore();
    const chat = store.createChat(start());
    expect(store.listChats(everything).data.at(-1)).toEqual(chat);
  });

  it.each([0, 1] as const)("keeps chatflow %i", (chatflow) => {
    expect(tinyStore().createChat(start({ chatflow })).chatflow).toBe(chatflow);
  });

  it("sets chatflow to 0 when it is not given", () => {
    expect(tinyStore().createChat(start()).chatflow).toBe(0);
  });

  it("titles the chat with its contact's name", () => {
    expect(tinyStore().createChat(start({ contact: ids.bob })).title).toBe("Bob Baker");
  });

  it("has no title when it has no contact, or a contact with no name", () => {
    const store = tinyStore();
    expect(store.createChat(start()).title).toBeNull();
    expect(store.createChat(start({ contact: ids.nameless })).title).toBeNull();
  });

  it.each([
    ["an agent", { agent: ids.agent }, "agent"],
    ["a bot", { agent: undefined, bot: ids.bot }, "bot"],
    ["a contact in LiveChatWeb", { agent: undefined, contact: ids.alice }, "contact"],
    ["the agent when an agent and a bot are named", { bot: ids.bot }, "agent"],
    ["the bot when a bot and a contact are named", { agent: undefined, bot: ids.bot, contact: ids.alice }, "bot"],
  ])("sends the first message on behalf of %s", (_, senders, senderType) => {
    const store = tinyStore();
    const chat = store.createChat(start(senders));
    expect(store.listChatMessages(chat.guid, everything).data[0]?.sender_type).toBe(senderType);
  });

  it("lets an agent start a chat with a contact outside LiveChatWeb", () => {
    const chat = tinyStore().createChat(start({ channel: ids.whatsApp, contact: ids.bob }));
    expect(chat.contact).toBe(ids.bob);
  });

  it.each([
    ["WhatsApp", ids.whatsApp],
    ["Email", ids.email],
  ])("refuses a contact as sender in a %s channel (sender_not_allowed)", (type, channel) => {
    const error = failure(
      () => tinyStore().createChat(start({ channel, agent: undefined, contact: ids.bob })),
      "sender_not_allowed",
    );
    expect(error.message).toContain("LiveChatWeb");
    expect(error.message).toContain(type);
    expect(error.details).toEqual([expect.objectContaining({ field: "/contact" })]);
  });

  it("refuses an unknown channel (invalid_reference)", () => {
    const error = failure(() => tinyStore().createChat(start({ channel: ids.unknown })), "invalid_reference");
    expect(error.message).toContain("channel");
    expect(error.details).toEqual([expect.objectContaining({ in: "body", field: "/channel" })]);
  });

  it.each(["agent", "bot", "contact"] as const)("refuses an unknown %s, naming it (invalid_reference)", (who) => {
    const error = failure(() => tinyStore().createChat(start({ [who]: ids.unknown })), "invalid_reference");
    expect(error.message).toContain(who);
    expect(error.details.map((d) => d.field)).toEqual([`/${who}`]);
  });

  it("names every unknown reference at once", () => {
    const bad = { channel: ids.unknown, agent: ids.unknown, bot: ids.unknown, contact: ids.unknown };
    const error = failure(() => tinyStore().createChat(start(bad)), "invalid_reference");
    expect(error.details.map((d) => d.field)).toEqual(["/channel", "/agent", "/bot", "/contact"]);
  });

  it("refuses a team member's id as a bot, and a bot's as an agent", () => {
    failure(() => tinyStore().createChat(start({ agent: undefined, bot: ids.agent })), "invalid_reference");
    failure(() => tinyStore().createChat(start({ agent: ids.bot })), "invalid_reference");
  });

  it("refuses a chat on behalf of no one (invalid_request)", () => {
    failure(() => tinyStore().createChat(start({ agent: undefined })), "invalid_request");
  });
});

describe("a chat's title", () => {
  it("is set by PUT", () => {
    const store = tinyStore();
    expect(store.updateChat(ids.aliceChat, { title: "Warranty" }).title).toBe("Warranty");
    expect(store.getChat(ids.aliceChat).title).toBe("Warranty");
  });

  it.each([null, ""])("resets to the contact's name when PUT with %j", (title) => {
    const store = tinyStore();
    store.updateChat(ids.aliceChat, { title: "Warranty" });
    expect(store.updateChat(ids.aliceChat, { title }).title).toBe("Alice Archer");
    expect(store.getChat(ids.aliceChat).title).toBe("Alice Archer");
  });

  it("resets to null when the chat has no contact", () => {
    const store = tinyStore();
    const chat = store.createChat(start());
    store.updateChat(chat.guid, { title: "Named" });
    expect(store.updateChat(chat.guid, { title: null }).title).toBeNull();
  });

  it("follows a rename of its contact while the chat was never renamed", () => {
    const store = tinyStore();
    store.updateContact(ids.alice, { name: "Alice Smith" });
    expect(store.getChat(ids.aliceChat).title).toBe("Alice Smith");
  });

  it("keeps a title set by PUT when its contact is renamed, and follows again once reset", () => {
    const store = tinyStore();
    store.updateChat(ids.aliceChat, { title: "Warranty" });
    store.updateContact(ids.alice, { name: "Alice Smith" });
    expect(store.getChat(ids.aliceChat).title).toBe("Warranty");
    expect(store.updateChat(ids.aliceChat, { title: "" }).title).toBe("Alice Smith");
  });

  it("stamps updated_at when changed", () => {
    const store = tinyStore();
    const before = store.getChat(ids.aliceChat);
    const after = store.updateChat(ids.aliceChat, { title: "Warranty" });
    expect(after).toEqual({ ...before, title: "Warranty", updated_at: "2026-02-01T00:00:00.000Z" });
  });

  it("cannot be set on an unknown chat (not_found)", () => {
    failure(() => tinyStore().updateChat(ids.unknown, { title: "x" }), "not_found");
  });
});

describe("a chat's messages", () => {
  it("are listed newest first", () => {
    const store = tinyStore();
    const third = store.createChatMessage(ids.aliceChat, { message: "third", agent: ids.agent });
    const fourth = store.createChatMessage(ids.aliceChat, { message: "fourth", bot: ids.bot });
    const listed = store.listChatMessages(ids.aliceChat, everything).data.map((m) => m.guid);
    expect(listed).toEqual([fourth.guid, third.guid, ids.aliceSecondMessage, ids.aliceFirstMessage]);
  });

  it("are paged newest first", () => {
    const store = tinyStore();
    for (const text of ["3", "4", "5"]) store.createChatMessage(ids.aliceChat, { message: text, agent: ids.agent });
    const second = store.listChatMessages(ids.aliceChat, { page: 2, limit: 2 });
    expect(second.data.map((m) => m.message)).toEqual(["3", "message 51"]);
    expect(second).toMatchObject({ page: 2, limit: 2, pages: 3, total: 5 });
  });

  it("are stored with their sender and stamp the chat's updated_at", () => {
    const store = tinyStore();
    const sent = store.createChatMessage(ids.aliceChat, { message: "Thanks!", contact: ids.alice });
    expect(sent).toMatchObject({ chat: ids.aliceChat, sender_type: "contact", contact: ids.alice, agent: null });
    expect(store.getChatMessage(ids.aliceChat, sent.guid)).toEqual(sent);
    expect(store.getChat(ids.aliceChat).updated_at).toBe(sent.created_at);
  });

  it("may come from a contact only in a LiveChatWeb chat (sender_not_allowed)", () => {
    failure(
      () => tinyStore().createChatMessage(ids.bobWhatsAppChat, { message: "hi", contact: ids.bob }),
      "sender_not_allowed",
    );
  });

  it("may come from the chat's own contact only (sender_not_allowed)", () => {
    failure(
      () => tinyStore().createChatMessage(ids.aliceChat, { message: "hi", contact: ids.bob }),
      "sender_not_allowed",
    );
  });

  it.each(["agent", "bot", "contact"] as const)("refuse an unknown %s, naming it (invalid_reference)", (who) => {
    const error = failure(
      () => tinyStore().createChatMessage(ids.aliceChat, { message: "hi", [who]: ids.unknown }),
      "invalid_reference",
    );
    expect(error.message).toContain(who);
    expect(error.details.map((d) => d.field)).toEqual([`/${who}`]);
  });

  it("cannot be posted to an unknown chat (not_found)", () => {
    failure(() => tinyStore().createChatMessage(ids.unknown, { message: "hi", agent: ids.agent }), "not_found");
  });

  it("cannot be posted to, listed or read in a deleted chat (not_found)", () => {
    const store = tinyStore();
    store.deleteChat(ids.aliceChat);
    failure(() => store.createChatMessage(ids.aliceChat, { message: "hi", agent: ids.agent }), "not_found");
    failure(() => store.listChatMessages(ids.aliceChat, everything), "not_found");
    failure(() => store.getChatMessage(ids.aliceChat, ids.aliceFirstMessage), "not_found");
  });

  it("are read only through their own chat", () => {
    failure(() => tinyStore().getChatMessage(ids.bobWhatsAppChat, ids.aliceFirstMessage), "not_found");
    failure(() => tinyStore().getChatMessage(ids.aliceChat, ids.unknown), "not_found");
  });

  it("are listed for an unknown chat as not_found", () => {
    failure(() => tinyStore().listChatMessages(ids.unknown, everything), "not_found");
  });
});

describe("deleting a chat", () => {
  it("removes the chat and its messages", () => {
    const store = tinyStore();
    store.deleteChat(ids.aliceChat);
    failure(() => store.getChat(ids.aliceChat), "not_found");
    expect(store.listChats(everything).data.map((c) => c.guid)).toEqual([ids.bobWhatsAppChat]);
    expect(store.snapshot().messages.map((m) => m.chat)).not.toContain(ids.aliceChat);
  });

  it("a second time is not_found", () => {
    const store = tinyStore();
    store.deleteChat(ids.aliceChat);
    failure(() => store.deleteChat(ids.aliceChat), "not_found");
    failure(() => store.updateChat(ids.aliceChat, { title: "x" }), "not_found");
  });

  it("no longer reaches it when its contact is renamed or deleted", () => {
    const store = tinyStore();
    store.deleteChat(ids.aliceChat);
    store.updateContact(ids.alice, { name: "Renamed" });
    store.deleteContact(ids.alice);
    expect(store.listChats(everything).total).toBe(1);
  });
});

describe("deleting a chat's contact", () => {
  it("leaves the chat with no contact and no default title", () => {
    const store = tinyStore();
    store.deleteContact(ids.alice);
    expect(store.getChat(ids.aliceChat)).toMatchObject({ contact: null, title: null });
  });

  it("keeps a title set by PUT", () => {
    const store = tinyStore();
    store.updateChat(ids.aliceChat, { title: "Warranty" });
    store.deleteContact(ids.alice);
    expect(store.getChat(ids.aliceChat)).toMatchObject({ contact: null, title: "Warranty" });
  });

  it("leaves the chat open to agents and closed to the deleted contact", () => {
    const store = tinyStore();
    store.deleteContact(ids.alice);
    expect(store.createChatMessage(ids.aliceChat, { message: "Still here", agent: ids.agent }).sender_type).toBe(
      "agent",
    );
    failure(() => store.createChatMessage(ids.aliceChat, { message: "hi", contact: ids.alice }), "invalid_reference");
  });

  it("keeps the state consistent: the snapshot can be loaded again", () => {
    const store = tinyStore();
    store.deleteContact(ids.alice);
    const reloaded = tinyStore();
    reloaded.replace(store.snapshot());
    expect(stateOf(reloaded)).toBe(stateOf(store));
  });
});
