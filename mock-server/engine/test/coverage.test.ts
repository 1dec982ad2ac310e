/**
 * Coverage of a consumer's tests (coverage.ts): which documented statuses the engine has answered, by
 * operation, counted from every answer and kept through the journal's truncation and the admin reset; its
 * table; and `--coverage-require`'s requirements.
 */
import { describe, expect, it } from "vitest";
import { listOperations, publicSpec } from "../../../lib/spec.ts";
import { guid, SMALL_SEED } from "../../test/store-fixtures.ts";
import {
  type CoverageReport,
  formatCoverage,
  type OperationCoverage,
  parseCoverageRequirement,
  unmetRequirements,
} from "../coverage.ts";
import { createEngine, type EngineOptions } from "../index.ts";

const KEY = "coverage-test-key";
const UNKNOWN = guid(999, "eeee");

function setUp(options: EngineOptions = {}) {
  const engine = createEngine({ apiKeys: [KEY], seed: SMALL_SEED, ...options });
  const contact = engine.store.snapshot().contacts[0]?.guid ?? "";
  const call = (method: string, path: string, body?: string) =>
    engine.handle({
      method,
      url: path,
      headers: { "x-api-key": KEY, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body }),
    });
  const admin = async (method: string) => {
    const answer = await engine.handle({ method, url: "/__admin/coverage", headers: {} });
    return {
      status: answer.status,
      report: answer.body ? (JSON.parse(String(answer.body)) as CoverageReport) : undefined,
    };
  };
  return { engine, contact, call, admin };
}

const operation = (report: CoverageReport, id: string) =>
  report.operations.find((op) => op.operationId === id) as OperationCoverage;

describe("the coverage report", () => {
  it("has every documented status of every operation missing on a fresh mock", () => {
    const { engine } = setUp();
    const report = engine.coverage.report();
    expect(report.operations).toHaveLength(listOperations(publicSpec).length);
    expect(report.covered).toBe(0);
    expect(report.total).toBe(report.operations.reduce((sum, op) => sum + op.total, 0));
    for (const op of report.operations) {
      expect(op.covered).toBe(0);
      expect(op.missing).toEqual(op.statuses.map((s) => s.status));
      expect(op.undocumented).toEqual([]);
    }
  });

  it("lists an operation's keys and, for its default response, the 500 and 503 the mock answers through it", () => {
    const { engine } = setUp();
    const getContact = operation(engine.coverage.report(), "getContact");
    expect(getContact).toMatchObject({ method: "GET", path: "/contact/{contactId}", total: 7 });
    expect(getContact.statuses.map((s) => [s.status, s.documentedAs])).toEqual([
      [200, "200"],
      [400, "400"],
      [401, "401"],
      [404, "404"],
      [429, "429"],
      [500, "default"],
      [503, "default"],
    ]);
  });

  it("after a 200 and a 404 on getContact, has those two covered with their counts and the rest missing", async () => {
    const { contact, call, engine } = setUp();
    expect((await call("GET", `/public/v1/contact/${contact}`)).status).toBe(200);
    expect((await call("GET", `/public/v1/contact/${contact}`)).status).toBe(200);
    expect((await call("GET", `/public/v1/contact/${UNKNOWN}`)).status).toBe(404);
    const report = engine.coverage.report();
    const getContact = operation(report, "getContact");
    expect(getContact.statuses.filter((s) => s.count > 0)).toEqual([
      { status: 200, documentedAs: "200", count: 2 },
      { status: 404, documentedAs: "404", count: 1 },
    ]);
    expect(getContact).toMatchObject({ covered: 2, total: 7, missing: [400, 401, 429, 500, 503] });
    expect(report.covered).toBe(2);
    expect(report.operations.filter((op) => op.covered > 0).map((op) => op.operationId)).toEqual(["getContact"]);
  });

  it("counts a Prefer answer and a refused key as answers of the operation", async () => {
    const { contact, engine } = setUp();
    await engine.handle({
      method: "GET",
      url: `/public/v1/contact/${contact}`,
      headers: { prefer: "code=503", "x-api-key": KEY },
    });
    await engine.handle({ method: "GET", url: `/public/v1/contact/${contact}`, headers: {} });
    const getContact = operation(engine.coverage.report(), "getContact");
    expect(getContact.statuses.filter((s) => s.count > 0).map((s) => s.status)).toEqual([401, 503]);
  });

  it("leaves out answers of no operation (unknown paths, the admin API)", async () => {
    const { call, engine } = setUp();
    await call("GET", "/public/v1/nothing-here");
    await call("GET", "/__admin/fixtures");
    expect(engine.coverage.report().covered).toBe(0);
  });

  it("keeps counting past the journal's capacity", async () => {
    const { call, engine } = setUp({ journalCapacity: 2 });
    for (let i = 0; i < 5; i++) await call("GET", "/public/v1/workspace");
    expect(engine.journal.list().data).toHaveLength(2);
    expect(operation(engine.coverage.report(), "getWorkspace").statuses[0]).toEqual({
      status: 200,
      documentedAs: "200",
      count: 5,
    });
  });
});

describe("GET and DELETE /__admin/coverage", () => {
  it("answers the report, which POST /__admin/reset leaves alone and DELETE clears", async () => {
    const { admin, call, contact, engine } = setUp();
    await call("GET", `/public/v1/contact/${contact}`);
    await engine.handle({ method: "POST", url: "/__admin/reset", headers: {} });
    const before = await admin("GET");
    expect(before.status).toBe(200);
    expect(before.report).toEqual(engine.coverage.report());
    expect(before.report?.covered).toBe(1);
    expect((await admin("DELETE")).status).toBe(200);
    expect((await admin("GET")).report?.covered).toBe(0);
  });
});

describe("formatCoverage", () => {
  it("prints one aligned line per operation, answered statuses with their counts, missing ones with a minus", async () => {
    const { contact, call, engine } = setUp();
    await call("GET", `/public/v1/contact/${contact}`);
    await call("GET", `/public/v1/contact/${UNKNOWN}`);
    await call("GET", `/public/v1/contact/${UNKNOWN}`);
    const lines = formatCoverage(engine.coverage.report()).trimEnd().split("\n");
    expect(lines[0]).toBe("Coverage of the documented statuses:");
    expect(lines).toHaveLength(1 + 1 + listOperations(publicSpec).length + 1);
    const getContact = lines.find((line) => line.startsWith("getContact ")) ?? "";
    expect(getContact).toMatch(
      /^getContact +GET \/contact\/\{contactId\} +2\/7 {2}200×1 -400 -401 404×2 -429 -500 -503$/,
    );
    // Aligned: the route and the ratio start in the same column on every line.
    const rows = lines.slice(1, -1);
    const routeColumn = (line: string) => line.search(/ {2}\S/) + 2;
    expect(new Set(rows.map(routeColumn)).size).toBe(1);
    expect(lines.at(-1)).toMatch(/^2 of \d+ documented statuses answered \(\d+%\)\.$/);
  });

  it("shows answered statuses an operation does not document after `undocumented:`", () => {
    const report: CoverageReport = {
      covered: 0,
      total: 1,
      operations: [
        {
          operationId: "getWorkspace",
          method: "GET",
          path: "/workspace",
          covered: 0,
          total: 1,
          statuses: [{ status: 200, documentedAs: "200", count: 0 }],
          missing: [200],
          undocumented: [{ status: 418, count: 2 }],
        },
      ],
    };
    expect(formatCoverage(report)).toContain("0/1  -200 undocumented: 418×2");
  });
});

describe("--coverage-require", () => {
  it.each([
    ["404", { status: 404 }],
    [" 429 ", { status: 429 }],
    ["getContact:404", { operationId: "getContact", status: 404 }],
  ])("reads %j", (text, want) => {
    expect(parseCoverageRequirement(text)).toEqual(want);
  });

  it.each(["", "4040", "abc", "getContact:", ":404", "600"])("refuses %j", (text) => {
    expect(() => parseCoverageRequirement(text)).toThrow(RangeError);
  });

  it("is met by a status any operation answered, or by that operation's, and says why when not", async () => {
    const { call, engine } = setUp();
    await call("GET", `/public/v1/contact/${UNKNOWN}`);
    const report = engine.coverage.report();
    const read = (texts: string[]) => unmetRequirements(report, texts.map(parseCoverageRequirement));
    expect(read(["404", "getContact:404"])).toEqual([]);
    expect(read(["429", "getChat:404", "getWorkspace:404", "nope:200", "302"])).toEqual([
      "429: never answered",
      "getChat:404: never answered",
      "getWorkspace:404: not documented",
      "nope:200: no operation nope in the spec",
      "302: not documented by any operation",
    ]);
  });
});
