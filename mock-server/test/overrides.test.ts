/**
 * Overrides, in process (`createMockFetch`): a test makes one public operation answer what it wants, for
 * a while, on top of the state. Each kind: a status with the spec's body, a body, `times`, `when`, a
 * function, `delay` (on an injected scheduler), `networkError`, `unchecked`, `remove()` and a reset. The
 * answers are judged by the spec (the shared response validator), not by the mock's idea of them.
 */
import { describe, expect, it } from "vitest";
import type { components } from "../../generated/types.ts";
import { createResponseValidator } from "../../lib/response-validator.ts";
import { listOperations, type OperationId, publicSpec } from "../../lib/spec.ts";
import { MockAdminError } from "../admin-error.ts";
import { ManualScheduler } from "../scheduler.ts";
import type { MockFetch, MockFetchOptions } from "../transports/fetch.ts";
import { call, startFetchMock } from "./fetch-mock.ts";

type Contact = components["schemas"]["Contact"];

const start = (options: MockFetchOptions = {}): MockFetch =>
  startFetchMock({ seed: 7, contacts: 8, chats: 2, team: 2, channels: 1, bots: 0 }, options);

const operations = new Map(listOperations(publicSpec).map((op) => [op.id, op]));
const validate = createResponseValidator("strict");
/** What the spec says of an answer of `operationId`: its problems, none when the spec allows it. */
function problems(operationId: string, answer: { status: number; headers: Headers; text: string }) {
  const op = operations.get(operationId as OperationId);
  if (!op) throw new Error(`no operation ${operationId}`);
  const headers = Object.fromEntries(answer.headers);
  return validate(op, { status: answer.status, contentType: headers["content-type"], headers, text: answer.text })
    .problems;
}

const firstContact = (mock: MockFetch) => mock.store.state.contacts.values().next().value as Contact;

describe("an override of one operation", () => {
  it("answers its status with the spec's Error body, and the other operations answer as before", async () => {
    const mock = start();
    const contact = firstContact(mock);
    await mock.override("getContact", { status: 404 });

    const overridden = await call(mock, "GET", `/contact/${contact.guid}`);
    expect(overridden.status).toBe(404);
    expect(problems("getContact", overridden)).toEqual([]);
    expect((await call(mock, "GET", "/contact")).status).toBe(200);
  });

  it("answers the body given, which the spec's schema allows", async () => {
    const mock = start();
    const contact = firstContact(mock);
    const renamed = { ...contact, name: "Overridden Name" };
    await mock.override("getContact", { status: 200, body: renamed });

    const answer = await call(mock, "GET", `/contact/${contact.guid}`);
    expect(answer.body).toEqual(renamed);
    expect(problems("getContact", answer)).toEqual([]);
  });

  it("runs out by itself after `times` answers", async () => {
    const mock = start();
    await mock.override("listContacts", { status: 503, times: 2 });

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(mock, "GET", "/contact")).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(await mock.overrides()).toEqual([]);
  });

  it("answers only the requests that match `when`: query, path parameters and a body subset", async () => {
    const mock = start();
    const [a, b] = [...mock.store.state.contacts.values()] as [Contact, Contact];
    await mock.override("listContacts", { status: 429, when: { query: { limit: 5 } } });
    await mock.override("getContact", { status: 404, when: { path: { contactId: a.guid } } });
    await mock.override("createContact", { status: 409, when: { body: { name: "Taken" } } });

    expect((await call(mock, "GET", "/contact?limit=5")).status).toBe(429);
    expect((await call(mock, "GET", "/contact?limit=6")).status).toBe(200);
    expect((await call(mock, "GET", `/contact/${a.guid}`)).status).toBe(404);
    expect((await call(mock, "GET", `/contact/${b.guid}`)).status).toBe(200);
    expect((await call(mock, "POST", "/contact", { name: "Taken", email: "t@example.com" })).status).toBe(409);
    expect((await call(mock, "POST", "/contact", { name: "Free", email: "f@example.com" })).status).toBe(200);
  });

  it("answers what a function returns, given the request and the state to read", async () => {
    const mock = start();
    await mock.override("createContact", ({ request, state }) => {
      const email = (request.body as { email?: string }).email;
      const taken = [...state.contacts.values()].some((c) => c.email === email);
      return taken ? { status: 409 } : { status: 400 };
    });
    const existing = [...mock.store.state.contacts.values()].find((c) => c.email !== null) as Contact;

    const taken = await call(mock, "POST", "/contact", { name: "Again", email: existing.email });
    expect(taken.status).toBe(409);
    expect(problems("createContact", taken)).toEqual([]);
    expect((await call(mock, "POST", "/contact", { name: "New", email: "new@example.com" })).status).toBe(400);
    // The function answered; the state is as it was.
    expect([...mock.store.state.contacts.values()].some((c) => c.email === "new@example.com")).toBe(false);
  });

  it("answers 500 saying so when a function returns what the spec does not allow", async () => {
    const reported: unknown[] = [];
    const mock = start({ onError: (error) => reported.push(error) });
    await mock.override("getWorkspace", () => ({ status: 404 }) as never);

    const answer = await call(mock, "GET", "/workspace");
    expect(answer.status).toBe(500);
    expect(String(reported[0])).toContain("status 404 is not documented for getWorkspace");
  });

  it("waits `delay` on the mock's scheduler, then answers", async () => {
    const scheduler = new ManualScheduler();
    const mock = start({ scheduler });
    await mock.override("getWorkspace", { status: 200, delay: 1500 });
    await mock.override("getWorkspaceOwner", { delay: 700 });

    const answered = call(mock, "GET", "/workspace");
    expect(await scheduler.nextTimer()).toBe(1500);
    scheduler.advance(1500);
    expect((await answered).status).toBe(200);

    const owner = call(mock, "GET", "/workspace/me");
    expect(await scheduler.nextTimer()).toBe(700);
    scheduler.advance(700);
    // A delay alone: the usual answer, after it.
    const answer = await owner;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(mock.store.getWorkspaceOwner());
  });

  it("drops the connection with `networkError`: the fetch rejects with a TypeError, and nothing changes", async () => {
    const mock = start();
    const before = mock.store.state.contacts.size;
    await mock.override("createContact", { networkError: true });

    await expect(call(mock, "POST", "/contact", { name: "Lost", email: "lost@example.com" })).rejects.toBeInstanceOf(
      TypeError,
    );
    expect(mock.store.state.contacts.size).toBe(before);
  });

  it("refuses a body the spec does not allow, naming the field; `unchecked` sends it on purpose", async () => {
    const mock = start();
    const contact = firstContact(mock);
    const bad = { ...contact, email: 5 } as unknown as Contact;

    const refused = mock.override("getContact", { status: 200, body: bad });
    await expect(refused).rejects.toBeInstanceOf(MockAdminError);
    await expect(refused).rejects.toThrow("override for getContact: status 200 body /email must be string,null");

    await mock.override("getContact", { status: 200, body: bad, unchecked: true });
    expect((await call(mock, "GET", `/contact/${contact.guid}`)).body).toEqual(bad);
    await mock.override("getContact", { status: 418, unchecked: true });
    expect((await call(mock, "GET", `/contact/${contact.guid}`)).status).toBe(418);
  });

  it("refuses an operation the spec does not have and a status it does not document", async () => {
    const mock = start();
    await expect(mock.override("getNothing" as "getContact", { status: 404 })).rejects.toThrow(
      /"getNothing" is no operation of the public API/,
    );
    await expect(mock.override("getWorkspace", { status: 404 } as never)).rejects.toThrow(
      /status 404 is not documented for getWorkspace \(documented: .*429.*\)/,
    );
  });

  it("is gone after `remove()`, and every override is gone after a reset", async () => {
    const mock = start();
    const handle = await mock.override("getWorkspace", { status: 503 });
    await mock.override("listContacts", { status: 503 });
    expect((await call(mock, "GET", "/workspace")).status).toBe(503);

    await handle.remove();
    expect((await call(mock, "GET", "/workspace")).status).toBe(200);
    expect((await call(mock, "GET", "/contact")).status).toBe(503);

    await mock.fetch(`${new URL(mock.baseUrl).origin}/__admin/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    expect((await call(mock, "GET", "/contact")).status).toBe(200);
    expect(await mock.overrides()).toEqual([]);
  });

  it("answers the newest override that matches, after the API key is checked", async () => {
    const mock = start();
    await mock.override("getWorkspace", { status: 503 });
    await mock.override("getWorkspace", { status: 429, times: 1 });

    const missingKey = await mock.fetch(`${mock.baseUrl}/workspace`);
    expect(missingKey.status).toBe(401);
    const limited = await call(mock, "GET", "/workspace");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).not.toBeNull();
    expect((await call(mock, "GET", "/workspace")).status).toBe(503);
  });

  it("belongs to one workspace: another workspace's requests are answered as usual", async () => {
    const mock = start();
    const origin = new URL(mock.baseUrl).origin;
    const made = await mock.fetch(`${origin}/__admin/workspaces`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const { apiKey } = (await made.json()) as { apiKey: string };
    await mock.override("getWorkspace", { status: 503 });

    expect((await call(mock, "GET", "/workspace")).status).toBe(503);
    const other = await mock.fetch(`${mock.baseUrl}/workspace`, { headers: { "x-api-key": apiKey } });
    expect(other.status).toBe(200);
  });
});
