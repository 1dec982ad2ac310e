/**
 * A workspace per key (engine/workspaces.ts): `POST /__admin/workspaces` answers a key, and requests with
 * that key see that workspace and nothing else; the mock's own key keeps the default workspace. Driven
 * through the engine directly, admin API included.
 */
import { describe, expect, it } from "vitest";
import { bodyText } from "../../test/engine-support.ts";
import { SMALL_SEED, sequentialIds, steppingClock } from "../../test/store-fixtures.ts";
import { createEngine, type Engine } from "../index.ts";
import type { EngineResponse } from "../types.ts";

const KEY = "default-key";
const JSON_TYPE = { "content-type": "application/json" };

function setUp() {
  const engine = createEngine({ apiKeys: [KEY], seed: SMALL_SEED, now: steppingClock(), newId: sequentialIds() });
  return { engine, ...calls(engine) };
}

function calls(engine: Engine) {
  const text = (response: EngineResponse) => bodyText(response.body);
  const call = async (method: string, url: string, key: string | undefined, body?: unknown) => {
    const headers: Record<string, string> = body === undefined ? {} : { ...JSON_TYPE };
    if (key !== undefined) headers["x-api-key"] = key;
    const response = await engine.handle({
      method,
      url,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const raw = text(response);
    return { status: response.status, body: raw === "" ? undefined : JSON.parse(raw) };
  };
  const newWorkspace = async (body?: unknown) => {
    const answer = await call("POST", "/__admin/workspaces", undefined, body);
    expect(answer.status).toBe(200);
    return answer.body as { apiKey: string; workspace: { guid: string; name: string } };
  };
  const total = async (key: string) => (await call("GET", "/public/v1/contact?limit=1", key)).body.total as number;
  const createContact = async (key: string, email: string) => {
    const answer = await call("POST", "/public/v1/contact", key, { name: "Ada", email });
    expect(answer.status).toBe(200);
    return answer.body.guid as string;
  };
  return { call, newWorkspace, total, createContact };
}

describe("POST /__admin/workspaces", () => {
  it("answers a new key and the workspace as GET /workspace answers it with that key", async () => {
    const { call, newWorkspace } = setUp();
    const created = await newWorkspace();
    expect(created.apiKey).toMatch(/^ws-[0-9a-f-]{36}$/);
    expect(created.apiKey).not.toBe(KEY);
    const workspace = await call("GET", "/public/v1/workspace", created.apiKey);
    expect(workspace.status).toBe(200);
    expect(workspace.body).toEqual(created.workspace);
  });

  it("seeds a workspace as the mock was seeded (the same data), or with the sizes given", async () => {
    const { engine, call, newWorkspace, total } = setUp();
    const same = await newWorkspace();
    const page = (key: string) => call("GET", "/public/v1/contact?limit=5", key);
    expect((await page(same.apiKey)).body).toEqual((await page(KEY)).body);
    const sized = await newWorkspace({ seed: { contacts: 3 } });
    expect(await total(sized.apiKey)).toBe(3);
    expect(engine.workspaces.get(sized.apiKey)?.seed).toEqual({ ...SMALL_SEED, contacts: 3 });
  });

  it("takes a chosen key, and refuses one already taken (the mock's or a workspace's) with 400", async () => {
    const { call, newWorkspace } = setUp();
    expect((await newWorkspace({ apiKey: "file-a" })).apiKey).toBe("file-a");
    for (const apiKey of ["file-a", KEY]) {
      const refused = await call("POST", "/__admin/workspaces", undefined, { apiKey });
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([expect.objectContaining({ field: "/apiKey" })]);
    }
    const bad = await call("POST", "/__admin/workspaces", undefined, { apiKey: "has space" });
    expect(bad.status).toBe(400);
  });
});

describe("requests are routed by their key", () => {
  it("a contact made with a workspace's key is seen with that key only, and the same email may be in each", async () => {
    const { call, newWorkspace, createContact } = setUp();
    const a = (await newWorkspace()).apiKey;
    const b = (await newWorkspace()).apiKey;
    const inA = await createContact(a, "kim@example.com");
    const inB = await createContact(b, "kim@example.com");
    const inDefault = await createContact(KEY, "kim@example.com");

    expect((await call("GET", `/public/v1/contact/${inA}`, a)).status).toBe(200);
    for (const key of [b, KEY]) expect((await call("GET", `/public/v1/contact/${inA}`, key)).status).toBe(404);
    for (const key of [a, KEY]) expect((await call("GET", `/public/v1/contact/${inB}`, key)).status).toBe(404);
    for (const key of [a, b]) expect((await call("GET", `/public/v1/contact/${inDefault}`, key)).status).toBe(404);
    const search = await call("GET", "/public/v1/contact/search?email=kim@example.com", a);
    expect(search.body.data.map((c: { guid: string }) => c.guid)).toEqual([inA]);
  });

  it("pages and totals are each workspace's own", async () => {
    const { call, newWorkspace, total, createContact } = setUp();
    const a = (await newWorkspace()).apiKey;
    const b = (await newWorkspace()).apiKey;
    const seeded = SMALL_SEED.contacts;
    await createContact(a, "one@example.com");
    await createContact(a, "two@example.com");
    await createContact(b, "three@example.com");
    expect([await total(a), await total(b), await total(KEY)]).toEqual([seeded + 2, seeded + 1, seeded]);
    const last = await call("GET", `/public/v1/contact?limit=${seeded}&page=2`, a);
    expect(last.body.data.map((c: { email: string }) => c.email)).toEqual(["one@example.com", "two@example.com"]);
  });

  it("an unknown key is 401, as before; the mock's key keeps the default workspace", async () => {
    const { engine, call, newWorkspace } = setUp();
    await newWorkspace();
    expect((await call("GET", "/public/v1/contact", "no-such-key")).status).toBe(401);
    expect((await call("GET", "/public/v1/contact", undefined)).status).toBe(401);
    const workspace = await call("GET", "/public/v1/workspace", KEY);
    expect(workspace.body.guid).toBe(engine.store.getWorkspace().guid);
  });
});

describe("admin routes that act on the data take the workspace's key in x-api-key", () => {
  it("a reset with a workspace's key resets that workspace only", async () => {
    const { engine, call, newWorkspace, total, createContact } = setUp();
    const a = (await newWorkspace()).apiKey;
    const b = (await newWorkspace()).apiKey;
    const seeded = SMALL_SEED.contacts;
    for (const key of [a, b, KEY]) await createContact(key, "kept@example.com");
    const defaultState = JSON.stringify(engine.store.snapshot());

    const reset = await call("POST", "/__admin/reset", a);
    expect(reset.status).toBe(200);
    expect(reset.body.apiKeys).toEqual([a]);
    expect([await total(a), await total(b), await total(KEY)]).toEqual([seeded, seeded + 1, seeded + 1]);
    expect(JSON.stringify(engine.store.snapshot())).toBe(defaultState);

    // Without a key, the default workspace: the workspaces stay as they are.
    await call("POST", "/__admin/reset", undefined);
    expect([await total(a), await total(b), await total(KEY)]).toEqual([seeded, seeded + 1, seeded]);
  });

  it("a reset of a workspace starts from the sizes it was made with", async () => {
    const { call, newWorkspace, total } = setUp();
    const small = (await newWorkspace({ seed: { contacts: 2 } })).apiKey;
    await call("POST", "/__admin/reset", small);
    expect(await total(small)).toBe(2);
  });

  it("fixtures, state and triggers act on the workspace of the key; an unknown key is 404", async () => {
    const { engine, call, newWorkspace, createContact } = setUp();
    const a = (await newWorkspace()).apiKey;
    const contact = await createContact(a, "state@example.com");

    const state = await call("GET", "/__admin/state", a);
    expect(state.body.contacts.map((c: { guid: string }) => c.guid)).toContain(contact);
    expect((await call("GET", "/__admin/state", KEY)).body.contacts).toHaveLength(SMALL_SEED.contacts);

    // Importing the workspace's state into the default one makes them alike, and leaves the workspace.
    expect((await call("PUT", "/__admin/state", undefined, state.body)).status).toBe(200);
    expect((await call("GET", `/public/v1/contact/${contact}`, KEY)).status).toBe(200);

    const added = await call("POST", "/__admin/team", a, { name: "New Agent", email: "agent@example.com" });
    expect(added.status).toBe(200);
    expect(engine.workspaces.get(a)?.store.getTeamMember(added.body.guid).name).toBe("New Agent");
    expect(() => engine.store.getTeamMember(added.body.guid)).toThrow();

    expect((await call("GET", "/__admin/fixtures", a)).body.apiKeys).toEqual([a]);
    const unknown = await call("GET", "/__admin/fixtures", "no-such-key");
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("not_found");
    // Routes that do not act on the data ignore the header.
    expect((await call("GET", "/__admin/requests", "no-such-key")).status).toBe(200);
  });
});

describe("DELETE /__admin/workspaces/{apiKey}", () => {
  it("removes a workspace: its key is 401 after, the others and the default stay; unknown or default keys 404", async () => {
    const { engine, call, newWorkspace, total } = setUp();
    const a = (await newWorkspace()).apiKey;
    const b = (await newWorkspace({ apiKey: "with/slash" })).apiKey;
    expect((await call("DELETE", `/__admin/workspaces/${a}`, undefined)).status).toBe(200);
    expect((await call("GET", "/public/v1/contact", a)).status).toBe(401);
    expect((await call("DELETE", `/__admin/workspaces/${encodeURIComponent(b)}`, undefined)).status).toBe(200);
    expect(engine.workspaces.size).toBe(0);
    expect(await total(KEY)).toBe(SMALL_SEED.contacts);
    for (const key of [a, KEY]) {
      const refused = await call("DELETE", `/__admin/workspaces/${key}`, undefined);
      expect(refused.status).toBe(404);
      expect(refused.body.code).toBe("not_found");
    }
    // The key is free again.
    expect((await newWorkspace({ apiKey: a })).apiKey).toBe(a);
  });
});

describe("engine.workspaces", () => {
  it("tells of each new workspace, so its store's changes can be followed", async () => {
    const { engine, newWorkspace, createContact } = setUp();
    const events: string[] = [];
    const stop = engine.workspaces.onCreate((workspace) =>
      workspace.store.onChange((change) => events.push(`${workspace.apiKey} ${change.event.event}`)),
    );
    const a = (await newWorkspace({ apiKey: "a" })).apiKey;
    await createContact(a, "told@example.com");
    stop();
    await newWorkspace({ apiKey: "b" });
    await createContact("b", "untold@example.com");
    expect(events).toEqual(["a contact.created"]);
    expect(engine.workspaces.size).toBe(2);
  });
});
