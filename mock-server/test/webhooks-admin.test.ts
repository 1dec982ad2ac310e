/**
 * Subscribing to the mock's webhooks (`--webhook URL#EVENTS`, `/__admin/webhooks`) and the admin API's
 * triggers, as the admin spec describes them: every answer is checked against it (strict). Deliveries are
 * in webhooks-delivery.test.ts, the events themselves in webhooks-events.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { components } from "../../generated/admin-types.ts";
import { buildMockServer, type MockServer } from "../app.ts";
import { banner } from "../cli/banner.ts";
import { parseCli } from "../cli/flags.ts";
import { UsageError } from "../cli/values.ts";
import { InvalidInputError } from "../invalid-input.ts";
import { withDefaults } from "../mock-options.ts";
import type { Chat, TeamMember, User } from "../store/types.ts";
import { EVENT_NAMES, matches, parseEndpoint } from "../webhooks/filters.ts";
import { call, type Fixture, fixtureOf, UNKNOWN_ID } from "./helpers.ts";
import { adminCall, mockSendingTo } from "./webhooks-support.ts";

type Webhook = components["schemas"]["Webhook"];
type ErrorBody = { code: string; message: string; details?: { field: string; message: string }[] };

describe("an event pattern", () => {
  it.each([
    ["*", "contact.created", true],
    ["contact.created", "contact.created", true],
    ["contact.created", "contact.updated", false],
    ["contact.*", "contact.deleted", true],
    ["chat.*", "chat.message.created", true],
    ["chat.message.*", "chat.muted", false],
    ["chat.*", "contact.created", false],
    ["chat", "chat.created", false],
  ] as const)("%s matches %s: %s", (pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });
});

describe("--webhook URL#EVENTS", () => {
  it.each([
    ["http://127.0.0.1:9000/hook", { url: "http://127.0.0.1:9000/hook", events: ["*"] }],
    ["http://127.0.0.1:9000/hook#contact.created", { url: "http://127.0.0.1:9000/hook", events: ["contact.created"] }],
    [
      "https://example.test/in#contact.created, chat.*",
      { url: "https://example.test/in", events: ["contact.created", "chat.*"] },
    ],
  ])("reads %s", (text, expected) => {
    expect(parseEndpoint(text)).toEqual(expected);
  });

  it.each([
    ["ftp://example.test/x", /not an http or https URL/],
    ["example.test/x", /is not a URL/],
    ["http://example.test/x#", /no events after #/],
    ["http://example.test/x#contact.create", /No event matches contact.create\. The events are user\.created/],
  ])("refuses %s, saying why", (text, message) => {
    expect(() => parseEndpoint(text)).toThrow(message);
    expect(() => parseEndpoint(text)).toThrow(InvalidInputError);
  });

  it("is repeatable on the command line, and separated by spaces in MOCK_WEBHOOK", () => {
    const argv = ["--webhook", "http://127.0.0.1:9000/a#contact.*", "--webhook", "http://127.0.0.1:9001/b"];
    const fromFlags = parseCli(argv);
    const fromEnv = parseCli([], { MOCK_WEBHOOK: " http://127.0.0.1:9000/a#contact.*   http://127.0.0.1:9001/b " });
    const expected = [
      { url: "http://127.0.0.1:9000/a", events: ["contact.*"] },
      { url: "http://127.0.0.1:9001/b", events: ["*"] },
    ];
    for (const parsed of [fromFlags, fromEnv]) {
      expect(parsed.help ? undefined : parsed.config.options.webhooks?.endpoints).toEqual(expected);
    }
  });

  it("stops the CLI with a usage error naming the flag or the variable", () => {
    expect(() => parseCli(["--webhook", "http://x.test/#nope"])).toThrow(UsageError);
    expect(() => parseCli(["--webhook", "http://x.test/#nope"])).toThrow(/^--webhook: No event matches nope/);
    expect(() => parseCli([], { MOCK_WEBHOOK: "nope" })).toThrow(/^MOCK_WEBHOOK: "nope" is not a URL/);
  });

  it("is shown in the banner with its events", () => {
    const options = withDefaults({
      webhooks: { endpoints: [{ url: "http://127.0.0.1:9000/a", events: ["contact.*", "chat.muted"] }] },
    });
    const text = banner({ origin: "http://127.0.0.1:4010", options, stateLoaded: false });
    expect(text).toContain("  Webhooks    http://127.0.0.1:9000/a (contact.*, chat.muted)\n");
  });
});

let app: MockServer;
let f: Fixture;
const HOOK = "http://127.0.0.1:9/hook";

beforeEach(async () => {
  app = await mockSendingTo(HOOK, { events: ["contact.*"] });
  f = fixtureOf(app);
});
afterEach(async () => {
  await app.close();
});

const list = async () => (await adminCall<{ data: Webhook[] }>(app, "GET", "/__admin/webhooks")).body.data;

describe("/__admin/webhooks", () => {
  it("lists the endpoints given at start, then those added, each with an id and its events", async () => {
    const [started] = await list();
    expect(started).toMatchObject({ url: HOOK, events: ["contact.*"] });
    const added = await adminCall<Webhook>(app, "POST", "/__admin/webhooks", { url: "https://example.test/in" });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ url: "https://example.test/in", events: ["*"] });
    expect(await list()).toEqual([started, added.body]);
  });

  it.each([
    ["a URL that is not http", { url: "ftp://example.test/x" }, "/url"],
    ["no URL", { events: ["*"] }, "/url"],
    ["an empty list of events", { url: "http://example.test/", events: [] }, "/events"],
    ["a malformed pattern", { url: "http://example.test/", events: ["Contact Created"] }, "/events/0"],
    ["a pattern that matches no event", { url: "http://example.test/", events: ["*", "chat.typing"] }, "/events/1"],
    ["an undocumented field", { url: "http://example.test/", secret: "x" }, "/secret"],
  ])("refuses %s with 400, naming the field", async (_, body, field) => {
    const answer = await adminCall<ErrorBody>(app, "POST", "/__admin/webhooks", body);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_request");
    expect(answer.body.details?.map((d) => d.field)).toContain(field);
    expect(await list()).toHaveLength(1);
  });

  it("says which events there are when a pattern matches none", async () => {
    const answer = await adminCall<ErrorBody>(app, "POST", "/__admin/webhooks", { url: HOOK, events: ["chat.typing"] });
    expect(answer.body.message).toContain(EVENT_NAMES.join(", "));
  });

  it("removes one subscription by id, then answers 404 for it", async () => {
    const [started] = await list();
    expect((await adminCall(app, "DELETE", `/__admin/webhooks/${started?.id}`)).status).toBe(200);
    expect(await list()).toEqual([]);
    const again = await adminCall<ErrorBody>(app, "DELETE", `/__admin/webhooks/${started?.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ code: "not_found", message: `No webhook subscription with id ${started?.id}.` });
    expect((await adminCall(app, "DELETE", "/__admin/webhooks/not-a-guid")).status).toBe(400);
  });

  it("removes the subscriptions of one URL, or all of them", async () => {
    await adminCall(app, "POST", "/__admin/webhooks", { url: "https://a.test/" });
    await adminCall(app, "POST", "/__admin/webhooks", { url: "https://b.test/" });
    await adminCall(app, "DELETE", `/__admin/webhooks?url=${encodeURIComponent("https://a.test/")}`);
    expect((await list()).map((w) => w.url)).toEqual([HOOK, "https://b.test/"]);
    await adminCall(app, "DELETE", "/__admin/webhooks");
    expect(await list()).toEqual([]);
  });

  it("are kept across a reset, which sends no event", async () => {
    await app.inject({ method: "POST", url: "/__admin/reset" });
    expect(await list()).toHaveLength(1);
    expect((await adminCall<{ data: unknown[] }>(app, "GET", "/__admin/webhooks/deliveries")).body.data).toEqual([]);
  });

  it("logs deliveries at /__admin/webhooks/deliveries, and clears the log on DELETE", async () => {
    await call(app, { method: "POST", path: "/contact", json: { name: "Nora" } });
    await adminCall(app, "POST", `/__admin/chats/${f.chat}/archive`);
    const log = await adminCall<components["schemas"]["WebhookDeliveries"]>(app, "GET", "/__admin/webhooks/deliveries");
    // The chat event is not for this endpoint (contact.* only).
    expect(log.body.data.map((d) => [d.event, d.url])).toEqual([["contact.created", HOOK]]);
    expect(log.body).toMatchObject({ capacity: 1000, queueCapacity: 1000 });
    await adminCall(app, "DELETE", "/__admin/webhooks/deliveries");
    const cleared = await adminCall<components["schemas"]["WebhookDeliveries"]>(
      app,
      "GET",
      "/__admin/webhooks/deliveries",
    );
    expect(cleared.body).toMatchObject({ data: [], delivered: 0, failed: 0, dropped: 0 });
  });

  it("need the admin token when the mock has one", async () => {
    const locked = await buildMockServer({ adminToken: "t0ken" });
    try {
      expect((await locked.inject({ url: "/__admin/webhooks" })).statusCode).toBe(401);
      expect(
        (await locked.inject({ url: "/__admin/webhooks", headers: { "x-admin-token": "t0ken" } })).statusCode,
      ).toBe(200);
      const mute = await locked.inject({ method: "POST", url: `/__admin/chats/${UNKNOWN_ID}/mute` });
      expect(mute.statusCode).toBe(401);
    } finally {
      await locked.close();
    }
  });
});

describe("the triggers", () => {
  it.each([
    ["mute", "muted", true],
    ["unmute", "muted", false],
    ["archive", "archived", true],
    ["unarchive", "archived", false],
    ["resolve", "resolved", true],
    ["reopen", "resolved", false],
  ] as const)(
    "POST /__admin/chats/{chatId}/%s sets %s to %s, as GET /chat/{chatId} shows",
    async (action, state, on) => {
      const answer = await adminCall<Chat>(app, "POST", `/__admin/chats/${f.chat}/${action}`);
      expect(answer.body[state]).toBe(on);
      expect((await call<Chat>(app, { path: `/chat/${f.chat}` })).body).toEqual(answer.body);
    },
  );

  it("leave a chat already in the state as it was, updated_at included", async () => {
    const first = await adminCall<Chat>(app, "POST", `/__admin/chats/${f.chat}/archive`);
    const again = await adminCall<Chat>(app, "POST", `/__admin/chats/${f.chat}/archive`);
    expect(again.body).toEqual(first.body);
  });

  it.each([
    ["POST", `/__admin/chats/${UNKNOWN_ID}/mute`, undefined, 404],
    ["POST", "/__admin/chats/{chat}/snooze", undefined, 400],
    ["PUT", `/__admin/chats/{chat}/messages/${UNKNOWN_ID}`, { message: "x" }, 404],
    ["PUT", "/__admin/chats/{chat}/messages/{message}", { message: "" }, 400],
    ["PUT", "/__admin/chats/{chat}/messages/{message}", {}, 400],
    ["DELETE", `/__admin/chats/{chat}/messages/${UNKNOWN_ID}`, undefined, 404],
    ["POST", "/__admin/team", { name: "Ava" }, 400],
    ["POST", "/__admin/team", { name: "Ava", email: "ava@example.com", role: "owner" }, 400],
    ["PUT", `/__admin/team/${UNKNOWN_ID}`, { name: "x" }, 404],
    ["PUT", "/__admin/team/{member}", {}, 400],
    ["PUT", "/__admin/team/{member}", { role: "owner" }, 400],
    ["PUT", "/__admin/team/{owner}", { role: "agent" }, 400],
    ["DELETE", "/__admin/team/{owner}", undefined, 400],
    ["DELETE", "/__admin/team/{member}", undefined, 400],
    ["DELETE", `/__admin/team/${UNKNOWN_ID}`, undefined, 404],
  ] as const)("%s %s (body %j) answers %i and changes nothing", async (method, template, body, status) => {
    const url = template
      .replace("{chat}", f.chat)
      .replace("{message}", f.message)
      .replace("{member}", f.member)
      .replace("{owner}", f.state.owner.guid);
    await adminCall(app, "POST", "/__admin/webhooks", { url: HOOK, events: ["*"] });
    const before = JSON.stringify(app.store.snapshot());
    const answer = await adminCall<ErrorBody>(app, method, url, body);
    expect(answer.status).toBe(status);
    expect(JSON.stringify(app.store.snapshot())).toBe(before);
    expect(app.webhooks.deliveries().data).toEqual([]);
  });

  it("say why a member with chats or messages cannot be removed", async () => {
    const answer = await adminCall<ErrorBody>(app, "DELETE", `/__admin/team/${f.member}`);
    expect(answer.body.message).toMatch(/is the agent of \d+ chat\(s\) and \d+ message\(s\)/);
  });

  it("add a member whom GET /team lists, and remove one who has no chats", async () => {
    const body = {
      name: "Ava Patel",
      email: "ava@example.com",
      avatar: "https://cdn.example.test/ava.png",
      role: "admin",
    };
    const added = await adminCall<TeamMember>(app, "POST", "/__admin/team", body);
    expect(added.body).toMatchObject(body);
    const team = await call<{ data: TeamMember[] }>(app, { path: "/team?limit=100" });
    expect(team.body.data).toContainEqual(added.body);
    expect((await adminCall(app, "DELETE", `/__admin/team/${added.body.guid}`)).status).toBe(200);
    expect((await call(app, { path: `/team/${added.body.guid}` })).status).toBe(404);
  });

  it("change the owner's name in GET /workspace/me too", async () => {
    const owner = f.state.owner.guid;
    await adminCall(app, "PUT", `/__admin/team/${owner}`, { name: "Mia Renamed", email: "mia@example.com" });
    const me = await call<User>(app, { path: "/workspace/me" });
    expect(me.body).toMatchObject({ guid: owner, name: "Mia Renamed", email: "mia@example.com" });
  });

  it("edit and delete a message, as GET shows", async () => {
    const path = `/__admin/chats/${f.chat}/messages/${f.message}`;
    const edited = await adminCall<{ message: string; updated_at: string }>(app, "PUT", path, { message: "New text" });
    expect(edited.body.message).toBe("New text");
    expect((await call(app, { path: `/chat/${f.chat}/message/${f.message}` })).body).toEqual(edited.body);
    await adminCall(app, "DELETE", path);
    expect((await call(app, { path: `/chat/${f.chat}/message/${f.message}` })).status).toBe(404);
  });

  it("answer 405 with Allow for another method on their paths", async () => {
    const answer = await app.inject({ method: "GET", url: `/__admin/chats/${f.chat}/mute` });
    expect(answer.statusCode).toBe(405);
    expect(answer.headers.allow).toBe("POST");
    const team = await app.inject({ method: "GET", url: `/__admin/team/${f.member}` });
    expect(team.headers.allow).toBe("PUT, DELETE");
  });
});
