/**
 * The `MockControl` (control.ts) means the same on every transport: one table of operations, run over the
 * HTTP mock (`startMock`), the in-process fetch (`createMockFetch`), the MSW handlers (`createHandlers`) and
 * a mock in another process reached by its URL (`connectMock`). Each case gets a fresh mock with small
 * seeded data, its control, and a typed client that reaches it the way that transport does.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type ConverseIQClient, createClient } from "../../client/index.ts";
import { connectMock, MockAdminError, type MockControl } from "../control.ts";
import { startMock } from "../start-mock.ts";
import { createMockFetch } from "../transports/fetch.ts";
import { createHandlers } from "../transports/msw.ts";

const SEED = { seed: 7, contacts: 5, chats: 2 };

interface Subject {
  control: MockControl;
  client: ConverseIQClient;
  close(): Promise<void>;
}

const transports: [string, () => Promise<Subject>][] = [
  [
    "startMock (over HTTP)",
    async () => {
      const mock = await startMock({ seed: SEED });
      return { control: mock, client: mock.client, close: mock.close };
    },
  ],
  [
    "createMockFetch (in process)",
    async () => {
      const mock = createMockFetch({ seed: SEED });
      return { control: mock, client: createClient({ apiKey: mock.apiKey, fetch: mock.fetch }), close: mock.close };
    },
  ],
  [
    "createHandlers (MSW)",
    async () => {
      const mock = createHandlers({ seed: SEED });
      return { control: mock, client: createClient({ apiKey: mock.apiKey, fetch: mock.fetch }), close: mock.close };
    },
  ],
  [
    "connectMock (a mock in another process, by its URL)",
    async () => {
      const mock = await startMock({ seed: SEED, adminToken: "t0ken" });
      return { control: connectMock(mock.url, { adminToken: "t0ken" }), client: mock.client, close: mock.close };
    },
  ],
];

let opened: Subject | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

const contactCount = async (control: MockControl) => (await control.snapshot()).contacts.length;

describe.each(transports)("the control of %s", (_, open) => {
  const start = async () => {
    opened = await open();
    return opened;
  };
  const create = async (client: ConverseIQClient, name: string) => {
    const { data } = await client.POST("/contact", { body: { name } });
    if (!data) throw new Error("the contact was not created");
    return data;
  };

  it("reset brings back the seeded data and empties the journal and the events", async () => {
    const { control, client } = await start();
    await create(client, "Gone Soon");
    expect(await contactCount(control)).toBe(6);
    const fixtures = await control.reset();
    expect(fixtures.apiKeys).toEqual(["mock-api-key"]);
    expect((await control.journal()).entries).toEqual([]);
    expect(await control.events()).toEqual([]);
    expect(await contactCount(control)).toBe(5);
  });

  it("restore puts back what snapshot took", async () => {
    const { control, client } = await start();
    const before = await control.snapshot();
    await create(client, "Not For Long");
    await control.restore(before);
    expect(await control.snapshot()).toEqual(before);
  });

  it("journal, events and coverage tell what the client did", async () => {
    const { control, client } = await start();
    const made = await create(client, "Ev Ent");
    const journal = await control.journal();
    expect(journal.entries.find((entry) => entry.operationId === "createContact")).toMatchObject({
      method: "POST",
      status: 200,
    });
    const events = await control.events();
    expect(events.map((event) => event.event)).toEqual(["contact.created"]);
    expect(events[0]?.data).toMatchObject({ guid: made.guid });
    const create200 = (await control.coverage()).operations
      .find((operation) => operation.operationId === "createContact")
      ?.statuses.find((status) => status.status === 200);
    expect(create200?.count).toBe(1);
  });

  it("workspace gives a workspace of its own, whose writes the default one never sees", async () => {
    const { control } = await start();
    const workspace = await control.workspace();
    await create(workspace.client, "Elsewhere");
    expect((await workspace.snapshot()).contacts).toHaveLength(6);
    expect((await workspace.events()).map((event) => event.event)).toEqual(["contact.created"]);
    expect(await contactCount(control)).toBe(5);
    expect(await control.events()).toEqual([]);
    await workspace.reset();
    expect((await workspace.snapshot()).contacts).toHaveLength(5);
    expect(await workspace.events()).toEqual([]);
  });

  it("clock.set stamps new records with that time, advance moves it on, real releases it", async () => {
    const { control, client } = await start();
    expect(await control.clock.set(new Date("2030-01-02T03:04:05Z"))).toEqual({
      now: "2030-01-02T03:04:05.000Z",
      frozen: true,
    });
    expect((await create(client, "Time Stamped")).created_at).toBe("2030-01-02T03:04:05.000Z");
    expect((await control.clock.advance(60_000)).now).toBe("2030-01-02T03:05:05.000Z");
    expect(await control.clock.now()).toEqual({ now: "2030-01-02T03:05:05.000Z", frozen: true });
    expect((await control.clock.real()).frozen).toBe(false);
  });

  it("throws a MockAdminError naming the method when the mock refuses", async () => {
    const { control } = await start();
    const refused = control.reset({ contacts: -1 });
    await expect(refused).rejects.toBeInstanceOf(MockAdminError);
    await expect(refused).rejects.toThrow(/^reset: the mock answered 400: /);
    await expect(control.clock.advance(-5)).rejects.toThrow(/^clock\.advance: the mock answered 400/);
  });
});
