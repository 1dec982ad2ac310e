/**
 * Fault injection, off by default: `errorRate` (a share of public requests answer a documented 429, 500
 * or 503 and change nothing), `rateLimit` (per API key, 429 with Retry-After, then recovery after the
 * window) and `latency`. Random, clock and scheduler are injected, so every test is deterministic: a delay
 * is read from what was asked of the scheduler, never timed. The flags that set them are read by the CLI
 * (cli/flags.ts).
 */
import { describe, expect, it } from "vitest";
import { buildMockServer } from "../app.ts";
import { Clock } from "../clock.ts";
import { ManualScheduler } from "../scheduler.ts";
import { DEFAULT_SEED } from "../store/seed.ts";
import { operation, operations, send, sendWaiting, validRequest } from "./behaviour-support.ts";

const workspace = operation("getWorkspace");

describe("error rate", () => {
  it("at 1, faults every public request with a documented 429, 500 or 503, and changes no state", async () => {
    const app = await buildMockServer({ errorRate: 1 });
    const before = app.store.snapshot();
    const seen = new Set<number>();
    for (const op of operations) {
      for (let i = 0; i < 4; i++) {
        const answer = await send(app, op, validRequest(op));
        expect([429, 500, 503]).toContain(answer.status);
        if (answer.status === 429) expect(Number(answer.headers["retry-after"])).toBeGreaterThanOrEqual(1);
        seen.add(answer.status);
      }
    }
    expect([...seen].sort()).toEqual([429, 500, 503]);
    expect(app.store.snapshot()).toEqual(before);
    await app.close();
  });

  it("at 0, and by default, never faults", async () => {
    for (const options of [{}, { errorRate: 0 }]) {
      const app = await buildMockServer(options);
      for (let i = 0; i < 50; i++) expect((await send(app, workspace, validRequest(workspace))).status).toBe(200);
      await app.close();
    }
  });

  it("faults a request whose draw is below the rate, picking the fault with the next draw", async () => {
    let n = 0;
    // Draws 0, 0.1, ..., 0.9, 0, ...: the draws 0 and 0.2 are below 0.3 and fault, each followed by the draw
    // that picks the fault (0.1 and 0.3, both the first of three: 429); 0.4 to 0.9 pass. So every 8 requests
    // use 10 draws and the first two of them fault: 26 of 100, requests 0, 1, 8, 9, ..., 96, 97.
    const app = await buildMockServer({ errorRate: 0.3, random: () => (n++ % 10) / 10 });
    const faulted: string[] = [];
    for (let i = 0; i < 100; i++) {
      const { status } = await send(app, workspace, validRequest(workspace));
      if (status !== 200) faulted.push(`${i}: ${status}`);
    }
    expect(faulted).toEqual(Array.from({ length: 26 }, (_, k) => `${8 * Math.floor(k / 2) + (k % 2)}: 429`));
    await app.close();
  });

  it("replays the same faults for the same seed, and others for another seed", async () => {
    const statuses = async (seed: number) => {
      const app = await buildMockServer({ errorRate: 0.5, seed: { ...DEFAULT_SEED, seed } });
      const result: number[] = [];
      for (let i = 0; i < 30; i++) result.push((await app.inject(validRequest(workspace))).statusCode);
      await app.close();
      return result;
    };
    const first = await statuses(7);
    expect(await statuses(7)).toEqual(first);
    // What seed 7 gives at a rate of 0.5: a change of the generator or of how faults draw from it shows here.
    expect(first.filter((status) => status !== 200)).toHaveLength(14);
    expect(new Set(first)).toEqual(new Set([200, 429, 500, 503]));
    expect(await statuses(11)).not.toEqual(first);
  });

  it("starts its faults afresh on an admin reset: the same ones as a start with that seed", async () => {
    const draw = async (app: Awaited<ReturnType<typeof buildMockServer>>) => {
      const result: number[] = [];
      for (let i = 0; i < 30; i++) result.push((await app.inject(validRequest(workspace))).statusCode);
      return result;
    };
    const started = async (seed: number) => {
      const app = await buildMockServer({ errorRate: 0.5, seed: { ...DEFAULT_SEED, seed } });
      const result = await draw(app);
      await app.close();
      return result;
    };
    const app = await buildMockServer({ errorRate: 0.5, seed: { ...DEFAULT_SEED, seed: 7 } });
    await draw(app);
    const reset = (body: object) => app.inject({ method: "POST", url: "/__admin/reset", payload: body });
    expect((await reset({})).statusCode).toBe(200);
    expect(await draw(app)).toEqual(await started(7));
    expect((await reset({ seed: 11 })).statusCode).toBe(200);
    expect(await draw(app)).toEqual(await started(11));
    expect(await started(11)).not.toEqual(await started(7));
    await app.close();
  });

  it("leaves requests without a valid key to auth: they are 401, not faults", async () => {
    const app = await buildMockServer({ errorRate: 1 });
    const request = validRequest(workspace);
    request.headers = { "x-api-key": "wrong" };
    expect((await send(app, workspace, request)).status).toBe(401);
    await app.close();
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After after the limit, and recovers when the window has passed", async () => {
    const clock = new Clock("2026-03-01T00:00:00Z");
    const app = await buildMockServer({ rateLimit: { limit: 3, windowMs: 60_000 }, clock });
    for (let i = 0; i < 3; i++) expect((await send(app, workspace, validRequest(workspace))).status).toBe(200);

    const limited = await send(app, workspace, validRequest(workspace));
    expect(limited).toMatchObject({ status: 429, body: { code: "rate_limited" } });
    expect(limited.headers["retry-after"]).toBe("60");

    await clock.advance(45_000);
    expect((await send(app, workspace, validRequest(workspace))).headers["retry-after"]).toBe("15");
    await clock.advance(15_000);
    expect((await send(app, workspace, validRequest(workspace))).status).toBe(200);
    await app.close();
  });

  it("counts each API key on its own, and a faulted create changes nothing", async () => {
    const app = await buildMockServer({
      apiKeys: ["key-a", "key-b"],
      rateLimit: { limit: 1, windowMs: 1000 },
      clock: new Clock(0),
    });
    const create = operation("createContact");
    const before = app.store.snapshot();
    const asA = (op = workspace) => validRequest(op, { "x-api-key": "key-a" });
    expect((await send(app, workspace, asA())).status).toBe(200);
    expect((await send(app, create, asA(create))).status).toBe(429);
    expect(app.store.snapshot()).toEqual(before);
    expect((await send(app, workspace, validRequest(workspace, { "x-api-key": "key-b" }))).status).toBe(200);
    await app.close();
  });

  it("is checked after auth: a request without a key is 401 and does not count", async () => {
    const app = await buildMockServer({ rateLimit: { limit: 1, windowMs: 60_000 }, clock: new Clock(0) });
    const anonymous = validRequest(workspace);
    anonymous.headers = {};
    for (let i = 0; i < 3; i++) expect((await send(app, workspace, anonymous)).status).toBe(401);
    expect((await send(app, workspace, validRequest(workspace))).status).toBe(200);
    await app.close();
  });

  it("does not apply to the admin API", async () => {
    const app = await buildMockServer({ rateLimit: { limit: 1, windowMs: 60_000 }, errorRate: 1, clock: new Clock(0) });
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: "/__admin/fixtures" })).statusCode).toBe(200);
    await app.close();
  });

  it("reads its windows from the scheduler given in place of the clock's", async () => {
    const scheduler = new ManualScheduler();
    const app = await buildMockServer({ rateLimit: { limit: 1, windowMs: 2000 }, scheduler });
    expect((await send(app, workspace, validRequest(workspace))).status).toBe(200);
    expect((await send(app, workspace, validRequest(workspace))).headers["retry-after"]).toBe("2");
    scheduler.advance(1999);
    expect((await send(app, workspace, validRequest(workspace))).headers["retry-after"]).toBe("1");
    scheduler.advance(1);
    expect((await send(app, workspace, validRequest(workspace))).status).toBe(200);
    await app.close();
  });
});

describe("latency", () => {
  it("delays every public answer by a time in the range, drawn from the random source", async () => {
    const scheduler = new ManualScheduler();
    const draws = [0, 0.5, 0.999];
    const app = await buildMockServer({ latency: { min: 40, max: 60 }, scheduler, random: () => draws.shift() ?? 0 });
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { waitedMs, answer } = await sendWaiting(app, scheduler, workspace, validRequest(workspace));
      expect(answer.status).toBe(200);
      waits.push(waitedMs);
    }
    expect(waits).toEqual([40, 50, 60]);
    await app.close();
  });
});

describe("options", () => {
  it.each([
    [{ errorRate: 1.5 }, "errorRate"],
    [{ errorRate: -0.1 }, "errorRate"],
    [{ latency: { min: 200, max: 50 } }, "latency"],
    [{ latency: { min: 0, max: 60_000 } }, "latency"],
    [{ rateLimit: { limit: 0, windowMs: 1000 } }, "rateLimit.limit"],
    [{ rateLimit: { limit: 10, windowMs: 0 } }, "rateLimit.windowMs"],
  ])("refuses %j at start", async (options, says) => {
    await expect(buildMockServer(options)).rejects.toThrow(says);
  });
});
