/**
 * Two replicas in one process on a redis-server of the test's own: what travels through the shared log
 * besides the public API's writes (admin changes, workspaces, webhook subscriptions), who sends the
 * webhooks, and what snapshots and trimming leave to a replica that starts late. The replicas as separate
 * processes, under load and through faults, are in test/replicas.test.ts.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_BASE_PATH } from "../../../generated/rules.ts";
import { buildMockServer, type MockServer } from "../../app.ts";
import type { ReplicationStatus } from "../../engine/replication-port.ts";
import { DEFAULT_API_KEY } from "../../mock-options.ts";
import { DEFAULT_SEED, type SeedSizes } from "../../store/seed.ts";
import { admin as checkedAdmin } from "../../test/admin-support.ts";
import { startReceiver } from "../../test/webhooks-support.ts";
import type { RedisOptions } from "../redis-options.ts";
import { type RedisServer, redisMissing, startRedis, stopEverything } from "./redis-harness.ts";

const missing = redisMissing("mock-server/replication/test/replication.test.ts");

let redis: RedisServer;
const servers: MockServer[] = [];
let prefixes = 0;

beforeAll(async () => {
  if (!missing) redis = await startRedis();
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await stopEverything();
});

interface Running {
  server: MockServer;
  origin: string;
}

/** A replica in this process on the test's Redis, listening on port 0. */
async function replica(
  prefix: string,
  options: Partial<RedisOptions> = {},
  seed: Partial<SeedSizes> = {},
): Promise<Running> {
  const server = await buildMockServer({
    redis: { url: redis.url, prefix, ...options },
    seed: { ...DEFAULT_SEED, ...seed },
  });
  servers.push(server);
  return { server, origin: await server.listen({ port: 0 }) };
}

/** Replicas on a prefix of their own: a state no other test shares. */
async function replicas(count: number, options: Partial<RedisOptions> = {}): Promise<Running[]> {
  const prefix = `replication-test-${++prefixes}`;
  const made: Running[] = [];
  for (let i = 0; i < count; i++) made.push(await replica(prefix, options));
  return made;
}

async function send(
  origin: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: {
      "x-api-key": DEFAULT_API_KEY,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === "" ? undefined : JSON.parse(text) };
}

const api = (origin: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  send(origin, method, `${API_BASE_PATH}${path}`, body, headers);
// An admin write is sent as JSON even with no body, as a client that is no web page sends it.
const admin = (origin: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  send(origin, method, `/__admin${path}`, body, { "content-type": "application/json", ...headers });

/** The whole exported state, as text, through a replica (a strong read: it catches up first). */
async function state(origin: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${origin}/__admin/state`, { headers: { ...headers } });
  expect(response.status).toBe(200);
  return response.text();
}

describe.skipIf(missing)("replicas sharing one Redis", () => {
  it("apply an admin change made through any of them: triggers, team, reset and import", async () => {
    const [a, b] = (await replicas(2)) as [Running, Running];
    const chats = (await api(a.origin, "GET", "/chat?limit=1")).json as { data: { guid: string }[] };
    const chatId = (chats.data[0] as { guid: string }).guid;

    expect((await admin(a.origin, "POST", `/chats/${chatId}/mute`)).status).toBe(200);
    expect(((await api(b.origin, "GET", `/chat/${chatId}`)).json as { muted: boolean }).muted).toBe(true);

    const member = await admin(b.origin, "POST", "/team", { name: "Replicated Member", email: "member@example.com" });
    expect(member.status).toBe(200);
    const memberId = (member.json as { guid: string }).guid;
    expect((await api(a.origin, "GET", `/team/${memberId}`)).json).toEqual(member.json);

    const saved = await state(a.origin);
    expect((await admin(b.origin, "POST", "/reset", { contacts: 3 })).status).toBe(200);
    expect(((await api(a.origin, "GET", "/contact")).json as { total: number }).total).toBe(3);

    const restored = await fetch(`${b.origin}/__admin/state`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: saved,
    });
    expect(restored.status).toBe(200);
    expect(await state(a.origin)).toBe(saved);
    expect(await state(b.origin)).toBe(saved);
  });

  it("refuse a change the same way everywhere, and the refusal changes nothing", async () => {
    const [a, b] = (await replicas(2)) as [Running, Running];
    const before = await state(a.origin);
    const refused = await admin(b.origin, "POST", "/chats/00000000-0000-4000-8000-000000000000/mute");
    expect(refused.status).toBe(404);
    expect(await state(a.origin)).toBe(before);
    expect(await state(b.origin)).toBe(before);
  });

  it("share workspaces: one made through a replica answers its key on every other, and goes away everywhere", async () => {
    const [a, b] = (await replicas(2)) as [Running, Running];
    const made = await admin(a.origin, "POST", "/workspaces", { seed: { contacts: 4 } });
    expect(made.status).toBe(200);
    const key = (made.json as { apiKey: string }).apiKey;
    const created = await api(
      b.origin,
      "POST",
      "/contact",
      { name: "In a workspace", email: "ws@example.com" },
      { "x-api-key": key },
    );
    expect(created.status).toBe(200);
    const listed = await api(a.origin, "GET", "/contact", undefined, { "x-api-key": key });
    expect((listed.json as { total: number }).total).toBe(5);
    // The default workspace does not see it.
    expect(((await api(a.origin, "GET", "/contact/search?email=ws@example.com")).json as { total: number }).total).toBe(
      0,
    );
    expect(await state(a.origin, { "x-api-key": key })).toBe(await state(b.origin, { "x-api-key": key }));

    expect((await admin(b.origin, "DELETE", `/workspaces/${key}`)).status).toBe(200);
    expect((await api(a.origin, "GET", "/contact", undefined, { "x-api-key": key })).status).toBe(401);
  });

  it("share overrides and scenarios: one added through a replica answers on every other, and a reset ends it everywhere", async () => {
    const [a, b] = (await replicas(2)) as [Running, Running];
    const added = await admin(a.origin, "POST", "/overrides", { operationId: "getWorkspace", status: 503 });
    expect(added.status).toBe(200);
    expect((await api(b.origin, "GET", "/workspace")).status).toBe(503);
    const id = (added.json as { id: string }).id;
    expect((await admin(b.origin, "DELETE", `/overrides/${id}`)).status).toBe(200);
    expect((await api(a.origin, "GET", "/workspace")).status).toBe(200);

    expect((await admin(b.origin, "POST", "/scenario", { name: "rate-limited" })).status).toBe(200);
    expect((await api(a.origin, "GET", "/contact")).status).toBe(429);
    expect((await admin(a.origin, "POST", "/reset")).status).toBe(200);
    expect((await api(b.origin, "GET", "/contact")).status).toBe(200);
  });

  it("send each webhook once, from the replica that accepted the change, to a subscription made through another", async () => {
    const receiver = await startReceiver();
    try {
      const [a, b, c] = (await replicas(3)) as [Running, Running, Running];
      const subscribed = await admin(a.origin, "POST", "/webhooks", { url: receiver.url, events: ["contact.created"] });
      expect(subscribed.status).toBe(200);
      for (const replica of [a, b, c]) {
        expect(((await admin(replica.origin, "GET", "/webhooks")).json as { data: unknown[] }).data).toEqual([
          subscribed.json,
        ]);
      }

      const created = await api(b.origin, "POST", "/contact", { name: "Hooked", email: "hooked@example.com" });
      expect(created.status).toBe(200);
      await Promise.all([a, b, c].map(({ server }) => server.webhooks.idle()));
      expect(receiver.received.map(({ body }) => body.event)).toEqual(["contact.created"]);
      const delivered = async (origin: string) =>
        ((await admin(origin, "GET", "/webhooks/deliveries")).json as { data: unknown[] }).data.length;
      expect([await delivered(a.origin), await delivered(b.origin), await delivered(c.origin)]).toEqual([0, 1, 0]);
    } finally {
      await receiver.close();
    }
  });

  it("leave to a replica that starts late a snapshot and the log after it, trimmed behind the previous snapshot", async () => {
    const prefix = `replication-test-${++prefixes}`;
    // Few records, and changes that add none: snapshots are not spaced out for the size of the state
    // (see Replica.snapshotInterval).
    const small = { contacts: 0, chats: 0, team: 1 };
    const a = await replica(prefix, { snapshotEvery: 5, keepChanges: 0 }, small);
    const created = await api(a.origin, "POST", "/contact", { name: "Late", email: "late@example.com" });
    expect(created.status).toBe(200);
    const id = (created.json as { guid: string }).guid;
    for (let i = 1; i < 330; i++) {
      expect((await api(a.origin, "PUT", `/contact/${id}`, { name: `Late ${i}` })).status).toBe(200);
    }
    await a.server.replica?.snapshotWritten();
    const client = new Redis(redis.url);
    try {
      // The last snapshot is at change 330; the log keeps the changes from the one before (325) on. Trimming
      // drops whole nodes of the stream (100 changes each): at most 100 more stay.
      expect(Number(await client.get(`${prefix}:snap-n`))).toBe(330);
      const kept = await client.xlen(`${prefix}:log`);
      expect(kept).toBeGreaterThanOrEqual(330 - 325 + 1);
      expect(kept).toBeLessThanOrEqual(330 - 325 + 1 + 100);
    } finally {
      client.disconnect();
    }
    const late = await replica(prefix, { snapshotEvery: 5, keepChanges: 0 }, small);
    expect(await state(late.origin)).toBe(await state(a.origin));
  });

  it("space snapshots out by the size of the state: none before as many changes as it held records, then one", async () => {
    const prefix = `replication-test-${++prefixes}`;
    // About 490 records (300 contacts, 20 chats with their messages, the team): more than snapshotEvery.
    const a = await replica(prefix, { snapshotEvery: 50 }, { contacts: 300 });
    const id = ((await api(a.origin, "GET", "/contact?limit=1")).json as { data: { guid: string }[] }).data[0]?.guid;
    const held = new Redis(redis.url);
    const snapshotAt = async () => {
      await a.server.replica?.snapshotWritten();
      return Number(await held.get(`${prefix}:snap-n`));
    };
    try {
      const rename = async (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          expect((await api(a.origin, "PUT", `/contact/${id}`, { name: `Spaced ${i}` })).status).toBe(200);
        }
      };
      await rename(0, 300);
      expect(await snapshotAt()).toBe(0);
      // Creates: the state grows as the changes go on, and a snapshot still comes.
      for (let i = 300; i < 600; i++) {
        const made = await api(a.origin, "POST", "/contact", { name: `Spaced ${i}`, email: `spaced${i}@example.com` });
        expect(made.status).toBe(200);
      }
      const at = await snapshotAt();
      expect(at).toBeGreaterThan(300);
      expect(at).toBeLessThanOrEqual(600);
    } finally {
      held.disconnect();
    }
  });

  it("say where each stands: connected, the same epoch, every change of the log applied", async () => {
    const [a, b] = (await replicas(2)) as [Running, Running];
    expect((await api(a.origin, "POST", "/contact", { name: "Counted", email: "counted@example.com" })).status).toBe(
      200,
    );
    await b.server.replica?.catchUp();
    // Through the admin spec's check of every answer (test/admin-support.ts).
    const fromA = await checkedAdmin<ReplicationStatus>(a.server, "GET", "/__admin/replication");
    const fromB = await checkedAdmin<ReplicationStatus>(b.server, "GET", "/__admin/replication");
    for (const { status, body } of [fromA, fromB]) {
      expect(status).toBe(200);
      expect(body).toMatchObject({ shared: true, redis: redis.url, connected: true, applied: 1, last: 1, behind: 0 });
    }
    expect(fromA.body.epoch).toBe(fromB.body.epoch);
  });

  it("seed an empty prefix from the first replica: a later one started with another seed loads the first one's data", async () => {
    const prefix = `replication-test-${++prefixes}`;
    const first = await replica(prefix, {}, { seed: 7 });
    const second = await replica(prefix, {}, { seed: 8 });
    expect(await state(second.origin)).toBe(await state(first.origin));
  });

  it("with eventual consistency, read without asking Redis and still apply every change in order", async () => {
    const prefix = `replication-test-${++prefixes}`;
    const a = await replica(prefix);
    const b = await replica(prefix, { consistency: "eventual" });
    const created = await api(a.origin, "POST", "/contact", { name: "Later", email: "later@example.com" });
    expect(created.status).toBe(200);
    // An eventual read does not wait; once the replica has caught up (awaited, not slept), it has the change.
    await b.server.replica?.catchUp();
    const id = (created.json as { guid: string }).guid;
    expect((await api(b.origin, "GET", `/contact/${id}`)).json).toEqual(created.json);
  });
});
