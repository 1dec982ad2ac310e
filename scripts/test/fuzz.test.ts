import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeFuzz, runFuzz } from "../fuzz/run.ts";
import { fuzzedOperations, type WireRequest, wireRequestArbitrary } from "../fuzz/wire-requests.ts";

describe("the fuzz run (npm run fuzz), 300 requests of it", { timeout: 120_000 }, () => {
  it("gets no 5xx, and every rejected request leaves the state as it was", async () => {
    const result = await runFuzz({ runs: 300, seed: 20, timeLimitMs: 100_000 });
    expect(result.failure, describeFuzz(result).join("\n")).toBeUndefined();
    expect(result.sent).toBe(300);
    expect(result.byClass["5xx"] ?? 0).toBe(0);
    // Both sides of the rule are exercised: requests taken and requests rejected.
    expect(result.byClass["2xx"]).toBeGreaterThan(0);
    expect(result.rejected).toBeGreaterThan(0);
  });

  it("makes requests for every public and admin operation of the specs", () => {
    const ids = fuzzedOperations().map(({ op }) => op.id);
    expect(ids).toEqual(expect.arrayContaining(["createContact", "resetState", "importState", "addWebhook"]));
    const target = { apiKey: "k", webhookUrl: "http://127.0.0.1:9/hook", pools: {} };
    const made = fc.sample(wireRequestArbitrary(target), { numRuns: 1500, seed: 20 });
    const reached = new Set(made.map((r) => r.label.split(",")[0]));
    expect(ids.filter((id) => !reached.has(id))).toEqual([]);
  });

  it("names the first request that broke a rule, and the seed that replays it", () => {
    const request: WireRequest = { method: "PUT", url: "/__admin/state", headers: {}, body: "{", label: "importState" };
    const lines = describeFuzz({
      seed: 7,
      runs: 10,
      sent: 3,
      byClass: { "5xx": 1 },
      byStatus: { 500: 1 },
      rejected: 0,
      notSent: 0,
      compared: 0,
      ms: 10,
      timedOut: false,
      failure: { index: 3, request, rule: "a 5xx answer", status: 500 },
    });
    expect(lines[0]).toContain("FUZZ_SEED=7");
    expect(lines).toContain("FAILED at request 3: a 5xx answer (500)");
    expect(lines.join("\n")).toContain("PUT /__admin/state");
  });
});
