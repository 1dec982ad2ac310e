/**
 * Scenarios: the mock's five, each judged by what the public API then answers (by the spec's statuses and
 * the paging fields), turned on in process, at start (`scenario` option, `--scenario`) or from a file of
 * the user's (`--scenarios FILE`, checked against the admin spec's `ScenarioFile`); a reset turns one off.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCli } from "../cli/flags.ts";
import { UsageError } from "../cli/values.ts";
import { ManualScheduler } from "../scheduler.ts";
import type { MockFetch, MockFetchOptions } from "../transports/fetch.ts";
import { call, startFetchMock } from "./fetch-mock.ts";

const start = (options: MockFetchOptions = {}): MockFetch =>
  startFetchMock({ seed: 9, contacts: 6, chats: 3, team: 2, channels: 2, bots: 1 }, options);
const reset = (mock: MockFetch) =>
  mock.fetch(`${new URL(mock.baseUrl).origin}/__admin/reset`, {
    method: "POST",
    headers: { "content-type": "application/json" },
  });

describe("the mock's scenarios", () => {
  it("rate-limited: every operation answers 429 with Retry-After, until a reset", async () => {
    const mock = start();
    await mock.scenario("rate-limited");
    for (const path of ["/workspace", "/contact", "/chat", "/team"]) {
      const answer = await call(mock, "GET", path);
      expect(answer.status).toBe(429);
      expect(answer.headers.get("retry-after")).toMatch(/^\d+$/);
    }
    expect((await call(mock, "POST", "/contact", { name: "A" })).status).toBe(429);
    await reset(mock);
    expect((await call(mock, "GET", "/contact")).status).toBe(200);
  });

  it("outage: reads answer 503 and writes lose their connection, changing nothing", async () => {
    const mock = start();
    const before = mock.store.state.contacts.size;
    await mock.scenario("outage");
    const read = await call(mock, "GET", "/contact");
    expect(read.status).toBe(503);
    expect(read.body).toMatchObject({ code: "service_unavailable" });
    await expect(call(mock, "POST", "/contact", { name: "A" })).rejects.toBeInstanceOf(TypeError);
    expect(mock.store.state.contacts.size).toBe(before);
  });

  it("slow: every answer waits on the mock's scheduler, then is the usual one", async () => {
    const scheduler = new ManualScheduler();
    const mock = start({ scheduler });
    await mock.scenario("slow");
    const answered = call(mock, "GET", "/workspace");
    const delay = await scheduler.nextTimer();
    expect(delay).toBeGreaterThan(0);
    scheduler.advance(delay);
    expect((await answered).status).toBe(200);
  });

  it("empty: no contacts or chats, and a reset brings the seeded data back", async () => {
    const mock = start();
    await mock.scenario("empty");
    expect((await call(mock, "GET", "/contact")).body).toMatchObject({ data: [], total: 0 });
    expect((await call(mock, "GET", "/chat")).body).toMatchObject({ data: [], total: 0 });
    await reset(mock);
    expect((await call(mock, "GET", "/contact")).body).toMatchObject({ total: 6 });
  });

  it("full: thousands of contacts with chats, the same on every run, for paging", async () => {
    const mock = start();
    await mock.scenario("full");
    const page = await call(mock, "GET", "/contact?page=3&limit=100");
    expect(page.body).toMatchObject({ page: 3, limit: 100, total: 5000, pages: 50 });
    expect(page.body.data).toHaveLength(100);
    expect((await call(mock, "GET", "/chat?limit=1")).body).toMatchObject({ total: 5000 });

    const again = start();
    await again.scenario("full");
    expect((await call(again, "GET", "/contact?page=3&limit=100")).body).toEqual(page.body);
  }, 60_000);

  it("is turned on at start with the `scenario` option, and GET /__admin/scenario says which", async () => {
    const mock = start({ scenario: "rate-limited" });
    expect((await call(mock, "GET", "/workspace")).status).toBe(429);
    const status = await mock.fetch(`${new URL(mock.baseUrl).origin}/__admin/scenario`);
    expect(await status.json()).toMatchObject({ active: "rate-limited" });
  });

  it("refuses an unknown name, listing the known ones", async () => {
    const mock = start();
    await expect(mock.scenario("nope")).rejects.toThrow(/scenarios are rate-limited, outage, slow, empty, full/);
  });
});

describe("scenarios of the user's (--scenarios FILE) and --scenario", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "scenarios-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const file = async (name: string, content: unknown) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(content));
    return path;
  };
  const usageError = (argv: string[]) => {
    try {
      parseCli(argv);
    } catch (error) {
      if (error instanceof UsageError) return error.message;
      throw error;
    }
    throw new Error("no error");
  };

  it("reads a file of scenarios, turns one of them on at start, and serves it", async () => {
    const path = await file("ok.json", {
      scenarios: {
        "team-down": {
          description: "The team list is rate-limited",
          overrides: [{ operationId: "listTeamMembers", status: 429 }],
          seed: { contacts: 1 },
        },
      },
    });
    const request = parseCli(["--scenarios", path, "--scenario", "team-down"]);
    if (request.help) throw new Error("help");
    const mock = start(request.config.options);
    expect((await call(mock, "GET", "/team")).status).toBe(429);
    expect((await call(mock, "GET", "/contact")).body).toMatchObject({ total: 1 });
  });

  it("refuses a file the ScenarioFile schema refuses, and an override the public spec refuses, naming the field", async () => {
    const shape = await file("shape.json", { scenarios: { Bad_Name: {} } });
    expect(usageError(["--scenarios", shape])).toMatch(
      /^--scenarios: .*shape\.json is no ScenarioFile of the admin spec/,
    );

    const status = await file("status.json", {
      scenarios: { broken: { overrides: [{ operationId: "getWorkspace", status: 404 }] } },
    });
    expect(usageError(["--scenarios", status])).toContain("/scenarios/broken/overrides/0/status");
  });

  it("refuses --scenario with an unknown name, listing the known ones", () => {
    expect(usageError(["--scenario", "nope"])).toMatch(/^--scenario: No scenario is named "nope"; the scenarios are /);
  });
});
