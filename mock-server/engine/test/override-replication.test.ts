/**
 * Overrides travel to the replicas as admin changes do: through the Replication port's change log, each
 * replica applying them in order. Two engines here share an in-memory log that keeps the port's promise
 * (every change applied by every replica, in one order, answered with what applying it here gave); the
 * same over Redis is in mock-server/replication/test/replication.test.ts.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_API_KEY } from "../../mock-options.ts";
import { type Change, createEngine, type Engine, type Replication } from "../index.ts";

/** Replicas on one in-memory log: a change is applied by each, in the order sent. */
function sharedLog(count: number): Engine[] {
  const engines: Engine[] = [];
  for (let i = 0; i < count; i++) {
    const replication: Replication = {
      submit: async (change: Change) => {
        let own: unknown;
        let failure: unknown;
        for (const engine of engines) {
          try {
            const result = engine.apply(JSON.parse(JSON.stringify(change)) as Change);
            if (engine === engines[i]) own = result;
          } catch (error) {
            if (engine === engines[i]) failure = error;
          }
        }
        if (failure !== undefined) throw failure;
        return own;
      },
      beforeRead: () => false,
      status: async () => ({ shared: false }) as never,
    };
    engines.push(
      createEngine({ replication, seed: { seed: 3, contacts: 4, chats: 1, team: 1, channels: 1, bots: 0 } }),
    );
  }
  return engines;
}

const json = { "content-type": "application/json" };
const admin = (engine: Engine, method: string, url: string, body?: unknown) =>
  engine.handle({ method, url, headers: json, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const workspace = (engine: Engine) =>
  engine.handle({ method: "GET", url: "/public/v1/workspace", headers: { "x-api-key": DEFAULT_API_KEY } });

describe("overrides with replicas", () => {
  it("an override added on one replica answers on every replica, with the same id, and goes from all", async () => {
    const [a, b] = sharedLog(2) as [Engine, Engine];
    const added = await admin(a, "POST", "/__admin/overrides", { operationId: "getWorkspace", status: 503 });
    expect(added.status).toBe(200);
    const { id } = JSON.parse(added.body as string) as { id: string };

    expect((await workspace(a)).status).toBe(503);
    expect((await workspace(b)).status).toBe(503);
    expect(
      b.overrides
        .of(undefined)
        .list()
        .map((o) => o.id),
    ).toEqual([id]);

    expect((await admin(b, "DELETE", `/__admin/overrides/${id}`)).status).toBe(200);
    expect((await workspace(a)).status).toBe(200);
    expect((await workspace(b)).status).toBe(200);
  });

  it("a scenario turned on through one replica is on for every replica, and a reset turns it off on all", async () => {
    const [a, b] = sharedLog(2) as [Engine, Engine];
    expect((await admin(a, "POST", "/__admin/scenario", { name: "rate-limited" })).status).toBe(200);
    expect((await workspace(b)).status).toBe(429);

    expect((await admin(b, "POST", "/__admin/reset", {})).status).toBe(200);
    expect((await workspace(a)).status).toBe(200);
  });
});
