/**
 * The admin API under /__admin: fixtures whose ids work on the public API, reset, state export and import
 * (atomic: a bad import changes nothing), the request journal, and the optional admin token. Every answer
 * is checked against the admin spec by `admin()`.
 */
import { describe, expect, it } from "vitest";
import { buildMockServer, type MockServer } from "../app.ts";
import { BODY_LIMIT, DEFAULT_API_KEY, PUBLIC_PREFIX } from "../mock-options.ts";
import type { Fixtures, StateSnapshot } from "../store/types.ts";
import { admin, exportState, fixtures, publicGet, SMALL } from "./admin-support.ts";

const KEY = { "x-api-key": DEFAULT_API_KEY };
const build = (options: Parameters<typeof buildMockServer>[0] = {}) => buildMockServer({ seed: SMALL, ...options });

async function createContact(app: MockServer, body: Record<string, unknown>) {
  const response = await app.inject({ method: "POST", url: `${PUBLIC_PREFIX}/contact`, headers: KEY, payload: body });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { guid: string };
}

describe("GET /__admin/fixtures", () => {
  it("lists the workspace, owner, team, channels, bots and accepted keys, and needs no API key", async () => {
    const app = await build({ apiKeys: ["key-one", "key-two"] });
    const { status, body } = await admin<Fixtures>(app, "GET", "/__admin/fixtures");
    expect(status).toBe(200);
    expect(body.apiKeys).toEqual(["key-one", "key-two"]);
    expect(body.team).toHaveLength(SMALL.team);
    expect(body.team[0]).toBe(body.owner);
    expect(body.channels).toHaveLength(SMALL.channels);
    expect(body.channels.map((c) => c.type)).toContain("LiveChatWeb");
    expect(body.bots).toHaveLength(SMALL.bots);
    await app.close();
  });

  it("gives ids that the public API knows", async () => {
    const app = await build();
    const fx = await fixtures(app);
    expect((await publicGet<{ guid: string }>(app, "/workspace")).body.guid).toBe(fx.workspace);
    expect((await publicGet<{ guid: string }>(app, "/workspace/me")).body.guid).toBe(fx.owner);
    for (const member of fx.team) expect((await publicGet(app, `/team/${member}`)).status).toBe(200);

    const liveChat = fx.channels.find((c) => c.type === "LiveChatWeb");
    const bot = fx.bots[0];
    const chat = await app.inject({
      method: "POST",
      url: `${PUBLIC_PREFIX}/chat`,
      headers: KEY,
      payload: { channel: liveChat?.guid, bot: bot?.guid, message: "Hello from the fixtures" },
    });
    expect(chat.statusCode, chat.body).toBe(200);
    await app.close();
  });
});

describe("GET /__admin/replication", () => {
  it("says a mock without --redis shares its state with no other", async () => {
    const app = await build();
    expect(await admin(app, "GET", "/__admin/replication")).toMatchObject({ status: 200, body: { shared: false } });
    await app.close();
  });
});

describe("POST /__admin/reset", () => {
  it("brings back the seeded state, byte for byte, after changes", async () => {
    const app = await build();
    const seeded = await exportState(app);
    const { guid } = await createContact(app, { name: "Temporary", email: "temp@example.com" });

    const reset = await admin<Fixtures>(app, "POST", "/__admin/reset");
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual(await fixtures(app));
    expect(await exportState(app)).toEqual(seeded);
    const gone = await app.inject({ method: "GET", url: `${PUBLIC_PREFIX}/contact/${guid}`, headers: KEY });
    expect(gone.statusCode).toBe(404);
    await app.close();
  });

  it("seeds with the seed and sizes of its body; the others, and later resets, keep those the mock started with", async () => {
    const app = await build();
    await admin(app, "POST", "/__admin/reset", { body: { seed: 99, contacts: 3 } });
    const other = await exportState(app);
    expect(other.contacts).toHaveLength(3);
    expect(other.team).toHaveLength(SMALL.team);
    expect(other.workspace.guid).not.toBe((await exportState(await build())).workspace.guid);

    await admin(app, "POST", "/__admin/reset");
    expect((await exportState(app)).contacts).toHaveLength(SMALL.contacts);
    await app.close();
  });

  it("refuses sizes outside the admin spec's limits with 400 naming each field, and changes nothing", async () => {
    const app = await build();
    const before = await exportState(app);
    const { status, body } = await admin<{ code: string; details: { field: string }[] }>(
      app,
      "POST",
      "/__admin/reset",
      { body: { team: 0, contacts: -1, colour: "red" } },
    );
    expect(status).toBe(400);
    expect(body.code).toBe("invalid_request");
    expect(body.details.map((d) => d.field).sort()).toEqual(["/colour", "/contacts", "/team"]);
    expect(await exportState(app)).toEqual(before);
    await app.close();
  });
});

describe("GET and PUT /__admin/state", () => {
  it("round-trips: a state exported from one mock and imported into another gives the same state and answers", async () => {
    const source = await build();
    const { guid } = await createContact(source, { name: "Carried Over", email: "carried@example.com" });
    const state = await exportState(source);

    const target = await build({ seed: { ...SMALL, seed: 1234 } });
    const imported = await admin<Fixtures>(target, "PUT", "/__admin/state", { body: state });
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual(await fixtures(source));
    expect(await exportState(target)).toEqual(state);
    expect((await publicGet<{ name: string }>(target, `/contact/${guid}`)).body.name).toBe("Carried Over");
    await source.close();
    await target.close();
  });

  it("exports JSON that is exactly the store's snapshot", async () => {
    const app = await build();
    const { text, headers } = await admin(app, "GET", "/__admin/state");
    expect(headers["content-type"]).toMatch(/^application\/json/);
    expect(text).toBe(JSON.stringify(app.store.snapshot()));
    await app.close();
  });

  const UNKNOWN = "00000000-0000-4000-8000-000000000000";
  /** Sets the value at a JSON pointer of a state, or deletes it when the value is undefined. */
  const set =
    (pointer: string, value: unknown | ((s: StateSnapshot) => unknown)) =>
    (state: StateSnapshot): void => {
      const parts = pointer.split("/").slice(1);
      const last = parts.pop() ?? "";
      let node = state as unknown as Record<string, unknown>;
      for (const part of parts) node = node[part] as Record<string, unknown>;
      if (value === undefined) delete node[last];
      else node[last] = typeof value === "function" ? value(state) : value;
    };

  const breakages: [string, (s: StateSnapshot) => void, string][] = [
    ["a missing collection (the schema)", set("/messages", undefined), "/messages"],
    ["a badly formed id (the schema)", set("/contacts/0/guid", "nope"), "/contacts/0/guid"],
    ["an undocumented property (the schema)", set("/extra", 1), "/extra"],
    [
      "a contact with an undocumented field, which the mock would then serve",
      set("/contacts/0/nickname", "Al"),
      "/contacts/0/nickname",
    ],
    [
      "two contacts with one email in different case (the store)",
      set("/contacts/1/email", (s: StateSnapshot) => s.contacts[0]?.email?.toUpperCase()),
      "/contacts/1/email",
    ],
    ["a chat in an unknown channel (the store)", set("/chats/0/channel", UNKNOWN), "/chats/0/channel"],
    ["a message of an unknown chat (the store)", set("/messages/0/chat", UNKNOWN), "/messages/0/chat"],
    ["a chat whose agent is not in the team (the references)", set("/chats/0/agent", UNKNOWN), "/chats/0/agent"],
    ["a workspace whose owner is not the owner (the references)", set("/workspace/owner", UNKNOWN), "/workspace/owner"],
  ];

  it.each(breakages)(
    "refuses a state with %s: 400 naming the field, and the state is unchanged",
    async (_, breakIt, field) => {
      const app = await build();
      await createContact(app, { name: "Before", email: "before@example.com" });
      const before = await exportState(app);
      const bad = structuredClone(before);
      breakIt(bad);

      const { status, body } = await admin<{ code: string; details: { field: string }[] }>(
        app,
        "PUT",
        "/__admin/state",
        {
          body: bad,
        },
      );
      expect(status).toBe(400);
      expect(body.code).toBe("invalid_request");
      expect(body.details.map((d) => d.field)).toContain(field);
      expect(await exportState(app)).toEqual(before);
      await app.close();
    },
  );

  it("refuses a body that is not JSON, or no body, with a 4xx Error body (403 with no content type over HTTP)", async () => {
    const app = await build();
    const notJson = await app.inject({
      method: "PUT",
      url: "/__admin/state",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ code: "invalid_json" });
    const empty = await app.inject({
      method: "PUT",
      url: "/__admin/state",
      headers: { "content-type": "application/json" },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: "invalid_json" });
    // Not declared JSON: a write a web page could have sent (engine/stages/http-guard.ts).
    const none = await app.inject({ method: "PUT", url: "/__admin/state" });
    expect(none.statusCode).toBe(403);
    expect(none.json()).toMatchObject({ code: "forbidden" });
    await app.close();
  });

  it("takes a state larger than the public API's 1 MiB body limit", async () => {
    const app = await build({ seed: { ...SMALL, contacts: 3000 } });
    const state = await exportState(app);
    expect(JSON.stringify(state).length).toBeGreaterThan(BODY_LIMIT);
    expect((await admin(app, "PUT", "/__admin/state", { body: state })).status).toBe(200);
    await app.close();
  });
});

describe("GET and DELETE /__admin/requests", () => {
  it("records each request, oldest first: time, method, path as sent, status, duration and operationId", async () => {
    const app = await build();
    const before = Date.now();
    await app.inject({ method: "GET", url: `${PUBLIC_PREFIX}/contact?page=2&limit=5`, headers: KEY });
    await app.inject({ method: "GET", url: `${PUBLIC_PREFIX}/contact/not-an-id`, headers: KEY });
    await app.inject({ method: "GET", url: "/nowhere" });
    await app.inject({ method: "GET", url: "/__admin/fixtures" });

    const { body } = await admin<{ data: Record<string, unknown>[]; capacity: number; dropped: number }>(
      app,
      "GET",
      "/__admin/requests",
    );
    expect(body.capacity).toBe(1000);
    expect(body.dropped).toBe(0);
    expect(body.data.map(({ method, path, status, operationId }) => ({ method, path, status, operationId }))).toEqual([
      { method: "GET", path: `${PUBLIC_PREFIX}/contact?page=2&limit=5`, status: 200, operationId: "listContacts" },
      { method: "GET", path: `${PUBLIC_PREFIX}/contact/not-an-id`, status: 400, operationId: "getContact" },
      { method: "GET", path: "/nowhere", status: 404, operationId: null },
      { method: "GET", path: "/__admin/fixtures", status: 200, operationId: null },
    ]);
    for (const entry of body.data) {
      expect(Date.parse(String(entry.time))).toBeGreaterThanOrEqual(before - 1000);
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
    }
    await app.close();
  });

  it("leaves out its own reads and never holds a key or token", async () => {
    const app = await build({ apiKeys: ["secret-key-1"], adminToken: "secret-token-1" });
    const token = { "x-admin-token": "secret-token-1" };
    await app.inject({ method: "GET", url: `${PUBLIC_PREFIX}/workspace`, headers: { "x-api-key": "secret-key-1" } });
    await admin(app, "GET", "/__admin/requests", { headers: token });
    const { body, text } = await admin<{ data: unknown[] }>(app, "GET", "/__admin/requests", { headers: token });
    expect(body.data).toHaveLength(1);
    expect(text).not.toContain("secret-key-1");
    expect(text).not.toContain("secret-token-1");
    await app.close();
  });

  it("empties on DELETE, answering 200 with an empty body", async () => {
    const app = await build();
    await app.inject({ method: "GET", url: `${PUBLIC_PREFIX}/workspace`, headers: KEY });
    const cleared = await admin(app, "DELETE", "/__admin/requests");
    expect(cleared.status).toBe(200);
    expect(cleared.text).toBe("");
    expect((await admin<{ data: unknown[] }>(app, "GET", "/__admin/requests")).body.data).toEqual([]);
    await app.close();
  });

  it("keeps only the most recent requests up to its capacity and counts those dropped", async () => {
    const app = await build({ journalCapacity: 3 });
    for (let page = 1; page <= 5; page++) {
      await app.inject({ method: "GET", url: `${PUBLIC_PREFIX}/contact?page=${page}`, headers: KEY });
    }
    const { body } = await admin<{ data: { path: string }[]; capacity: number; dropped: number }>(
      app,
      "GET",
      "/__admin/requests",
    );
    expect(body.capacity).toBe(3);
    expect(body.dropped).toBe(2);
    expect(body.data.map((e) => e.path)).toEqual([3, 4, 5].map((p) => `${PUBLIC_PREFIX}/contact?page=${p}`));
    await admin(app, "DELETE", "/__admin/requests");
    expect((await admin<{ dropped: number }>(app, "GET", "/__admin/requests")).body.dropped).toBe(0);
    await app.close();
  });
});

describe("the admin token", () => {
  const routes: ["GET" | "POST" | "PUT" | "DELETE", string][] = [
    ["GET", "/__admin/fixtures"],
    ["POST", "/__admin/reset"],
    ["GET", "/__admin/state"],
    ["PUT", "/__admin/state"],
    ["GET", "/__admin/requests"],
    ["DELETE", "/__admin/requests"],
  ];

  it.each(routes)("when set, %s %s answers 401 without it or with a wrong one", async (method, path) => {
    const app = await build({ adminToken: "s3cret" });
    const missing = await admin<{ code: string; details: unknown[] }>(app, method, path);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({
      code: "unauthorized",
      details: [{ in: "header", field: "x-admin-token", message: "is required" }],
    });
    const wrong = await admin(app, method, path, { headers: { "x-admin-token": "s3cret!" } });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain("s3cret");
    await app.close();
  });

  it("when set, lets a request with it through, and the public API still asks only for the API key", async () => {
    const app = await build({ adminToken: "s3cret" });
    expect((await admin(app, "GET", "/__admin/fixtures", { headers: { "x-admin-token": "s3cret" } })).status).toBe(200);
    expect((await publicGet(app, "/workspace")).status).toBe(200);
    await app.close();
  });

  it("when not set, is not needed", async () => {
    const app = await build();
    expect((await admin(app, "GET", "/__admin/fixtures")).status).toBe(200);
    await app.close();
  });
});

describe("unknown admin routes", () => {
  it.each([
    ["PATCH", "/__admin/state", 405, "GET, PUT"],
    ["POST", "/__admin/fixtures", 405, "GET"],
    ["GET", "/__admin/nothing-here", 404, undefined],
  ] as const)("%s %s answers %i with the Error body", async (method, url, status, allow) => {
    const app = await build();
    const response = await app.inject({ method, url });
    expect(response.statusCode).toBe(status);
    expect(response.headers.allow).toBe(allow);
    expect(response.json()).toMatchObject({ code: status === 405 ? "method_not_allowed" : "not_found" });
    await app.close();
  });
});
