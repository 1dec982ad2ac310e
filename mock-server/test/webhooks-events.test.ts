/**
 * Every change sends its webhook event, to a real receiver on a loopback port: the public API's changes
 * (contacts, chats, messages) and the admin API's triggers (a chat's states, editing and deleting
 * messages, the team). Each body validates, strictly, against the spec's webhook for its event, and
 * carries the object as the public API shows it afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWebhookValidator, listWebhooks, type WebhookEventName } from "../../lib/webhooks.ts";
import type { MockServer } from "../app.ts";
import type { Chat, Contact, Message, TeamMember } from "../store/types.ts";
import { call, type Fixture, fixtureOf } from "./helpers.ts";
import { adminCall, mockSendingTo, type Receiver, startReceiver } from "./webhooks-support.ts";

const validate = createWebhookValidator("strict");

let receiver: Receiver;
let app: MockServer;
let f: Fixture;

beforeEach(async () => {
  receiver = await startReceiver();
  app = await mockSendingTo(receiver.url);
  f = fixtureOf(app);
});

afterEach(async () => {
  await app.close();
  await receiver.close();
});

/** What a change did, to compare with the event: the object's GUID, and what `data` should carry. */
interface Done {
  guid: string;
  /** The object as the public API shows it after the change; absent for `*.deleted`. */
  object?: unknown;
  /** Where to GET it: after a `*.deleted`, it answers 404. */
  path: string;
}

const ok = <T>(answer: { status: number; body: T }): T => {
  expect(answer.status).toBe(200);
  return answer.body;
};
const get = async <T>(path: string) => ok(await call<T>(app, { path }));
const userOf = ({ role: _, ...user }: TeamMember) => user;

const newMember = async () =>
  ok(await adminCall<TeamMember>(app, "POST", "/__admin/team", { name: "Ava Patel", email: "ava@example.com" }));

/** Does the opposite first (seeded chats have random states), then the action. */
const chatAction = async (opposite: string, action: string): Promise<Done> => {
  ok(await adminCall<Chat>(app, "POST", `/__admin/chats/${f.chat}/${opposite}`));
  const chat = ok(await adminCall<Chat>(app, "POST", `/__admin/chats/${f.chat}/${action}`));
  const path = `/chat/${f.chat}`;
  expect(await get(path)).toEqual(chat);
  return { guid: f.chat, object: chat, path };
};

/** How each event is caused, and what the change did. */
const causes: Record<WebhookEventName, () => Promise<Done>> = {
  "contact.created": async () => {
    const contact = ok(await call<Contact>(app, { method: "POST", path: "/contact", json: { name: "Nora New" } }));
    return { guid: contact.guid, object: contact, path: `/contact/${contact.guid}` };
  },
  "contact.updated": async () => {
    const path = `/contact/${f.contact.guid}`;
    const contact = ok(await call<Contact>(app, { method: "PUT", path, json: { phone: "+61 400 000 000" } }));
    return { guid: f.contact.guid, object: contact, path };
  },
  "contact.deleted": async () => {
    const path = `/contact/${f.contact.guid}`;
    ok(await call(app, { method: "DELETE", path }));
    return { guid: f.contact.guid, path };
  },
  "chat.created": async () => {
    const json = { channel: f.liveChatChannel, message: "Hello", agent: f.agent };
    const chat = ok(await call<Chat>(app, { method: "POST", path: "/chat", json }));
    return { guid: chat.guid, object: chat, path: `/chat/${chat.guid}` };
  },
  "chat.deleted": async () => {
    ok(await call(app, { method: "DELETE", path: `/chat/${f.chat}` }));
    return { guid: f.chat, path: `/chat/${f.chat}` };
  },
  "chat.message.created": async () => {
    const path = `/chat/${f.chat}/message`;
    const message = ok(await call<Message>(app, { method: "POST", path, json: { message: "Hi", bot: f.bot } }));
    return { guid: message.guid, object: message, path: `${path}/${message.guid}` };
  },
  "chat.message.updated": async () => {
    const url = `/__admin/chats/${f.chat}/messages/${f.message}`;
    const message = ok(await adminCall<Message>(app, "PUT", url, { message: "Edited: see the photo." }));
    const path = `/chat/${f.chat}/message/${f.message}`;
    expect(await get(path)).toEqual(message);
    expect(message.message).toBe("Edited: see the photo.");
    return { guid: f.message, object: message, path };
  },
  "chat.message.deleted": async () => {
    ok(await adminCall(app, "DELETE", `/__admin/chats/${f.chat}/messages/${f.message}`));
    return { guid: f.message, path: `/chat/${f.chat}/message/${f.message}` };
  },
  "chat.muted": () => chatAction("unmute", "mute"),
  "chat.unmuted": () => chatAction("mute", "unmute"),
  "chat.archived": () => chatAction("unarchive", "archive"),
  "chat.unarchived": () => chatAction("archive", "unarchive"),
  "chat.resolved": () => chatAction("reopen", "resolve"),
  "chat.reopened": () => chatAction("resolve", "reopen"),
  "user.created": async () => {
    const member = await newMember();
    const path = `/team/${member.guid}`;
    expect(await get(path)).toEqual(member);
    return { guid: member.guid, object: userOf(member), path };
  },
  "user.updated": async () => {
    const path = `/team/${f.member}`;
    const member = ok(await adminCall<TeamMember>(app, "PUT", `/__admin/team/${f.member}`, { name: "Liam Renamed" }));
    expect(await get(path)).toEqual(member);
    return { guid: f.member, object: userOf(member), path };
  },
  "user.deleted": async () => {
    const member = await newMember();
    ok(await adminCall(app, "DELETE", `/__admin/team/${member.guid}`));
    return { guid: member.guid, path: `/team/${member.guid}` };
  },
};

/** The key under which `data` carries the object of an event. */
const keyOf = (event: string) => (event.startsWith("chat.message.") ? "message" : (event.split(".")[0] ?? ""));

describe("the mock's webhooks", () => {
  it("cover every event of the spec, 17 of them", () => {
    expect(Object.keys(causes).sort()).toEqual(
      listWebhooks()
        .map((hook) => hook.event)
        .sort(),
    );
    expect(Object.keys(causes)).toHaveLength(17);
  });

  it.each(Object.keys(causes) as WebhookEventName[])(
    "send %s with a body that validates against the spec and carries what the API shows",
    async (event) => {
      const done = await causes[event]();
      const { body, headers } = await receiver.waitForEvent(event);

      expect(validate(body)).toEqual({ event, problems: [] });
      expect(headers["content-type"]).toBe("application/json");
      expect(body.data.guid).toBe(done.guid);
      expect(body.data.workspace).toBe(f.state.workspace.guid);
      if (event.endsWith(".deleted")) {
        expect(Object.keys(body.data).sort()).toEqual(["guid", "workspace"]);
        expect((await call(app, { path: done.path })).status).toBe(404);
      } else {
        expect((body.data as Record<string, unknown>)[keyOf(event)]).toEqual(done.object);
      }
      // The mock's clock (one second a read, from 2026-02-01) in Unix seconds.
      expect(body.ts).toBeGreaterThanOrEqual(Date.parse("2026-02-01T00:00:00Z") / 1000);
      expect(Number.isInteger(body.ts)).toBe(true);
    },
  );

  it("send a new chat's first message after the chat, as chat.message.created", async () => {
    const { object } = await causes["chat.created"]();
    const chat = object as Chat;
    const [created, first] = await receiver.waitFor(2);
    expect([created?.body.event, first?.body.event]).toEqual(["chat.created", "chat.message.created"]);
    const messages = await get<{ data: Message[] }>(`/chat/${chat.guid}/message`);
    expect(first?.body.data).toEqual({
      workspace: f.state.workspace.guid,
      guid: messages.data[0]?.guid,
      message: messages.data[0],
    });
    expect(validate(first?.body).problems).toEqual([]);
  });

  it("give every event an id of its own", async () => {
    await causes["contact.created"]();
    await causes["contact.updated"]();
    const ids = (await receiver.waitFor(2)).map((r) => r.body.id);
    expect(new Set(ids).size).toBe(2);
  });

  it("send nothing for a request that fails, a read, a rename or a state the chat already has", async () => {
    const taken = { name: "Copy", email: f.contact.email };
    expect((await call(app, { method: "POST", path: "/contact", json: taken })).status).toBe(409);
    expect((await call(app, { method: "PUT", path: `/contact/${f.chat}`, json: { name: "x" } })).status).toBe(404);
    const badChat = { channel: f.liveChatChannel, message: "Hi", agent: f.contact.guid };
    expect((await call(app, { method: "POST", path: "/chat", json: badChat })).status).toBe(400);
    expect((await adminCall(app, "POST", `/__admin/chats/${f.contact.guid}/mute`)).status).toBe(404);
    await get(`/contact/${f.contact.guid}`);
    ok(await call(app, { method: "PUT", path: `/chat/${f.chat}`, json: { title: "Renamed" } }));
    const { muted } = await get<Chat>(`/chat/${f.chat}`);
    const unchanged = ok(await adminCall<Chat>(app, "POST", `/__admin/chats/${f.chat}/${muted ? "mute" : "unmute"}`));
    expect(unchanged).toEqual(await get<Chat>(`/chat/${f.chat}`));
    // Events are queued when the change is made, so once every queued delivery has ended, nothing more comes.
    await causes["contact.created"]();
    await app.webhooks.idle();
    expect(receiver.received.map((r) => r.body.event)).toEqual(["contact.created"]);
  });

  it("send the events a change causes in the order it made them, per object", async () => {
    for (const phone of ["1", "2", "3", "4", "5", "6"]) {
      ok(await call(app, { method: "PUT", path: `/contact/${f.contact.guid}`, json: { phone } }));
    }
    ok(await call(app, { method: "DELETE", path: `/contact/${f.contact.guid}` }));
    const received = await receiver.waitFor(7);
    expect(received.map((r) => ("contact" in r.body.data ? r.body.data.contact.phone : r.body.event))).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "contact.deleted",
    ]);
  });
});

describe("a subscription's filter", () => {
  it("sends an endpoint only the events it names, by name or by prefix", async () => {
    const contacts = await startReceiver();
    const messages = await startReceiver();
    const filtered = await mockSendingTo(contacts.url, { events: ["contact.*"] });
    ok(await adminCall(filtered, "POST", "/__admin/webhooks", { url: messages.url, events: ["chat.message.created"] }));
    try {
      const fx = fixtureOf(filtered);
      const json = { channel: fx.liveChatChannel, message: "Hello", agent: fx.agent };
      ok(await call(filtered, { method: "POST", path: "/chat", json }));
      ok(await call(filtered, { method: "POST", path: "/contact", json: { name: "Nora" } }));
      await adminCall(filtered, "POST", `/__admin/chats/${fx.chat}/mute`);
      await filtered.webhooks.idle();
      expect(contacts.received.map((r) => r.body.event)).toEqual(["contact.created"]);
      expect(messages.received.map((r) => r.body.event)).toEqual(["chat.message.created"]);
    } finally {
      await filtered.close();
      await contacts.close();
      await messages.close();
    }
  });
});
