/**
 * The kit's MSW handlers in Node: `setupServer` with `createHandlers()`, and the plain global `fetch` to the
 * live API's URL, as an application under test would send it. MSW answers every request from one engine;
 * `onUnhandledRequest: "error"` makes any request the handlers do not take fail the test instead of
 * reaching the network. Each test starts from the seeded state (`POST /__admin/reset`, through MSW too).
 */
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { components } from "../../../generated/admin-types.ts";
import { API_BASE_URL } from "../../../generated/rules.ts";
import type { components as api } from "../../../generated/types.ts";
import { createWebhookValidator, type WebhookPayload } from "../../../lib/webhooks.ts";
import { DEFAULT_SEED } from "../../store/seed.ts";
import { createHandlers } from "../msw.ts";

type Contact = api["schemas"]["Contact"];
type Chat = api["schemas"]["Chat"];
type Message = api["schemas"]["Message"];
type ApiError = api["schemas"]["Error"];
type Page<T> = { data: T[]; page: number; limit: number; pages: number; total: number };
type Fixtures = components["schemas"]["Fixtures"];

const told: WebhookPayload[] = [];
const SEEDED_CONTACTS = 45;
const mock = createHandlers({
  seed: { ...DEFAULT_SEED, contacts: SEEDED_CONTACTS },
  onEvent: (event) => told.push(event),
});
const server = setupServer(...mock.handlers);

/** One request to the live URL through the global fetch; the JSON answer, or null for an empty body. */
async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { "x-api-key": mock.apiKey },
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${API_BASE_URL}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === "" ? null : JSON.parse(text)) as T };
}

let fixtures: Fixtures;
const channelOf = (type: string) => {
  const channel = fixtures.channels.find((c) => c.type === type);
  if (!channel) throw new Error(`the seed has no ${type} channel`);
  return channel.guid;
};

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(async () => {
  server.close();
  await mock.close();
});
beforeEach(async () => {
  // Through the admin API, as MSW answers it: the data, the journal and the events as after the start.
  fixtures = await mock.reset();
  told.length = 0;
});

describe("a walk through the API, over MSW in Node, with the global fetch", () => {
  it("creates a contact, finds it by email, pages through it, chats, renames, sends, and deletes it", async () => {
    const created = await call<Contact>("POST", "/contact", { name: "Olivia Brown", email: "olivia@example.com" });
    expect(created.status).toBe(200);
    const olivia = created.body;

    // Search compares emails case-insensitively; an email is unique, so one contact at most.
    const found = await call<Page<Contact>>("GET", "/contact/search?email=OLIVIA%40example.com");
    expect(found.status).toBe(200);
    expect(found.body.data).toEqual([olivia]);

    // Every page once (20, 20, 6): the seeded contacts and the new one, none twice.
    const seen: string[] = [];
    let pages = 0;
    for (let page = 1; ; page++) {
      const { status, body } = await call<Page<Contact>>("GET", `/contact?page=${page}&limit=20`);
      expect(status).toBe(200);
      pages = body.pages;
      seen.push(...body.data.map((c) => c.guid));
      if (page >= body.pages) break;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(SEEDED_CONTACTS + 1);
    expect(new Set(seen).size).toBe(SEEDED_CONTACTS + 1);
    expect(seen).toContain(olivia.guid);

    const started = await call<Chat>("POST", "/chat", {
      channel: channelOf("LiveChatWeb"),
      contact: olivia.guid,
      message: "Hello, my e-bike will not start.",
    });
    expect(started.status).toBe(200);
    const chat = started.body;
    expect(chat.title).toBe("Olivia Brown");

    const renamed = await call<Chat>("PUT", `/chat/${chat.guid}`, { title: "Warranty claim" });
    expect(renamed.body.title).toBe("Warranty claim");
    expect((await call<Chat>("GET", `/chat/${chat.guid}`)).body.title).toBe("Warranty claim");

    const sent = await call<Message>("POST", `/chat/${chat.guid}/message`, {
      agent: fixtures.owner,
      message: "Could you send us a photo of the serial number?",
    });
    expect(sent.status).toBe(200);
    expect(sent.body.sender_type).toBe("agent");
    // Newest first: the agent's answer, then the contact's first message.
    const messages = await call<Page<Message>>("GET", `/chat/${chat.guid}/message`);
    expect(messages.body.data.map((m) => [m.sender_type, m.message])).toEqual([
      ["agent", "Could you send us a photo of the serial number?"],
      ["contact", "Hello, my e-bike will not start."],
    ]);

    const deleted = await call<null>("DELETE", `/contact/${olivia.guid}`);
    expect(deleted).toEqual({ status: 200, body: null });
    expect((await call<ApiError>("GET", `/contact/${olivia.guid}`)).status).toBe(404);
    expect((await call<Page<Contact>>("GET", "/contact/search?email=olivia%40example.com")).body.total).toBe(0);
  });

  it("tells each change as its webhook event, in process, in the spec's envelope and in order", async () => {
    const validate = createWebhookValidator("strict");
    const contact = (await call<Contact>("POST", "/contact", { email: "events@example.com" })).body;
    const chat = (
      await call<Chat>("POST", "/chat", { channel: channelOf("Email"), agent: fixtures.owner, message: "Hi" })
    ).body;
    // The spec has no webhook for a renamed chat: a rename tells nothing.
    await call("PUT", `/chat/${chat.guid}`, { title: "Renamed" });
    await call("DELETE", `/contact/${contact.guid}`);

    const events = await mock.events();
    expect(events.map((e) => e.event)).toEqual([
      "contact.created",
      "chat.created",
      "chat.message.created",
      "contact.deleted",
    ]);
    // onEvent was told the same events, by the time each request was answered.
    expect(told).toEqual(events);
    for (const event of events) expect(validate(event).problems).toEqual([]);
    expect(events[0]?.data).toMatchObject({ guid: contact.guid, contact: { email: "events@example.com" } });
  });
});

describe("the API's rules, over MSW", () => {
  it("refuses a second contact with the same email, in any case, with 409 email_taken", async () => {
    expect((await call("POST", "/contact", { email: "taken@example.com" })).status).toBe(200);
    const again = await call<ApiError>("POST", "/contact", { email: "TAKEN@example.com" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("email_taken");
  });

  it("refuses a contact as the sender outside a LiveChatWeb channel with 400 sender_not_allowed, naming /contact", async () => {
    const contact = (await call<Contact>("POST", "/contact", { name: "Sam", email: "sam@example.com" })).body;
    const refused = await call<ApiError>("POST", "/chat", {
      channel: channelOf("WhatsApp"),
      contact: contact.guid,
      message: "Hi",
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe("sender_not_allowed");
    expect(refused.body.details?.map((d) => d.field)).toEqual(["/contact"]);

    // Named beside an agent, the contact is who the chat is with; the agent sends. Then the contact
    // still may not send there.
    const chat = (
      await call<Chat>("POST", "/chat", {
        channel: channelOf("WhatsApp"),
        agent: fixtures.owner,
        contact: contact.guid,
        message: "Hi",
      })
    ).body;
    const reply = await call<ApiError>("POST", `/chat/${chat.guid}/message`, { contact: contact.guid, message: "Yo" });
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe("sender_not_allowed");
  });

  it("lets only the chat's own contact send in a LiveChatWeb chat", async () => {
    const [own, other] = [
      (await call<Contact>("POST", "/contact", { email: "own@example.com" })).body,
      (await call<Contact>("POST", "/contact", { email: "other@example.com" })).body,
    ];
    const chat = (
      await call<Chat>("POST", "/chat", { channel: channelOf("LiveChatWeb"), contact: own.guid, message: "Hi" })
    ).body;
    expect((await call("POST", `/chat/${chat.guid}/message`, { contact: own.guid, message: "Me again" })).status).toBe(
      200,
    );
    const stranger = await call<ApiError>("POST", `/chat/${chat.guid}/message`, { contact: other.guid, message: "Me" });
    expect(stranger.status).toBe(400);
    expect(stranger.body.code).toBe("sender_not_allowed");
  });

  it.each([
    ["null", null],
    ["the empty string", ""],
  ])("resets a chat's title to its contact's name when the title is set to %s", async (_, title) => {
    const contact = (await call<Contact>("POST", "/contact", { name: "Ada Lovelace", email: "ada@example.com" })).body;
    const chat = (
      await call<Chat>("POST", "/chat", { channel: channelOf("LiveChatWeb"), contact: contact.guid, message: "Hi" })
    ).body;
    await call("PUT", `/chat/${chat.guid}`, { title: "Engines" });
    const reset = await call<Chat>("PUT", `/chat/${chat.guid}`, { title });
    expect(reset.status).toBe(200);
    expect(reset.body.title).toBe("Ada Lovelace");
    expect((await call<Chat>("GET", `/chat/${chat.guid}`)).body.title).toBe("Ada Lovelace");
  });

  it.each([
    ["no key", {}],
    ["a wrong key", { "x-api-key": "not-the-key" }],
  ])("answers 401 unauthorized with %s, and changes nothing", async (_, headers) => {
    const refused = await call<ApiError>("POST", "/contact", { email: "nokey@example.com" }, headers);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe("unauthorized");
    expect((await call<Page<Contact>>("GET", "/contact/search?email=nokey%40example.com")).body.total).toBe(0);
    expect(await mock.events()).toEqual([]);
  });

  it("answers 400 naming the field that breaks the spec", async () => {
    const bad = await call<ApiError>("POST", "/contact", { email: "not-an-email" });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_request");
    expect(bad.body.details).toEqual([expect.objectContaining({ in: "body", field: "/email" })]);

    const query = await call<ApiError>("GET", "/contact?limit=0");
    expect(query.status).toBe(400);
    expect(query.body.details).toEqual([expect.objectContaining({ in: "query", field: "limit" })]);
  });
});
