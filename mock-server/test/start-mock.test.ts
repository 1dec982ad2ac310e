import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../start-mock.ts";

const SMALL = { seed: { seed: 7, contacts: 5, chats: 2 } };

describe("startMock", () => {
  let mock: RunningMock | undefined;
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  it("listens on a free port of 127.0.0.1 and answers through its client", async () => {
    mock = await startMock(SMALL);
    expect(mock.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.url).toBe(`${mock.origin}/public/v1`);
    expect(mock.apiKey).toBe("mock-api-key");
    const { data, error } = await mock.client.GET("/contact", { params: { query: { limit: 10 } } });
    expect(error).toBeUndefined();
    expect(data?.data).toHaveLength(5);
  });

  it("takes the CLI's options: its first key is the one the client sends", async () => {
    mock = await startMock({ ...SMALL, apiKeys: ["k1", "k2"] });
    expect(mock.apiKey).toBe("k1");
    expect((await mock.client.GET("/workspace")).response.status).toBe(200);
    const other = await fetch(`${mock.url}/workspace`, { headers: { "x-api-key": "mock-api-key" } });
    expect(other.status).toBe(401);
  });

  it("two mocks run side by side on ports of their own", async () => {
    mock = await startMock(SMALL);
    await using second = await startMock(SMALL);
    expect(second.origin).not.toBe(mock.origin);
    await mock.client.POST("/contact", { body: { name: "Only here", email: "only@example.com" } });
    const counts = await Promise.all(
      [mock, second].map(
        async (m) => (await m.client.GET("/contact", { params: { query: { limit: 10 } } })).data?.data,
      ),
    );
    expect(counts.map((list) => list?.length)).toEqual([6, 5]);
  });

  it("reset() brings back the seeded data after a create, and empties the journal and the events", async () => {
    mock = await startMock(SMALL);
    const before = await mock.snapshot();
    await mock.client.POST("/contact", { body: { name: "New", email: "new@example.com" } });
    expect((await mock.snapshot()).contacts).toHaveLength(6);
    const fixtures = await mock.reset();
    expect(fixtures.apiKeys).toEqual(["mock-api-key"]);
    expect((await mock.journal()).entries).toEqual([]);
    expect(await mock.events()).toEqual([]);
    expect(await mock.snapshot()).toEqual(before);
  });

  it("reset(sizes) seeds other sizes; a size out of range is refused with the admin API's message", async () => {
    mock = await startMock(SMALL);
    await mock.reset({ contacts: 2 });
    expect((await mock.snapshot()).contacts).toHaveLength(2);
    await expect(mock.reset({ contacts: -1 })).rejects.toThrow(/reset: the mock answered 400: .+/);
  });

  it("snapshot() and restore() round-trip the state", async () => {
    mock = await startMock(SMALL);
    const saved = await mock.snapshot();
    await mock.client.POST("/contact", { body: { name: "Later", email: "later@example.com" } });
    await mock.restore(saved);
    expect(await mock.snapshot()).toEqual(saved);
    const broken = { ...saved, contacts: [...saved.contacts, ...saved.contacts] };
    await expect(mock.restore(broken)).rejects.toThrow(/restore: the mock answered 400/);
    expect(await mock.snapshot()).toEqual(saved);
  });

  it("journal() lists the public requests made, oldest first, with the bodies answered", async () => {
    mock = await startMock(SMALL);
    const workspace = await mock.client.GET("/workspace");
    await mock.client.GET("/contact");
    const journal = await mock.journal();
    expect(journal.entries.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      "GET /workspace 200",
      "GET /contact 200",
    ]);
    expect(journal.entries[0]?.responseBody).toEqual(workspace.data);
  });

  it("close() writes the journal file to journalOut, as journal() gives it", async () => {
    const folder = await mkdtemp(join(tmpdir(), "start-mock-journal-"));
    try {
      const file = join(folder, "journal.json");
      mock = await startMock({ ...SMALL, journalOut: file });
      await mock.client.GET("/workspace");
      const journal = await mock.journal();
      await mock.close();
      expect(JSON.parse(await readFile(file, "utf8"))).toEqual(journal);
      await expect(startMock({ journalOut: join(folder, "none", "journal.json") })).rejects.toThrow(/does not exist/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("coverage() counts the statuses answered and names those never met; reset() leaves it", async () => {
    mock = await startMock(SMALL);
    await mock.client.GET("/contact/{contactId}", {
      params: { path: { contactId: "00000000-0000-4000-8000-000000000000" } },
    });
    await mock.reset();
    const coverage = await mock.coverage();
    const getContact = coverage.operations.find((op) => op.method === "GET" && op.path === "/contact/{contactId}");
    expect(getContact?.statuses.find((s) => s.status === 404)?.count).toBe(1);
    expect(getContact?.missing).toContain(200);
    expect(coverage.covered).toBeGreaterThan(0);
    expect(coverage.covered).toBeLessThan(coverage.total);
  });

  it("workspace() gives a key of its own: its writes stay in it, and its reset() resets it alone", async () => {
    mock = await startMock(SMALL);
    const a = await mock.workspace();
    const b = await mock.workspace({ apiKey: "ws-b", seed: { contacts: 2 } });
    expect(b.apiKey).toBe("ws-b");
    expect(a.apiKey).not.toBe(mock.apiKey);
    expect((await a.client.GET("/workspace")).data?.guid).toBe(a.workspace.guid);
    await a.client.POST("/contact", { body: { name: "In A", email: "a@example.com" } });
    await mock.client.POST("/contact", { body: { name: "In default", email: "d@example.com" } });
    const sizes = async () =>
      Promise.all([mock as RunningMock, a, b].map(async (m) => (await m.snapshot()).contacts.length));
    expect(await sizes()).toEqual([6, 6, 2]);
    await a.reset();
    expect(await sizes()).toEqual([6, 5, 2]);
    await mock.reset();
    expect(await sizes()).toEqual([5, 5, 2]);
    await expect(mock.workspace({ apiKey: "ws-b" })).rejects.toThrow(/workspace: the mock answered 400/);
  });

  it("events() lists contact.created after a create, and onEvent is told it", async () => {
    const told: string[] = [];
    mock = await startMock({ ...SMALL, onEvent: (event) => told.push(event.event) });
    const { data } = await mock.client.POST("/contact", { body: { name: "Ev", email: "ev@example.com" } });
    const events = await mock.events();
    expect(events.map((event) => event.event)).toEqual(["contact.created"]);
    expect(events[0]?.data).toMatchObject({ guid: data?.guid });
    expect(told).toEqual(["contact.created"]);
  });

  it("sends the admin token when the mock has one", async () => {
    mock = await startMock({ ...SMALL, adminToken: "secret" });
    expect((await mock.snapshot()).contacts).toHaveLength(5);
    const without = await fetch(`${mock.origin}/__admin/state`);
    expect(without.status).toBe(401);
  });

  it("close() frees the port: a request afterwards fails, and a second close() is harmless", async () => {
    const closed = await startMock(SMALL);
    await closed.client.GET("/workspace");
    await closed.close();
    await closed.close();
    await expect(fetch(`${closed.url}/workspace`)).rejects.toThrow();
  });

  it("await using closes it at the end of the block", async () => {
    let url: string;
    {
      await using scoped = await startMock(SMALL);
      url = scoped.url;
      expect((await scoped.client.GET("/workspace")).response.status).toBe(200);
    }
    await expect(fetch(`${url}/workspace`)).rejects.toThrow();
  });
});
