/**
 * Three replicas of the mock as separate processes on one Redis, as behind a load balancer: they decide
 * alike (one email, one contact, whichever replica is asked), a write made through one is read through
 * the others, a replica killed mid-load loses nothing it acknowledged and catches up when restarted, and
 * with Redis stopped reads go on (flagged stale) while writes get a 503 until Redis is back. No replica
 * crashes along the way. The tests share the replicas and run in order: the faults come last.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, admin, call, everything, exportedState, page, retryWhileUnavailable } from "./api.ts";
import {
  type RedisServer,
  type Replica,
  redisMissing,
  startRedis,
  startReplicas,
  stopEverything,
} from "./redis-harness.ts";

const missing = redisMissing("three replicas (replicas.test.ts)");
/** Unique to this file (and run), so no other file's replicas ever read this stream. */
const PREFIX = `converseiq-test-replicas-${process.pid}-${Date.now().toString(36)}`;

interface Contact {
  guid: string;
  name: string | null;
  email: string | null;
  city?: string | null;
}

/** A mark of the test in the emails it makes, so its contacts are told apart from the seeded ones. */
let serial = 0;
const tagged = (what: string) => `${what}-${++serial}-${Date.now().toString(36)}`;

/** How many answers had each status, e.g. `{ 200: 50, 409: 150 }`. */
const statusCounts = (answers: Answer[]) =>
  answers.reduce<Record<number, number>>((counts, a) => {
    counts[a.status] = (counts[a.status] ?? 0) + 1;
    return counts;
  }, {});

/** Every replica's whole exported state, which must be one and the same text. */
async function expectOneState(replicas: Replica[]): Promise<string> {
  const states = await Promise.all(replicas.map((r) => exportedState(r.origin)));
  const [first] = states;
  for (const [i, state] of states.entries()) {
    expect(state, `replica ${replicas[i]?.name}'s state is replica A's`).toBe(first);
  }
  return first as string;
}

/** The same pages of both lists, at several page sizes, from every replica. */
async function expectSamePages(replicas: Replica[]): Promise<void> {
  for (const path of ["/contact", "/chat"]) {
    for (const [number, limit] of [
      [1, 7],
      [3, 7],
      [2, 25],
      [1, 100],
    ] as const) {
      const pages = await Promise.all(replicas.map((r) => page(r.origin, path, number, limit)));
      for (const [i, p] of pages.entries()) {
        expect(p, `${path} page ${number} of ${limit} from replica ${replicas[i]?.name}`).toEqual(pages[0]);
      }
    }
  }
}

/** Requests the load of the SIGKILL test sends at most. */
const MAX_SENDS = 3000;

/** A count that promises to tell when it reaches a number. */
class Counter {
  value = 0;
  private waiting: { at: number; resolve: () => void }[] = [];
  add(): void {
    this.value++;
    this.waiting = this.waiting.filter((w) => (this.value >= w.at ? void w.resolve() : true));
  }
  reach(at: number): Promise<void> {
    if (this.value >= at) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ at, resolve }));
  }
}

describe.skipIf(missing)("three replicas of the mock on one Redis, as separate processes", { timeout: 120_000 }, () => {
  let redis: RedisServer;
  let replicas: Replica[];
  const at = (i: number) => replicas[i % replicas.length] as Replica;

  beforeAll(async () => {
    redis = await startRedis();
    replicas = await startReplicas(3, {
      redisUrl: redis.url,
      prefix: PREFIX,
      // A snapshot every 250 changes: the replica restarted in the SIGKILL test (some 370 changes in) loads
      // one taken during the tests, then the tail. More than the 200 changes of the concurrent burst, so no
      // replica falls a whole trimmed stretch behind there.
      args: ["--contacts", "20", "--chats", "6", "--snapshot-every", "250"],
    });
  }, 120_000);
  afterAll(() => stopEverything());

  it("start from one seeded state: the first seeds the prefix and the others load it", async () => {
    await expectOneState(replicas);
  });

  it("accept exactly one of 200 concurrent creates per email (50 emails, spread over the replicas), and all hold the same 50", async () => {
    const tag = tagged("dup");
    const emails = Array.from({ length: 50 }, (_, i) => `${tag}-${i}@example.com`);
    // Request i goes to replica i mod 3 with email i mod 50: each email is sent four times, to all three.
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        call(at(i).origin, "POST", "/contact", { name: `Racer ${i}`, email: emails[i % 50] }),
      ),
    );
    expect(statusCounts(answers)).toEqual({ 200: 50, 409: 150 });
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.json).toMatchObject({ code: "email_taken" });
    }
    const accepted = answers.filter((a) => a.status === 200).map((a) => a.json as Contact);
    expect(new Set(accepted.map((c) => c.email)).size).toBe(50);

    const byEmail = (contacts: Contact[]) =>
      contacts
        .filter((c) => c.email?.startsWith(`${tag}-`))
        .map((c) => [c.email, c.guid])
        .sort();
    for (const replica of replicas) {
      const listed = await everything<Contact>(replica.origin, "/contact");
      expect(byEmail(listed), `the contacts replica ${replica.name} lists`).toEqual(byEmail(accepted));
    }
    await expectOneState(replicas);
  });

  it("read a write made through another replica at once: created through one, read through the other two; updated through the second, read through the third; deleted through the third, gone from the first", async () => {
    // Many rounds, each starting at the next replica: a replica that answered before catching up would
    // be caught out now and then, since its lag is well under a millisecond.
    for (let round = 0; round < 60; round++) {
      const [x, y, z] = [at(round), at(round + 1), at(round + 2)];
      const ryw = `round ${round}, created through ${x.name}`;
      const created = await call(x.origin, "POST", "/contact", { name: "Ada", email: `${tagged("ryw")}@example.com` });
      expect(created.status, ryw).toBe(200);
      const path = `/contact/${(created.json as Contact).guid}`;
      for (const other of [y, z]) {
        const read = await call(other.origin, "GET", path);
        expect([read.status, read.json], `${ryw}, read through ${other.name}`).toEqual([200, created.json]);
      }
      const updated = await call(y.origin, "PUT", path, { city: `Lyon ${round}` });
      expect([updated.status, updated.json], `${ryw}, updated through ${y.name}`).toMatchObject([
        200,
        { city: `Lyon ${round}` },
      ]);
      const readAfterUpdate = await call(z.origin, "GET", path);
      expect([readAfterUpdate.status, readAfterUpdate.json], `${ryw}, read through ${z.name} once updated`).toEqual([
        200,
        updated.json,
      ]);
      expect((await call(z.origin, "DELETE", path)).status, `${ryw}, deleted through ${z.name}`).toBe(200);
      expect((await call(x.origin, "GET", path)).status, `${ryw}, read through ${x.name} once deleted`).toBe(404);
    }
  });

  it("lose nothing a replica acknowledged when it is killed mid-load; the others keep serving; restarted, it catches up and serves the same pages", async () => {
    const victim = at(2);
    const survivors = [at(0), at(1)];
    const tag = tagged("load");
    const acknowledged: Contact[] = [];
    const afterKill = new Counter();
    const before = new Counter();
    let killed = false;
    let stop = false;
    let sent = 0;
    // Six clients, each sending creates in turn to A, B, C, A...: the victim's share fails once it is killed
    // (refused connections, or a request cut short), and is not counted as acknowledged.
    const client = async () => {
      while (!stop && sent < MAX_SENDS) {
        const n = sent++;
        const replica = at(n);
        try {
          const answer = await call(replica.origin, "POST", "/contact", { email: `${tag}-${n}@example.com` });
          if (answer.status >= 200 && answer.status < 300) {
            acknowledged.push(answer.json as Contact);
            if (killed && replica !== victim) afterKill.add();
            else before.add();
          }
        } catch {
          // The victim, killed: nothing acknowledged.
        }
      }
    };
    // The clients give up after MAX_SENDS requests, so a failing run ends instead of waiting for ever.
    const load = Promise.all(Array.from({ length: 6 }, () => client()));
    await Promise.race([before.reach(50), load]);
    expect(before.value, "creates acknowledged before the kill").toBeGreaterThanOrEqual(50);
    await victim.kill();
    killed = true;
    // The survivors go on accepting writes.
    await Promise.race([afterKill.reach(50), load]);
    stop = true;
    await load;
    expect(afterKill.value, "creates acknowledged by the survivors after the kill").toBeGreaterThanOrEqual(50);

    for (const survivor of survivors) {
      const listed = new Set((await everything<Contact>(survivor.origin, "/contact")).map((c) => c.guid));
      const lost = acknowledged.filter((c) => !listed.has(c.guid));
      expect(lost, `acknowledged creates missing from replica ${survivor.name}`).toEqual([]);
    }
    await expectOneState(survivors);

    await victim.restart();
    await expectSamePages(replicas);
    const listed = new Set((await everything<Contact>(victim.origin, "/contact")).map((c) => c.guid));
    expect(acknowledged.filter((c) => !listed.has(c.guid))).toEqual([]);
    await expectOneState(replicas);
  });

  it("with Redis stopped, answer reads from memory flagged stale and writes with 503 and Retry-After; once Redis is back (empty), reconnect by themselves and hold the state of before plus the new writes", async () => {
    const before = JSON.parse(await expectOneState(replicas)) as { contacts: Contact[] };
    const someone = before.contacts[0] as Contact;
    await redis.stop();

    for (const replica of replicas) {
      for (const path of ["/contact?limit=5", `/contact/${someone.guid}`, "/chat"]) {
        const read = await call(replica.origin, "GET", path);
        expect(read.status, `GET ${path} through replica ${replica.name}`).toBe(200);
        expect(read.headers.get("x-mock-stale"), `GET ${path} through replica ${replica.name}`).toBe("true");
      }
      const writes = [
        await call(replica.origin, "POST", "/contact", { email: `${tagged("down")}@example.com` }),
        await call(replica.origin, "PUT", `/contact/${someone.guid}`, { city: "Nowhere" }),
        await call(replica.origin, "DELETE", `/contact/${someone.guid}`),
      ];
      const view = await admin(replica.origin, "GET", "/replication");
      expect(view.json, `GET /__admin/replication of replica ${replica.name}`).toMatchObject({
        connected: false,
        last: null,
        behind: null,
      });
      for (const write of writes) {
        expect(write.status, `a write through replica ${replica.name}`).toBe(503);
        expect(write.json).toMatchObject({ code: "service_unavailable", message: expect.any(String) });
        expect(Number(write.headers.get("retry-after")), "Retry-After, in seconds").toBeGreaterThan(0);
      }
      expect(replica.running(), `replica ${replica.name} still runs`).toBe(true);
    }

    await redis.restart();
    // Each replica reconnects by itself: its writes are refused until it has, then accepted.
    const created: Contact[] = [];
    for (const replica of replicas) {
      const answer = await retryWhileUnavailable(() =>
        call(replica.origin, "POST", "/contact", { email: `${tagged("back")}@example.com` }),
      );
      expect(answer.status, `a write through replica ${replica.name} once Redis is back`).toBe(200);
      created.push(answer.json as Contact);
    }
    for (const replica of replicas) {
      const read = await call(replica.origin, "GET", "/contact?limit=5");
      expect(read.headers.get("x-mock-stale"), `replica ${replica.name} reads fresh again`).toBeNull();
      const view = await admin(replica.origin, "GET", "/replication");
      expect(view.json, `GET /__admin/replication of replica ${replica.name}`).toMatchObject({
        connected: true,
        behind: 0,
      });
    }
    const after = JSON.parse(await expectOneState(replicas));
    expect(after).toEqual({ ...before, contacts: [...before.contacts, ...created] });
  });

  it("never crash and leave no promise rejection unhandled", () => {
    for (const replica of replicas) {
      expect(replica.crashes(), `replica ${replica.name} exited by itself`).toEqual([]);
      expect(replica.running(), `replica ${replica.name} runs`).toBe(true);
      expect(`${replica.stdout()}\n${replica.stderr()}`, `replica ${replica.name}'s output`).not.toMatch(/unhandled/i);
    }
  });
});
