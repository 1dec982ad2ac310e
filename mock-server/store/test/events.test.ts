/**
 * The store tells its listeners each change it made, as the webhook event it causes (`events.ts`), and
 * tells nothing for a call that fails or changes nothing. Also the store-level rules of the changes only
 * the admin API makes: a chat's states, editing and deleting messages, the team.
 */
import { describe, expect, it } from "vitest";
import { ids, tinyStore } from "../../test/store-fixtures.ts";
import type { StoreChange } from "../events.ts";
import type { Store } from "../store.ts";
import { StoreError } from "../store-error.ts";

function listening(): { store: Store; told: StoreChange[] } {
  const store = tinyStore();
  const told: StoreChange[] = [];
  store.onChange((change) => told.push(change));
  return { store, told };
}

const NEW = "ffff0000-0000-4000-8000-000000000001";
const T = (i: number) => `2026-02-01T00:00:0${i}.000Z`;

/** Each change, and the events it tells (event name, data.guid, order key), in order. */
const changes: [string, (s: Store) => unknown, [string, string, string][]][] = [
  ["createContact", (s) => s.createContact({ name: "Cleo" }), [["contact.created", NEW, NEW]]],
  ["updateContact", (s) => s.updateContact(ids.bob, { phone: "1" }), [["contact.updated", ids.bob, ids.bob]]],
  ["deleteContact", (s) => s.deleteContact(ids.bob), [["contact.deleted", ids.bob, ids.bob]]],
  [
    "createChat",
    (s) => s.createChat({ channel: ids.whatsApp, message: "Hi", agent: ids.agent }),
    [
      ["chat.created", NEW, NEW],
      ["chat.message.created", "ffff0000-0000-4000-8000-000000000002", NEW],
    ],
  ],
  [
    "deleteChat",
    (s) => s.deleteChat(ids.bobWhatsAppChat),
    [["chat.deleted", ids.bobWhatsAppChat, ids.bobWhatsAppChat]],
  ],
  [
    "createChatMessage",
    (s) => s.createChatMessage(ids.aliceChat, { message: "Hi", bot: ids.bot }),
    [["chat.message.created", NEW, ids.aliceChat]],
  ],
  [
    "changeChatState mute",
    (s) => s.changeChatState(ids.aliceChat, "mute"),
    [["chat.muted", ids.aliceChat, ids.aliceChat]],
  ],
  [
    "changeChatState archive",
    (s) => s.changeChatState(ids.aliceChat, "archive"),
    [["chat.archived", ids.aliceChat, ids.aliceChat]],
  ],
  [
    "changeChatState resolve",
    (s) => s.changeChatState(ids.aliceChat, "resolve"),
    [["chat.resolved", ids.aliceChat, ids.aliceChat]],
  ],
  [
    "editChatMessage",
    (s) => s.editChatMessage(ids.aliceChat, ids.aliceFirstMessage, "Edited"),
    [["chat.message.updated", ids.aliceFirstMessage, ids.aliceChat]],
  ],
  [
    "deleteChatMessage",
    (s) => s.deleteChatMessage(ids.aliceChat, ids.aliceFirstMessage),
    [["chat.message.deleted", ids.aliceFirstMessage, ids.aliceChat]],
  ],
  ["addTeamMember", (s) => s.addTeamMember({ name: "Nia", email: "nia@example.com" }), [["user.created", NEW, NEW]]],
  [
    "updateTeamMember",
    (s) => s.updateTeamMember(ids.agent, { name: "Andy A." }),
    [["user.updated", ids.agent, ids.agent]],
  ],
];

describe("the store tells", () => {
  it.each(changes)("%s as its event(s), with the workspace and the object's GUID", (_, change, expected) => {
    const { store, told } = listening();
    change(store);
    expect(told.map((c) => [c.event.event, c.event.data.guid, c.orderKey])).toEqual(expected);
    for (const c of told) expect(c.event.data.workspace).toBe(ids.workspace);
  });

  it("the object as it is after the change, a team member as a User without its role", () => {
    const { store, told } = listening();
    const contact = store.updateContact(ids.bob, { phone: "1" });
    const member = store.updateTeamMember(ids.agent, { role: "admin" });
    const { role: _, ...user } = member;
    expect(told.map((c) => c.event.data)).toEqual([
      { workspace: ids.workspace, guid: ids.bob, contact },
      { workspace: ids.workspace, guid: ids.agent, user },
    ]);
  });

  it("nothing for a read, a rename, a state the chat already has, or a call that fails", () => {
    const { store, told } = listening();
    store.getContact(ids.bob);
    store.listChats({ page: 1, limit: 10 });
    store.updateChat(ids.aliceChat, { title: "Renamed" });
    store.changeChatState(ids.aliceChat, "unmute");
    expect(() => store.createContact({ email: "bob@example.com" })).toThrow(StoreError);
    expect(() => store.changeChatState(ids.unknown, "mute")).toThrow(StoreError);
    expect(() => store.editChatMessage(ids.bobWhatsAppChat, ids.aliceFirstMessage, "x")).toThrow(StoreError);
    expect(() => store.removeTeamMember(ids.owner)).toThrow(StoreError);
    expect(told).toEqual([]);
  });

  it("not while the listener does not want them, and again once it does", () => {
    const store = tinyStore();
    const told: StoreChange[] = [];
    let wanted = false;
    store.onChange(
      (change) => told.push(change),
      () => wanted,
    );
    store.createContact({ name: "Cleo" });
    expect(told).toEqual([]);
    wanted = true;
    const dora = store.createContact({ name: "Dora" });
    expect(told.map((change) => change.event)).toMatchObject([{ event: "contact.created", data: { contact: dora } }]);
  });

  it("no more once the listener is stopped", () => {
    const store = tinyStore();
    const told: StoreChange[] = [];
    const stop = store.onChange((change) => told.push(change));
    stop();
    store.createContact({ name: "Cleo" });
    expect(told).toEqual([]);
  });
});

describe("the changes only the admin API makes", () => {
  it("set a chat's state and move its updated_at; the same state again changes nothing", () => {
    const store = tinyStore();
    const muted = store.changeChatState(ids.aliceChat, "mute");
    expect(muted).toMatchObject({ muted: true, updated_at: T(0) });
    expect(store.changeChatState(ids.aliceChat, "mute")).toEqual(muted);
    expect(store.getChat(ids.aliceChat)).toEqual(muted);
    expect(store.changeChatState(ids.aliceChat, "unmute")).toMatchObject({ muted: false, updated_at: T(1) });
  });

  it("edit a message's text and updated_at, and delete it", () => {
    const store = tinyStore();
    const edited = store.editChatMessage(ids.aliceChat, ids.aliceFirstMessage, "Edited");
    expect(edited).toMatchObject({ message: "Edited", updated_at: T(0), created_at: "2026-01-01T00:00:00.000Z" });
    expect(store.getChatMessage(ids.aliceChat, ids.aliceFirstMessage)).toEqual(edited);
    store.deleteChatMessage(ids.aliceChat, ids.aliceFirstMessage);
    expect(() => store.getChatMessage(ids.aliceChat, ids.aliceFirstMessage)).toThrow("No message");
    expect(store.listChatMessages(ids.aliceChat, { page: 1, limit: 10 }).total).toBe(1);
  });

  it("add, change and remove team members; the owner stays the owner, and its changes reach the workspace's owner", () => {
    const store = tinyStore();
    const added = store.addTeamMember({ name: "Nia", email: "nia@example.com" });
    expect(added).toEqual({
      guid: NEW,
      name: "Nia",
      email: "nia@example.com",
      avatar: null,
      role: "agent",
      created_at: T(0),
    });
    store.updateTeamMember(ids.owner, { name: "Olive O." });
    expect(store.getWorkspaceOwner().name).toBe("Olive O.");
    expect(() => store.updateTeamMember(ids.owner, { role: "admin" })).toThrow("one owner");
    expect(() => store.updateTeamMember(NEW, { role: "owner" })).toThrow("one owner");
    expect(() => store.removeTeamMember(ids.agent)).toThrow(/agent of 2 chat\(s\) and 2 message\(s\)/);
    store.removeTeamMember(NEW);
    expect(() => store.getTeamMember(NEW)).toThrow("No team member");
  });
});
