/**
 * `--state FILE`: a state file is written atomically and read back the same; a missing file means "start
 * seeded", a bad one is refused with its reasons; writes are debounced and never overlap; and an app with
 * a state file loads it, writes after changes that succeeded (not after failures) and flushes on close.
 * The debounce runs on a manual scheduler: time moves when a test says so, never by sleeping.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { components } from "../../generated/admin-types.ts";
import { stateJsonChunks } from "../admin/state-json.ts";
import { buildMockServer, type MockServer } from "../app.ts";
import { createEngine } from "../engine/index.ts";
import type { Change } from "../engine/replication-port.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../mock-options.ts";
import { EntryClock } from "../replication/entry.ts";
import { ManualScheduler } from "../scheduler.ts";
import {
  readStateFile,
  STATE_MAX_WAIT_MS,
  STATE_WRITE_DELAY_MS,
  StateFileError,
  StateFileWriter,
  writeStateFile,
} from "../state-file.ts";
import { FOLD_EVERY_CHANGES, StateLog } from "../state-log.ts";
import { seedState } from "../store/seed.ts";
import type { StateSnapshot } from "../store/types.ts";

type Health = components["schemas"]["Health"];

import { SMALL } from "./admin-support.ts";

/** Each test has a folder of its own. */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "converseiq-state-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const small = (): StateSnapshot => seedState(SMALL);
const KEY = { "x-api-key": DEFAULT_API_KEY };

describe("writing and reading a state file", () => {
  it("reads back exactly the state written, and leaves no temporary file behind", async () => {
    const path = join(dir, "state.json");
    const state = small();
    await writeStateFile(path, state);
    expect(await readStateFile(path)).toEqual(state);
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  it("replaces an existing file whole", async () => {
    const path = join(dir, "state.json");
    await writeStateFile(path, seedState({ ...SMALL, contacts: 40 }));
    const smaller = small();
    await writeStateFile(path, smaller);
    expect(await readStateFile(path)).toEqual(smaller);
  });

  it("reads no state, and no error, when the file does not exist yet", async () => {
    expect(await readStateFile(join(dir, "missing.json"))).toBeUndefined();
  });

  it.each([
    ["not JSON", "{half", /is not valid JSON/],
    ["not a state", '{"workspace": 1}', /does not hold a valid state:\n {2}\/owner: is required/],
  ])("refuses a file that is %s, naming the file and what is wrong", async (_, text, message) => {
    const path = join(dir, "bad.json");
    await writeFile(path, text);
    const error = await readStateFile(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(message);
  });

  it("writes large collections in pieces that join into the same JSON", () => {
    const state = seedState({ ...SMALL, contacts: 2500 });
    const chunks = [...stateJsonChunks(state)];
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.join("")).toBe(JSON.stringify(state));
  });
});

describe("the debounced writer", () => {
  it("writes once for a burst of changes, a moment after the last", async () => {
    const path = join(dir, "state.json");
    const scheduler = new ManualScheduler();
    let snapshots = 0;
    const writer = new StateFileWriter(
      path,
      () => {
        snapshots++;
        return small();
      },
      { delayMs: 20, scheduler },
    );
    for (let i = 0; i < 5; i++) {
      writer.changed();
      scheduler.advance(10);
    }
    // Each change pushed the write back: 20 ms after the last one, not after the first.
    expect(snapshots).toBe(0);
    scheduler.advance(9);
    expect(snapshots).toBe(0);
    expect(scheduler.pending).toBe(1);
    scheduler.advance(1);
    await writer.idle();
    expect(snapshots).toBe(1);
    expect(scheduler.pending).toBe(0);
    expect(await readStateFile(path)).toEqual(small());
  });

  it("flushes at once on demand, and writes one after another, never at the same time", async () => {
    const path = join(dir, "state.json");
    const states = [seedState({ ...SMALL, seed: 1 }), seedState({ ...SMALL, seed: 2 })];
    let n = 0;
    const writer = new StateFileWriter(path, () => states[n++] ?? small(), { delayMs: 10_000 });
    writer.changed();
    await Promise.all([writer.flush(), writer.flush()]);
    expect(n).toBe(2);
    expect(await readStateFile(path)).toEqual(states[1]);
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  it("reports a failed write and keeps going", async () => {
    const errors: unknown[] = [];
    const writer = new StateFileWriter(join(dir, "no-such-folder", "state.json"), small, {
      onError: (e) => errors.push(e),
    });
    await writer.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StateFileError);
  });
});

describe("an app with a state file", () => {
  it("starts from the file's state when it exists", async () => {
    const path = join(dir, "state.json");
    const state = seedState({ ...SMALL, seed: 555 });
    await writeStateFile(path, state);
    const app = await buildMockServer({ seed: SMALL, stateFile: path });
    expect(app.store.snapshot()).toEqual(state);
    await app.close();
  });

  it.each([
    ["not a state", '{"workspace": {}}', /\/owner: is required/],
    [
      "a state the store finds inconsistent",
      JSON.stringify({ ...small(), contacts: [...small().contacts, small().contacts[0]] }),
      /\/contacts\/12\/email: duplicate email/,
    ],
  ])("does not start from a file that is %s", async (_, text, message) => {
    const path = join(dir, "state.json");
    await writeFile(path, text);
    const error = await buildMockServer({ seed: SMALL, stateFile: path }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toMatch(message);
  });

  it("writes the state a moment after a change that succeeded, and not after one that failed", async () => {
    const path = join(dir, "state.json");
    const scheduler = new ManualScheduler();
    const app = await buildMockServer({ seed: SMALL, stateFile: path, scheduler });
    const bad = await app.inject({ method: "POST", url: `${PUBLIC_PREFIX}/contact`, headers: KEY, payload: { ip: 5 } });
    expect(bad.statusCode).toBe(400);
    // No write is waiting: the scheduler has nothing to run, however far time moves.
    expect(scheduler.pending).toBe(0);
    scheduler.advance(10 * STATE_WRITE_DELAY_MS);
    await app.stateFile?.idle();
    expect(await readdir(dir)).toEqual([]);

    const good = await app.inject({
      method: "POST",
      url: `${PUBLIC_PREFIX}/contact`,
      headers: KEY,
      payload: { name: "Saved", email: "saved@example.com" },
    });
    expect(good.statusCode).toBe(200);
    expect(scheduler.requested).toEqual([STATE_WRITE_DELAY_MS]);
    scheduler.advance(STATE_WRITE_DELAY_MS - 1);
    expect(await readdir(dir)).toEqual([]);
    scheduler.advance(1);
    await app.stateFile?.idle();
    expect(await readFile(path, "utf8")).toContain("saved@example.com");
    await app.close();
  });

  it("writes the state when it closes, without waiting for the delay", async () => {
    const path = join(dir, "state.json");
    const app = await buildMockServer({ seed: SMALL, stateFile: path });
    await app.inject({ method: "POST", url: "/__admin/reset", payload: { seed: 9 } });
    await app.close();
    expect((await readStateFile(path))?.workspace).toEqual(seedState({ ...SMALL, seed: 9 }).workspace);
  });
});

describe("a state file served read-only (--read-only)", () => {
  it("serves the file's state and the changes of requests from memory, and leaves the file byte for byte, mtime and all", async () => {
    const path = join(dir, "state.json");
    await writeStateFile(path, small());
    const before = { bytes: await readFile(path), mtimeMs: (await stat(path)).mtimeMs };
    const scheduler = new ManualScheduler();
    const app = await buildMockServer({ seed: SMALL, stateFile: path, stateReadOnly: true, scheduler });
    expect(app.store.snapshot()).toEqual(small());
    const created = await app.inject({
      method: "POST",
      url: `${PUBLIC_PREFIX}/contact`,
      headers: KEY,
      payload: { name: "Replayed", email: "replayed@example.com" },
    });
    expect(created.statusCode).toBe(200);
    const read = await app.inject({
      method: "GET",
      url: `${PUBLIC_PREFIX}/contact/${created.json<{ guid: string }>().guid}`,
      headers: KEY,
    });
    expect(read.json()).toMatchObject({ email: "replayed@example.com" });
    await app.inject({ method: "POST", url: "/__admin/reset", payload: { seed: 9 } });
    // No write is waiting, however far time moves, and none is made on close.
    expect(scheduler.pending).toBe(0);
    expect(app.stateFile).toBeUndefined();
    await app.close();
    expect(await readFile(path)).toEqual(before.bytes);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  it.each([
    ["there is no such file", undefined, /Cannot serve the state file .* read-only: there is no such file/],
    ["the file is not a state", '{"workspace": {}}', /\/owner: is required/],
  ])("refuses to start when %s", async (_, text, message) => {
    const path = join(dir, "state.json");
    if (text !== undefined) await writeFile(path, text);
    const error = await buildMockServer({ seed: SMALL, stateFile: path, stateReadOnly: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    [{ stateReadOnly: true }, "--read-only needs a state file (--state FILE)"],
    [
      { stateReadOnly: true, stateSync: true, stateFile: "s.json" },
      "--read-only and --state-sync cannot be used together",
    ],
  ])("refuses the options %j", async (options, message) => {
    await expect(buildMockServer({ seed: SMALL, ...options })).rejects.toThrow(message);
  });
});

describe("a state file under steady traffic", () => {
  it("is written at least once a second while a change comes every 100 ms for 4 s", async () => {
    const scheduler = new ManualScheduler();
    const written: number[] = [];
    const writer = new StateFileWriter(
      join(dir, "state.json"),
      () => {
        written.push(scheduler.now());
        return small();
      },
      { scheduler },
    );
    const changes: number[] = [];
    for (let t = 0; t < 4000; t += 100) {
      changes.push(scheduler.now());
      writer.changed();
      scheduler.advance(100);
      await writer.drain();
    }
    // Each change pushed the 200 ms delay back, yet each reached the file within the longest wait.
    for (const change of changes) {
      expect(written.find((at) => at >= change && at <= change + STATE_MAX_WAIT_MS)).toBeDefined();
    }
    expect(written).toEqual([1000, 2000, 3000, 4000]);
  });

  it("waits the short delay while the longest wait is further away, and only what is left of it after", async () => {
    const scheduler = new ManualScheduler();
    const writer = new StateFileWriter(join(dir, "state.json"), small, { scheduler, delayMs: 200, maxWaitMs: 1000 });
    for (let t = 0; t <= 900; t += 150) {
      writer.changed();
      if (t < 900) scheduler.advance(150);
    }
    // The change at 900 ms: 100 ms are left of the longest wait of the first, not the full delay.
    expect(scheduler.requested).toEqual([200, 200, 200, 200, 200, 200, 100]);
    scheduler.advance(100);
    await writer.idle();
  });
});

describe("a write that fails", () => {
  it("is reported once for a run of failures, shown in the status, and told when writes succeed again", async () => {
    const errors: unknown[] = [];
    const notices: string[] = [];
    const folder = join(dir, "later");
    const path = join(folder, "state.json");
    const writer = new StateFileWriter(path, small, {
      onError: (e) => errors.push(e),
      onNotice: (line) => notices.push(line),
      now: () => "2026-01-02T03:04:05.000Z",
    });
    expect(writer.status()).toEqual({ path, lastWrite: null, lastError: null });
    for (let i = 0; i < 5; i++) await writer.flush();
    expect(errors).toHaveLength(1);
    expect(writer.status().lastError).toContain(path);

    await mkdir(folder);
    await writer.flush();
    expect(writer.status()).toEqual({ path, lastWrite: "2026-01-02T03:04:05.000Z", lastError: null });
    expect(notices).toEqual([`the state file ${path} is written again.`]);
  });

  it("makes GET /__admin/health degraded until a write succeeds again", async () => {
    const folder = join(dir, "data");
    await mkdir(folder);
    const path = join(folder, "state.json");
    const app = await buildMockServer({ seed: SMALL, stateFile: path, now: () => "2026-01-02T03:04:05.000Z" });
    const health = async (): Promise<Health> => (await app.inject({ method: "GET", url: "/__admin/health" })).json();
    expect(await health()).toEqual({ status: "ok", stateFile: { path, lastWrite: null, lastError: null } });

    await app.inject({ method: "POST", url: "/__admin/reset" });
    await app.stateFile?.flush();
    expect(await health()).toMatchObject({ status: "ok", stateFile: { lastWrite: "2026-01-02T03:04:05.000Z" } });

    await rm(folder, { recursive: true });
    await app.inject({ method: "POST", url: "/__admin/reset" });
    await app.stateFile?.flush();
    const degraded = await health();
    expect(degraded.status).toBe("degraded");
    expect(degraded.stateFile?.lastError).toContain(`Cannot write the state file ${path}`);

    await mkdir(folder);
    await app.close();
    expect(await readStateFile(path)).toBeDefined();
  });

  it("answers GET /__admin/health ok with no state file", async () => {
    const app = await buildMockServer({ seed: SMALL });
    expect((await app.inject({ method: "GET", url: "/__admin/health" })).json()).toEqual({
      status: "ok",
      stateFile: null,
    });
    await app.close();
  });
});

describe("a state file's folder", () => {
  it.each([
    ["does not exist", (d: string) => join(d, "missing", "state.json"), /its folder .*missing does not exist/],
    ["is a file", (d: string) => join(d, "file", "state.json"), /is not a folder|not a directory/],
  ])("stops the start when it %s, naming the path", async (_, pathIn, message) => {
    await writeFile(join(dir, "file"), "");
    const path = pathIn(dir);
    const error = await buildMockServer({ seed: SMALL, stateFile: path }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(message);
  });

  it.skipIf(process.getuid?.() === 0)("stops the start when it is not writable", async () => {
    const folder = join(dir, "locked");
    await mkdir(folder, { mode: 0o500 });
    const error = await buildMockServer({ seed: SMALL, stateFile: join(folder, "state.json") }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/is not writable/);
  });
});

describe("--state-sync", () => {
  const create = (app: MockServer, n: number) =>
    app.inject({
      method: "POST",
      url: `${PUBLIC_PREFIX}/contact`,
      headers: KEY,
      payload: { name: `Durable ${n}`, email: `durable-${n}@example.com` },
    });

  it("answers a change only once the log holding it is on disk, with no timer", async () => {
    const path = join(dir, "state.json");
    const scheduler = new ManualScheduler();
    const app = await buildMockServer({ seed: SMALL, stateFile: path, stateSync: true, scheduler });
    expect((await create(app, 1)).statusCode).toBe(200);
    expect(scheduler.pending).toBe(0);
    expect(await readFile(`${path}.log`, "utf8")).toContain("durable-1@example.com");
    await app.close();
  });

  it("replays the log on a start after a crash: the change, its id and its time as they were answered", async () => {
    const path = join(dir, "state.json");
    const crashed = await buildMockServer({ seed: SMALL, stateFile: path, stateSync: true });
    const answered = (await create(crashed, 1)).json() as { guid: string };
    // Not closed (the log is not folded into the state file): as after kill -9.
    expect(await readFile(path, "utf8")).not.toContain("durable-1@example.com");

    const restarted = await buildMockServer({ seed: SMALL, stateFile: path, stateSync: true });
    const contact = await restarted.inject({
      method: "GET",
      url: `${PUBLIC_PREFIX}/contact/${answered.guid}`,
      headers: KEY,
    });
    expect(contact.json()).toEqual(answered);
    // Folded at start: the state file holds it, the log holds nothing but its base.
    expect(await readFile(path, "utf8")).toContain("durable-1@example.com");
    expect((await readFile(`${path}.log`, "utf8")).trim().split("\n")).toHaveLength(1);
    await restarted.close();
    await crashed.close();
  });

  it("flushes the changes that arrive while a flush runs together, in the order they came", async () => {
    const path = join(dir, "state.json");
    const log = new StateLog(
      path,
      new EntryClock(
        () => "2026-01-02T03:04:05.000Z",
        () => crypto.randomUUID(),
      ),
      { onError: () => undefined },
    );
    const engine = createEngine({ seed: SMALL, now: log.clock.now, newId: log.clock.newId, replication: log });
    await log.start(engine);
    const change = (n: number): Change => ({
      kind: "public",
      op: "createContact",
      path: {},
      query: {},
      body: { name: `Grouped ${n}`, email: `grouped-${n}@example.com` },
    });
    // The first starts a flush at once; the nine that come while it runs wait for, and share, the next.
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => log.submit(change(n))));
    expect(log.flushes).toBe(2);
    expect(results.map((r) => (r as { email: string }).email)).toEqual(
      Array.from({ length: 10 }, (_, n) => `grouped-${n}@example.com`),
    );
    const lines = (await readFile(`${path}.log`, "utf8")).trim().split("\n").slice(1);
    expect(lines.map((line) => JSON.parse(line).change.body.email)).toEqual(
      Array.from({ length: 10 }, (_, n) => `grouped-${n}@example.com`),
    );
    await log.close();

    // A change the log cannot take (here: closed) is refused 503 and not made; the health says so.
    const refused = await log.submit(change(10)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: "service_unavailable" });
    expect(engine.store.snapshot().contacts.map((c) => c.email)).not.toContain("grouped-10@example.com");
    expect(log.fileStatus().lastError).toContain(path);
  });

  it("sends no webhook event again for a change replayed at start", async () => {
    const path = join(dir, "state.json");
    const webhooks = { endpoints: [{ url: "http://127.0.0.1:9/hook", events: ["*"] }] };
    const scheduler = new ManualScheduler();
    const crashed = await buildMockServer({ seed: SMALL, stateFile: path, stateSync: true, webhooks, scheduler });
    await create(crashed, 1);
    expect(crashed.webhooks.deliveries().data).toHaveLength(1);

    const restarted = await buildMockServer({ seed: SMALL, stateFile: path, stateSync: true, webhooks, scheduler });
    expect(JSON.stringify(restarted.store.snapshot())).toContain("durable-1@example.com");
    expect(restarted.webhooks.deliveries().data).toEqual([]);
    await restarted.close();
    await crashed.close();
  });

  it("leaves out a line cut short by a crash, and a log that follows another state file", async () => {
    const path = join(dir, "state.json");
    const first = await buildMockServer({ seed: SMALL, stateFile: path, stateSync: true });
    await create(first, 1);
    const log = await readFile(`${path}.log`, "utf8");
    await writeFile(`${path}.log`, `${log}{"change":{"kind":"pub`);
    const second = await buildMockServer({ seed: SMALL, stateFile: path, stateSync: true });
    const contacts = second.store.snapshot().contacts;
    const durable = contacts.find((c) => c.email === "durable-1@example.com");
    expect(durable).toBeDefined();
    for (const contact of [durable, contacts[0]]) {
      const url = `${PUBLIC_PREFIX}/contact/${contact?.guid}`;
      expect((await second.inject({ method: "DELETE", url, headers: KEY })).statusCode).toBe(200);
    }
    await second.close();

    // The first log again, whose base is not the state file now: its change (the contact deleted since)
    // is already in the state file, and is not made again.
    await writeFile(`${path}.log`, log);
    const third = await buildMockServer({ seed: SMALL, stateFile: path, stateSync: true });
    expect(third.store.snapshot().contacts.map((c) => c.email)).not.toContain("durable-1@example.com");
    await third.close();
    await first.close();
  });

  it("folds the log into the state file every so many changes", async () => {
    const path = join(dir, "state.json");
    const app = await buildMockServer({ seed: SMALL, stateFile: path, stateSync: true });
    for (let n = 0; n < FOLD_EVERY_CHANGES; n++) expect((await create(app, n)).statusCode).toBe(200);
    expect(await readFile(path, "utf8")).toContain(`durable-${FOLD_EVERY_CHANGES - 1}@example.com`);
    expect((await readFile(`${path}.log`, "utf8")).trim().split("\n")).toHaveLength(1);
    await app.close();
  });

  it("needs a state file", async () => {
    await expect(buildMockServer({ seed: SMALL, stateSync: true })).rejects.toThrow(/--state-sync needs a state file/);
  });
});
