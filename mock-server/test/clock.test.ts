/**
 * The mock's movable clock (clock.ts), through `/__admin/clock`: set, the mock stands still at that time
 * and stamps new records with it; advanced, it passes a rate-limit window or runs a webhook's retries at
 * once, with no test waiting for real time to pass; released, it is the runtime's time again. And the clock
 * alone: timers in order, each awaited, those they set included.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { components } from "../../generated/admin-types.ts";
import { buildMockServer, type MockServer } from "../app.ts";
import { Clock } from "../clock.ts";
import type { Contact } from "../store/types.ts";
import { API_KEY, call } from "./helpers.ts";
import { SMALL_SEED } from "./store-fixtures.ts";
import { adminCall, startReceiver } from "./webhooks-support.ts";

type ClockState = components["schemas"]["ClockState"];
type Deliveries = components["schemas"]["WebhookDeliveries"];

const SET = "2030-05-01T09:00:00.000Z";

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function mock(options: Parameters<typeof buildMockServer>[0] = {}): Promise<MockServer> {
  const app = await buildMockServer({ apiKeys: [API_KEY], seed: SMALL_SEED, ...options });
  opened.push(app);
  return app;
}

const moveClock = async (app: MockServer, body: object) =>
  (await adminCall<ClockState>(app, "POST", "/__admin/clock", body)).body;

const createContact = async (app: MockServer, name: string) =>
  (await call<Contact>(app, { method: "POST", path: "/contact", json: { name } })).body;

describe("the mock's clock over /__admin/clock", () => {
  it("stamps new contacts with the time it was set to, and stands still there until advanced", async () => {
    const app = await mock();
    expect(await moveClock(app, { set: SET })).toEqual({ now: SET, frozen: true });

    const first = await createContact(app, "Ada Early");
    const second = await createContact(app, "Bea Early");
    expect([first.created_at, first.updated_at, second.created_at]).toEqual([SET, SET, SET]);

    expect(await moveClock(app, { advance: 90_000 })).toEqual({ now: "2030-05-01T09:01:30.000Z", frozen: true });
    expect((await createContact(app, "Cy Later")).created_at).toBe("2030-05-01T09:01:30.000Z");
    expect((await adminCall<ClockState>(app, "GET", "/__admin/clock")).body.now).toBe("2030-05-01T09:01:30.000Z");
  });

  it("passes a rate-limit window when advanced, with Retry-After read from it", async () => {
    const app = await mock({ rateLimit: { limit: 1, windowMs: 60_000 } });
    await moveClock(app, { set: SET });
    const list = () => call(app, { method: "GET", path: "/contact" });

    expect((await list()).status).toBe(200);
    const limited = await list();
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("60");

    await moveClock(app, { advance: 59_000 });
    expect((await list()).headers["retry-after"]).toBe("1");
    await moveClock(app, { advance: 1000 });
    expect((await list()).status).toBe(200);
  });

  it("runs a webhook's retries when advanced, none of them waited for in real time", async () => {
    // Backoffs of a minute and two: a test that waited for them would time out.
    const receiver = await startReceiver((n) => (n < 3 ? 500 : 204));
    opened.push(receiver);
    const app = await mock({
      webhooks: { backoffMs: 60_000, attempts: 3, endpoints: [{ url: receiver.url, events: ["contact.created"] }] },
    });
    await moveClock(app, { set: SET });
    await createContact(app, "Dee Hooked");
    // The first POST goes at once (a wait of 0 runs even on a frozen clock); the retries wait for the clock.
    await receiver.waitFor(1);
    await app.webhooks.settled();
    expect(receiver.received).toHaveLength(1);

    await moveClock(app, { advance: 180_000 });
    expect(receiver.received).toHaveLength(3);
    const log = (await adminCall<Deliveries>(app, "GET", "/__admin/webhooks/deliveries")).body;
    expect(log.data[0]).toMatchObject({ attempts: 3, status: 204, outcome: "delivered" });
    // Every POST carries the event as it was stamped: at the time the clock was set to.
    expect(receiver.received.map((r) => r.body.ts)).toEqual(Array(3).fill(Date.parse(SET) / 1000));
  });

  it("holds an answer's latency until advanced past it", async () => {
    const clock = new Clock(SET);
    const app = await mock({ latency: { min: 500, max: 500 }, clock });
    let answered = false;
    const answer = call(app, { method: "GET", path: "/workspace" }).then((result) => {
      answered = true;
      return result;
    });
    // Until the request has reached its wait: a turn of the event loop at a time, no time measured.
    while (clock.pending === 0) await new Promise((resolve) => setImmediate(resolve));
    await clock.advance(499);
    expect(answered).toBe(false);
    await clock.advance(1);
    expect((await answer).status).toBe(200);
  });

  it("goes back to real time with real", async () => {
    const app = await mock();
    await moveClock(app, { set: "2001-01-01T00:00:00.000Z" });
    const before = Date.now();
    const state = await moveClock(app, { real: true });
    expect(state.frozen).toBe(false);
    expect(Date.parse(state.now)).toBeGreaterThanOrEqual(before);
  });

  it("refuses a move it cannot make, naming the field, and stays where it was", async () => {
    const app = await mock();
    await moveClock(app, { set: SET });
    for (const body of [{ advance: -1 }, { set: "next tuesday" }, { real: false }, { rewind: 5 }]) {
      const answer = await adminCall(app, "POST", "/__admin/clock", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    expect((await adminCall<ClockState>(app, "GET", "/__admin/clock")).body).toEqual({ now: SET, frozen: true });
  });
});

describe("the clock alone", () => {
  it("runs the timers that fall due in order, awaiting each, and those they set on the way", async () => {
    const clock = new Clock(0);
    const ran: string[] = [];
    clock.setTimeout(() => ran.push("b at 20"), 20);
    clock.setTimeout(async () => {
      ran.push("a at 10");
      // Set after an await: advance waits for this promise before it looks for the next timer.
      await Promise.resolve();
      clock.setTimeout(() => ran.push("c at 15"), 5);
    }, 10);
    clock.setTimeout(() => ran.push("d at 30"), 30);

    const state = await clock.advance(25);
    expect(ran).toEqual(["a at 10", "c at 15", "b at 20"]);
    expect(state).toEqual({ now: new Date(25).toISOString(), frozen: true });
    expect(clock.pending).toBe(1);
  });

  it("keeps what is left of a wait when set jumps the date", async () => {
    const clock = new Clock("2030-01-01T00:00:00Z");
    let fired = false;
    clock.setTimeout(() => {
      fired = true;
    }, 1000);
    clock.set("1999-01-01T00:00:00Z");
    await clock.advance(999);
    expect(fired).toBe(false);
    await clock.advance(1);
    expect(fired).toBe(true);
    expect(clock.iso()).toBe("1999-01-01T00:00:01.000Z");
  });
});
