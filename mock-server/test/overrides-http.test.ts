/**
 * Overrides over HTTP: `startMock`'s `override()` and `scenario()`, and the admin routes any language can
 * call (`POST`, `GET` and `DELETE /__admin/overrides`, `POST /__admin/scenario`), checked against the
 * public spec with a 400 that names what is wrong. A network error over HTTP is a dropped socket.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../start-mock.ts";

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ seed: { contacts: 5, chats: 2 } });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(`${mock.origin}${path}`, {
    method,
    headers: { "x-api-key": mock.apiKey, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
}

describe("overrides over HTTP", () => {
  it("override() answers the status over the socket; the handle's remove() ends it", async () => {
    const handle = await mock.override("getWorkspace", { status: 503 });
    expect((await send("GET", "/public/v1/workspace")).status).toBe(503);
    await handle.remove();
    expect((await send("GET", "/public/v1/workspace")).status).toBe(200);
  });

  it("a function override runs in the server's process", async () => {
    await mock.override("listContacts", ({ state }) => ({
      status: 200,
      body: { data: [], page: 1, limit: 20, pages: 0, total: state.contacts.size },
    }));
    expect((await send("GET", "/public/v1/contact")).body).toMatchObject({ data: [], total: 5 });
  });

  it("networkError drops the connection: the client's fetch rejects", async () => {
    await mock.override("getWorkspace", { networkError: true, times: 1 });
    await expect(fetch(`${mock.url}/workspace`, { headers: { "x-api-key": mock.apiKey } })).rejects.toBeInstanceOf(
      TypeError,
    );
    expect((await send("GET", "/public/v1/workspace")).status).toBe(200);
  });

  it("POST /__admin/overrides adds one; GET lists it with its id and remaining answers; DELETE removes it", async () => {
    const added = await send("POST", "/__admin/overrides", { operationId: "listChats", status: 429, times: 3 });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ operationId: "listChats", remaining: 3, kind: "data" });
    await send("GET", "/public/v1/chat");

    const listed = await send("GET", "/__admin/overrides");
    expect(listed.body).toEqual({ data: [expect.objectContaining({ id: added.body.id, remaining: 2 })] });
    expect((await send("DELETE", `/__admin/overrides/${added.body.id}`)).status).toBe(200);
    expect((await send("DELETE", `/__admin/overrides/${added.body.id}`)).status).toBe(404);

    await send("POST", "/__admin/overrides", { operationId: "listChats", status: 429 });
    expect((await send("DELETE", "/__admin/overrides")).status).toBe(200);
    expect((await send("GET", "/__admin/overrides")).body).toEqual({ data: [] });
  });

  it("POST /__admin/overrides refuses with a 400 naming the fault: the operation, the status, the body's field", async () => {
    const unknown = await send("POST", "/__admin/overrides", { operationId: "getNothing", status: 404 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('"getNothing" is no operation of the public API');

    const status = await send("POST", "/__admin/overrides", { operationId: "getWorkspace", status: 404 });
    expect(status.status).toBe(400);
    expect(status.body.details).toEqual([expect.objectContaining({ field: "/status" })]);

    const body = await send("POST", "/__admin/overrides", {
      operationId: "getWorkspaceOwner",
      status: 200,
      body: { name: 5 },
    });
    expect(body.status).toBe(400);
    expect(body.body.message).toMatch(/^override for getWorkspaceOwner: status 200 body /);
    expect(body.body.details.length).toBeGreaterThan(0);
    expect((await send("GET", "/__admin/overrides")).body).toEqual({ data: [] });
  });

  it("scenario() turns one on; POST /__admin/scenario with an unknown name lists the known ones; reset() ends it", async () => {
    await mock.scenario("rate-limited");
    const limited = await send("GET", "/public/v1/contact");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).not.toBeNull();

    const unknown = await send("POST", "/__admin/scenario", { name: "nope" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain("rate-limited, outage, slow, empty, full");

    await mock.reset();
    expect((await send("GET", "/public/v1/contact")).status).toBe(200);
    expect((await send("GET", "/__admin/scenario")).body).toMatchObject({ active: null });
  });
});
