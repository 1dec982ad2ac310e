/**
 * How the mock delivers webhooks to a real receiver: retries with backoff after a failure or a non-2xx,
 * giving up (logged) after the last attempt; order kept per object, even through retries; a bounded
 * queue whose drops are counted; and none of it touching the request that caused the event: its answer,
 * its time, or the state.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { components } from "../../generated/admin-types.ts";
import type { MockServer } from "../app.ts";
import { PUBLIC_PREFIX } from "../options.ts";
import type { Contact } from "../store/types.ts";
import { API_KEY, call, fixtureOf } from "./helpers.ts";
import { adminCall, mockSendingTo, type Receiver, type Reply, settle, startReceiver } from "./webhooks-support.ts";

type Deliveries = components["schemas"]["WebhookDeliveries"];

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function setUp(
  reply: (n: number, body: Receiver["received"][number]["body"]) => Reply,
  options: Parameters<typeof mockSendingTo>[1] = {},
): Promise<{ receiver: Receiver; app: MockServer }> {
  const receiver = await startReceiver(reply);
  opened.push(receiver);
  const app = await mockSendingTo(receiver.url, options);
  opened.push(app);
  return { receiver, app };
}

const createContact = async (app: MockServer, name = "Nora New") => {
  const answer = await call<Contact>(app, { method: "POST", path: "/contact", json: { name } });
  expect(answer.status).toBe(200);
  return answer.body;
};

const deliveries = async (app: MockServer) =>
  (await adminCall<Deliveries>(app, "GET", "/__admin/webhooks/deliveries")).body;

/** Waits until no delivery is pending. */
async function allSettled(app: MockServer, timeoutMs = 3000): Promise<Deliveries> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const log = await deliveries(app);
    if (log.queued === 0 && log.data.every((d) => d.outcome !== "pending")) return log;
    if (performance.now() > deadline) throw new Error(`deliveries still pending: ${JSON.stringify(log)}`);
    await settle(10);
  }
}

describe("delivery", () => {
  it("retries a receiver that fails, with growing waits, until it answers 2xx; the body stays the same", async () => {
    const answers: Reply[] = [500, 503, "reset", 204];
    const { receiver, app } = await setUp((n) => answers[n - 1] ?? 200, { backoffMs: 20 });
    await createContact(app);
    const received = await receiver.waitFor(4);
    const log = await allSettled(app);

    expect(new Set(received.map((r) => r.text)).size).toBe(1);
    const gaps = received.slice(1).map((r, i) => r.at - (received[i]?.at ?? 0));
    // 20, 40, 80 ms (less what the attempts themselves took).
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(35);
    expect(gaps[2]).toBeGreaterThanOrEqual(75);
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({
      event: "contact.created",
      attempts: 4,
      status: 204,
      error: null,
      outcome: "delivered",
    });
    expect(log.data[0]?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(log.data[0]?.eventId).toBe(received[0]?.body.id);
    expect(log).toMatchObject({ delivered: 1, failed: 0, dropped: 0, queued: 0 });
  });

  it("gives up after the last attempt, and logs it as failed with the last status", async () => {
    const { receiver, app } = await setUp(() => 500, { attempts: 3 });
    await createContact(app);
    await receiver.waitFor(3);
    const log = await allSettled(app);
    await settle(100);

    expect(receiver.received).toHaveLength(3);
    expect(log.data[0]).toMatchObject({
      event: "contact.created",
      url: receiver.url,
      attempts: 3,
      status: 500,
      error: "answered 500, not a 2xx",
      outcome: "failed",
    });
    expect(log.data[0]?.finishedAt).not.toBeNull();
    expect(log).toMatchObject({ delivered: 0, failed: 1, dropped: 0 });
  });

  it("counts a receiver that does not answer in time as a failure", async () => {
    const { receiver, app } = await setUp(() => "hang", { attempts: 2, timeoutMs: 100 });
    await createContact(app);
    const log = await allSettled(app);

    expect(receiver.received).toHaveLength(2);
    expect(log.data[0]).toMatchObject({
      attempts: 2,
      status: null,
      error: "no answer within 100 ms",
      outcome: "failed",
    });
    expect(log.data[0]?.latencyMs).toBeGreaterThanOrEqual(90);
  });

  it("counts a refused connection as a failure, saying so", async () => {
    const gone = await startReceiver();
    await gone.close();
    const app = await mockSendingTo(gone.url, { attempts: 2 });
    opened.push(app);
    await createContact(app);
    const log = await allSettled(app);
    expect(log.data[0]).toMatchObject({ attempts: 2, status: null, outcome: "failed" });
    expect(log.data[0]?.error).toMatch(/ECONNREFUSED/);
  });

  it("does not follow a redirect: a 3xx is not a 2xx", async () => {
    const { app } = await setUp(() => 302, { attempts: 1 });
    await createContact(app);
    expect((await allSettled(app)).data[0]).toMatchObject({ status: 302, outcome: "failed" });
  });
});

describe("the request that caused an event", () => {
  it("is answered at once while the receiver hangs, over real HTTP, with the same answer as without webhooks", async () => {
    const { receiver, app } = await setUp(() => "hang", { timeoutMs: 10_000 });
    const quiet = await mockSendingTo([], {});
    opened.push(quiet);
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as { port: number };
    const post = () =>
      fetch(`http://127.0.0.1:${port}${PUBLIC_PREFIX}/contact`, {
        method: "POST",
        headers: { "x-api-key": API_KEY, "content-type": "application/json" },
        body: JSON.stringify({ name: "Nora New", email: "nora@example.com" }),
      });

    const times: number[] = [];
    let first: unknown;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const response = await (i === 0
        ? post()
        : fetch(`http://127.0.0.1:${port}${PUBLIC_PREFIX}/workspace`, { headers: { "x-api-key": API_KEY } }));
      times.push(performance.now() - started);
      expect(response.status).toBe(200);
      const body = await response.json();
      first ??= body;
    }
    await receiver.waitFor(1);
    // Another change while the first delivery still hangs.
    const started = performance.now();
    const second = await fetch(`http://127.0.0.1:${port}${PUBLIC_PREFIX}/contact`, {
      method: "POST",
      headers: { "x-api-key": API_KEY, "content-type": "application/json" },
      body: JSON.stringify({ name: "Second" }),
    });
    times.push(performance.now() - started);
    expect(second.status).toBe(200);

    // Far below the 10 s the hanging receiver would cost if the request waited for it.
    for (const ms of times) expect(ms).toBeLessThan(1000);
    const log = await deliveries(app);
    expect(log.data.map((d) => d.outcome)).toEqual(["pending", "pending"]);
    // The same answer as a mock without subscriptions gives (both have the same seed, clock and ids).
    const without = await call<Contact>(quiet, {
      method: "POST",
      path: "/contact",
      json: { name: "Nora New", email: "nora@example.com" },
    });
    expect(without.body).toEqual(first);
  });

  it("leaves the state as the request made it when the delivery fails", async () => {
    const { app } = await setUp(() => 500, { attempts: 2 });
    const contact = await createContact(app);
    const before = JSON.stringify(app.store.snapshot());
    const log = await allSettled(app);
    expect(log.failed).toBe(1);
    expect(JSON.stringify(app.store.snapshot())).toBe(before);
    const read = await call<Contact>(app, { path: `/contact/${contact.guid}` });
    expect(read.body).toEqual(contact);
  });
});

describe("order", () => {
  it("is kept per object, through retries, while other objects' events go on", async () => {
    // Every event's first attempt fails; the second succeeds.
    const seen = new Set<string>();
    const { receiver, app } = await setUp(
      (_, body) => {
        if (seen.has(body.id)) return 200;
        seen.add(body.id);
        return 500;
      },
      { backoffMs: 30 },
    );
    const f = fixtureOf(app);
    for (const phone of ["1", "2", "3", "4"]) {
      await call(app, { method: "PUT", path: `/contact/${f.contact.guid}`, json: { phone } });
    }
    const other = await createContact(app, "Other");
    await allSettled(app);

    const delivered = receiver.received.filter(
      (r, i) => receiver.received.findIndex((x) => x.body.id === r.body.id) !== i,
    );
    const phones = delivered
      .filter((r) => r.body.data.guid === f.contact.guid)
      .map((r) => ("contact" in r.body.data ? r.body.data.contact.phone : null));
    expect(phones).toEqual(["1", "2", "3", "4"]);
    // The other contact's event did not wait for the four before it (they are another object's).
    const otherAt = delivered.findIndex((r) => r.body.data.guid === other.guid);
    expect(otherAt).toBeLessThan(delivered.length - 1);
  });
});

describe("the queue", () => {
  it("drops deliveries beyond its capacity, and logs and counts each one", async () => {
    const { receiver, app } = await setUp(() => "hang", { queueCapacity: 2, timeoutMs: 10_000 });
    for (let i = 0; i < 5; i++) await createContact(app, `Contact ${i}`);
    await receiver.waitFor(2);
    const log = await deliveries(app);

    expect(log).toMatchObject({ queued: 2, queueCapacity: 2, dropped: 3 });
    expect(log.data.map((d) => d.outcome)).toEqual(["pending", "pending", "dropped", "dropped", "dropped"]);
    expect(log.data[2]?.error).toMatch(/dropped: 2 deliveries were already queued/);
  });

  it("keeps the most recent deliveries in its log, and counts them all", async () => {
    const { receiver, app } = await setUp(() => 200, { logCapacity: 3 });
    for (let i = 0; i < 5; i++) await createContact(app, `Contact ${i}`);
    await receiver.waitFor(5);
    const log = await allSettled(app);
    expect(log.data).toHaveLength(3);
    expect(log).toMatchObject({ capacity: 3, delivered: 5 });
    // The last three queued (contacts 2 to 4: they may arrive in any order, being three objects).
    const lastThree = receiver.received.filter(
      (r) =>
        "contact" in r.body.data &&
        r.body.data.contact.name !== "Contact 0" &&
        r.body.data.contact.name !== "Contact 1",
    );
    expect(log.data.map((d) => d.eventId).sort()).toEqual(lastThree.map((r) => r.body.id).sort());
  });
});

describe("closing the mock", () => {
  it("does not wait for a hanging receiver, and stops retrying", async () => {
    const receiver = await startReceiver(() => "hang");
    opened.push(receiver);
    const app = await mockSendingTo(receiver.url, { timeoutMs: 10_000 });
    await createContact(app);
    await receiver.waitFor(1);
    const started = performance.now();
    await app.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(app.webhooks.deliveries().data[0]).toMatchObject({ outcome: "cancelled" });
  });

  it("cancels the retries it was waiting to make", async () => {
    const receiver = await startReceiver(() => 500);
    opened.push(receiver);
    const app = await mockSendingTo(receiver.url, { backoffMs: 200 });
    await createContact(app);
    await receiver.waitFor(1);
    await app.close();
    await settle(400);
    expect(receiver.received).toHaveLength(1);
  });
});

describe("unsubscribing", () => {
  it("cancels the subscription's deliveries not made yet", async () => {
    const { receiver, app } = await setUp(() => 500, { backoffMs: 100 });
    await createContact(app);
    await receiver.waitFor(1);
    const [subscription] = (await adminCall<{ data: { id: string }[] }>(app, "GET", "/__admin/webhooks")).body.data;
    await adminCall(app, "DELETE", `/__admin/webhooks/${subscription?.id}`);
    const log = await allSettled(app);
    await settle(200);
    expect(receiver.received).toHaveLength(1);
    expect(log.data[0]).toMatchObject({ attempts: 1, outcome: "cancelled" });
  });
});
