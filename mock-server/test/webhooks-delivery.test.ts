/**
 * How the mock delivers webhooks to a real receiver: retries with backoff after a failure or a non-2xx,
 * giving up (logged) after the last attempt; order kept per object, even through retries; a bounded
 * queue whose drops are counted; and none of it touching the request that caused the event: its answer,
 * its time, or the state.
 *
 * Each mock here waits on a manual scheduler: a test moves time itself (a retry's backoff, a POST's timeout)
 * and reads the waits on that clock, so no test sleeps or measures the machine's speed. The network is
 * real; a test waits for its events (a POST arriving, the POSTs under way answered).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { components } from "../../generated/admin-types.ts";
import type { MockServer } from "../app.ts";
import { PUBLIC_PREFIX } from "../mock-options.ts";
import { ManualScheduler } from "../scheduler.ts";
import type { Contact } from "../store/types.ts";
import { API_KEY, call, fixtureOf } from "./helpers.ts";
import { adminCall, deliverAll, mockSendingTo, type Receiver, type Reply, startReceiver } from "./webhooks-support.ts";

type Deliveries = components["schemas"]["WebhookDeliveries"];

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

/** A receiver answering as `reply` says, and a mock sending to it on a manual scheduler. */
async function setUp(
  reply: (n: number, body: Receiver["received"][number]["body"]) => Reply,
  options: Parameters<typeof mockSendingTo>[1] = {},
): Promise<{ receiver: Receiver; app: MockServer; scheduler: ManualScheduler }> {
  const scheduler = new ManualScheduler();
  // The receiver stamps each POST with the mock's time, so the waits between them can be read exactly.
  const receiver = await startReceiver(reply, () => scheduler.now());
  opened.push(receiver);
  const app = await mockSendingTo(receiver.url, options, scheduler);
  opened.push(app);
  return { receiver, app, scheduler };
}

const createContact = async (app: MockServer, name = "Nora New") => {
  const answer = await call<Contact>(app, { method: "POST", path: "/contact", json: { name } });
  expect(answer.status).toBe(200);
  return answer.body;
};

const deliveries = async (app: MockServer) =>
  (await adminCall<Deliveries>(app, "GET", "/__admin/webhooks/deliveries")).body;

/** Runs every delivery to its end (see deliverAll), then reads the log. */
async function runDeliveries(app: MockServer, scheduler: ManualScheduler): Promise<Deliveries> {
  await deliverAll(app, scheduler);
  const log = await deliveries(app);
  expect(log.queued).toBe(0);
  return log;
}

describe("delivery", () => {
  it("retries a receiver that fails, with growing waits, until it answers 2xx; the body stays the same", async () => {
    const answers: Reply[] = [500, 503, "reset", 204];
    const { receiver, app, scheduler } = await setUp((n) => answers[n - 1] ?? 200, { backoffMs: 20 });
    await createContact(app);
    const log = await runDeliveries(app, scheduler);
    const { received } = receiver;

    expect(received).toHaveLength(4);
    expect(new Set(received.map((r) => r.text)).size).toBe(1);
    // On the mock's clock: sent at once, then 20, 40 and 80 ms after each failure.
    expect(received.map((r) => r.at)).toEqual([0, 20, 60, 140]);
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({
      event: "contact.created",
      attempts: 4,
      status: 204,
      error: null,
      outcome: "delivered",
    });
    // Timed on the mock's clock, which did not move while the receiver answered.
    expect(log.data[0]?.latencyMs).toBe(0);
    expect(log.data[0]?.eventId).toBe(received[0]?.body.id);
    expect(log).toMatchObject({ delivered: 1, failed: 0, dropped: 0, queued: 0 });
  });

  it("gives up after the last attempt, and logs it as failed with the last status", async () => {
    const { receiver, app, scheduler } = await setUp(() => 500, { attempts: 3 });
    await createContact(app);
    const log = await runDeliveries(app, scheduler);

    expect(receiver.received).toHaveLength(3);
    // Nothing is left to wait for: no fourth attempt can come.
    expect(scheduler.pending).toBe(0);
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
    const { receiver, app, scheduler } = await setUp(() => "hang", { attempts: 2, timeoutMs: 100, backoffMs: 10 });
    await createContact(app);
    scheduler.advance(0);
    await receiver.waitFor(1);
    // The POST hangs until its timeout fires: 99 ms is not yet enough.
    scheduler.advance(99);
    expect((await deliveries(app)).data[0]).toMatchObject({ attempts: 1, outcome: "pending", error: null });
    scheduler.advance(1);
    await app.webhooks.settled();
    // The backoff, then the second attempt, which hangs as well.
    scheduler.advance(10);
    await receiver.waitFor(2);
    scheduler.advance(100);
    await app.webhooks.idle();
    const log = await deliveries(app);

    expect(receiver.received).toHaveLength(2);
    expect(log.data[0]).toMatchObject({
      attempts: 2,
      status: null,
      error: "no answer within 100 ms",
      outcome: "failed",
      latencyMs: 100,
    });
  });

  it("counts a refused connection as a failure, saying so", async () => {
    const scheduler = new ManualScheduler();
    // Nothing can listen on port 0, so no other process can be there to answer (as a port just freed could).
    const app = await mockSendingTo("http://127.0.0.1:0/hook", { attempts: 2 }, scheduler);
    opened.push(app);
    await createContact(app);
    const log = await runDeliveries(app, scheduler);
    expect(log.data[0]).toMatchObject({ attempts: 2, status: null, outcome: "failed" });
    expect(log.data[0]?.error).toMatch(/ECONNREFUSED/);
  });

  it("does not follow a redirect: a 3xx is not a 2xx", async () => {
    const { app, scheduler } = await setUp(() => 302, { attempts: 1 });
    await createContact(app);
    expect((await runDeliveries(app, scheduler)).data[0]).toMatchObject({ status: 302, outcome: "failed" });
  });
});

describe("the request that caused an event", () => {
  it("is answered while the receiver hangs, over real HTTP, with the same answer as without webhooks", async () => {
    // On the manual scheduler the POST's timeout never fires: the receiver holds it for as long as the test runs.
    const { receiver, app, scheduler } = await setUp(() => "hang", { timeoutMs: 10_000 });
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

    let first: unknown;
    for (let i = 0; i < 3; i++) {
      const response = await (i === 0
        ? post()
        : fetch(`http://127.0.0.1:${port}${PUBLIC_PREFIX}/workspace`, { headers: { "x-api-key": API_KEY } }));
      expect(response.status).toBe(200);
      const body = await response.json();
      first ??= body;
    }
    // Answered before the delivery even started: it starts on a later turn, which the scheduler holds.
    expect((await deliveries(app)).data[0]).toMatchObject({ attempts: 0, outcome: "pending" });
    scheduler.advance(0);
    await receiver.waitFor(1);
    // Another change while the first delivery hangs, and will hang for as long as the test runs.
    const second = await fetch(`http://127.0.0.1:${port}${PUBLIC_PREFIX}/contact`, {
      method: "POST",
      headers: { "x-api-key": API_KEY, "content-type": "application/json" },
      body: JSON.stringify({ name: "Second" }),
    });
    expect(second.status).toBe(200);

    const log = await deliveries(app);
    expect(log.data.map((d) => [d.attempts, d.outcome])).toEqual([
      [1, "pending"],
      [0, "pending"],
    ]);
    // The same answer as a mock without subscriptions gives (both have the same seed, clock and ids).
    const without = await call<Contact>(quiet, {
      method: "POST",
      path: "/contact",
      json: { name: "Nora New", email: "nora@example.com" },
    });
    expect(without.body).toEqual(first);
  });

  it("leaves the state as the request made it when the delivery fails", async () => {
    const { app, scheduler } = await setUp(() => 500, { attempts: 2 });
    const contact = await createContact(app);
    const before = JSON.stringify(app.store.snapshot());
    const log = await runDeliveries(app, scheduler);
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
    const { receiver, app, scheduler } = await setUp(
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
    await runDeliveries(app, scheduler);

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
    const { receiver, app, scheduler } = await setUp(() => "hang", { queueCapacity: 2, timeoutMs: 10_000 });
    for (let i = 0; i < 5; i++) await createContact(app, `Contact ${i}`);
    scheduler.advance(0);
    await receiver.waitFor(2);
    const log = await deliveries(app);

    expect(log).toMatchObject({ queued: 2, queueCapacity: 2, dropped: 3 });
    expect(log.data.map((d) => d.outcome)).toEqual(["pending", "pending", "dropped", "dropped", "dropped"]);
    expect(log.data[2]?.error).toMatch(/dropped: 2 deliveries were already queued/);
  });

  it("keeps the most recent deliveries in its log, and counts them all", async () => {
    const { receiver, app, scheduler } = await setUp(() => 200, { logCapacity: 3 });
    for (let i = 0; i < 5; i++) await createContact(app, `Contact ${i}`);
    const log = await runDeliveries(app, scheduler);
    expect(receiver.received).toHaveLength(5);
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
  it("does not wait for a hanging receiver: the POST under way is aborted", async () => {
    const { receiver, app, scheduler } = await setUp(() => "hang", { timeoutMs: 10_000 });
    await createContact(app);
    scheduler.advance(0);
    await receiver.waitFor(1);
    // The timeout cannot fire (time stands still) and the receiver never answers: only closing ends the POST.
    await app.close();
    expect(app.webhooks.deliveries().data[0]).toMatchObject({ outcome: "cancelled" });
    expect(scheduler.pending).toBe(0);
  });

  it("cancels the retries it was waiting to make", async () => {
    const { receiver, app, scheduler } = await setUp(() => 500, { backoffMs: 200 });
    await createContact(app);
    scheduler.advance(0);
    await receiver.waitFor(1);
    await app.webhooks.settled();
    expect(scheduler.pending).toBe(1);
    await app.close();
    // The retry's timer is gone: however far time moves, nothing is sent.
    expect(scheduler.pending).toBe(0);
    scheduler.advance(10_000);
    expect(receiver.received).toHaveLength(1);
    expect(app.webhooks.deliveries().data[0]).toMatchObject({ attempts: 1, outcome: "cancelled" });
  });
});

describe("unsubscribing", () => {
  it("cancels the subscription's deliveries not made yet", async () => {
    const { receiver, app, scheduler } = await setUp(() => 500, { backoffMs: 100 });
    await createContact(app);
    scheduler.advance(0);
    await receiver.waitFor(1);
    await app.webhooks.settled();
    const [subscription] = (await adminCall<{ data: { id: string }[] }>(app, "GET", "/__admin/webhooks")).body.data;
    await adminCall(app, "DELETE", `/__admin/webhooks/${subscription?.id}`);
    const log = await runDeliveries(app, scheduler);
    expect(receiver.received).toHaveLength(1);
    expect(scheduler.pending).toBe(0);
    expect(log.data[0]).toMatchObject({ attempts: 1, outcome: "cancelled" });
  });
});
