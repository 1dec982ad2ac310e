/**
 * The replay's reports for CI: `--junit`, `--json` and `--reporter github` made from one check per replayed
 * request, by the contract run's own writers. The command replays a journal against a server that drops
 * `company` (fails) and against a mock with the same data (passes); the mapping is tested alone too.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReplayedRequest } from "../replay.ts";
import { replayJournal } from "../replay.ts";
import { replayCheck } from "../replay-report.ts";
import type { JsonReport } from "../report/json.ts";
import { contract } from "./contract-command.ts";
import { deadPort } from "./dead-port.ts";
import { type ReplayTargets, startReplayTargets } from "./replay-setup.ts";

/** The flags that ask the replay for every report: JUnit, JSON and GitHub's annotations and summary. */
const allReports = (junit: string, json: string) => ["--junit", junit, "--json", json, "--reporter", "github"];

const request = (outcome: ReplayedRequest["outcome"], reasons: string[]): ReplayedRequest => ({
  operationId: "getContact",
  method: "GET",
  path: "/contact/abc",
  outcome,
  reasons,
  mockStatus: 200,
});

describe("a replayed request as a check", () => {
  it.each([
    ["passed", [], { status: "pass" }],
    [
      "failed",
      ["your tests read `company` from getContact; the target does not send it", "getContact breaks the spec: x"],
      {
        status: "fail",
        error: "your tests read `company` from getContact; the target does not send it\ngetContact breaks the spec: x",
      },
    ],
    [
      "not sent",
      ["a write: --allow-writes sends it"],
      { status: "not run", reason: "not sent: a write: --allow-writes sends it" },
    ],
    [
      "not checked",
      ["it names abc of the mock's data, which the target does not have"],
      { status: "not run", reason: "not checked: it names abc of the mock's data, which the target does not have" },
    ],
  ] as const)(
    "%s: named by the spec's path and the path as sent, with its status and why",
    (outcome, reasons, want) => {
      const check = replayCheck(request(outcome, [...reasons]));
      expect(check).toEqual({
        name: "GET /contact/{contactId} › GET /contact/abc",
        suite: "replay",
        operations: ["getContact"],
        rule: "GET /contact/abc",
        ...want,
      });
    },
  );

  it("names an operation the spec does not have by the path it was sent to, without the query", () => {
    const check = replayCheck({
      ...request("not sent", ["the spec has no operation gone"]),
      operationId: "gone",
      path: "/gone?x=1",
    });
    expect(check).toMatchObject({ name: "GET /gone › GET /gone?x=1", operations: ["gone"], status: "not run" });
  });

  it("says a request once when it was sent to the spec's path itself", () => {
    const check = replayCheck({ ...request("passed", []), operationId: "getWorkspace", path: "/workspace" });
    expect(check).toMatchObject({ name: "GET /workspace", rule: "GET /workspace", operations: ["getWorkspace"] });
  });
});

describe("the replay's reports", () => {
  let targets: ReplayTargets;

  beforeAll(async () => {
    targets = await startReplayTargets();
  });
  afterAll(async () => {
    await targets?.close();
  });

  it("against a server that drops a field: JUnit and JSON with every request, annotations and a summary for GitHub", async () => {
    const junit = join(targets.folder, "reports", "replay.xml");
    const json = join(targets.folder, "reports", "replay.json");
    const summary = join(targets.folder, "summary.md");
    writeFileSync(summary, "# earlier step\n");
    const run = await contract(
      [
        "--replay",
        targets.journalFile,
        "--base-url",
        `${targets.proxy.origin}/public/v1`,
        "--api-key",
        targets.mock.apiKey,
        ...allReports(junit, json),
      ],
      { GITHUB_STEP_SUMMARY: summary },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`JUnit report: ${junit}`);
    expect(run.stdout).toContain(`JSON report: ${json}`);

    const xml = readFileSync(junit, "utf8");
    const entries = targets.journal.entries.length;
    expect(xml.match(/<testcase /g)).toHaveLength(entries);
    expect(xml).toContain(`<testsuite name="replay" tests="${entries}" failures="2"`);
    expect(xml).toContain('<testcase classname="getContact" name="GET /contact/{contactId} › GET /contact/');
    expect(xml).toContain('<failure message="your tests read `company` from getContact; the target does not send it">');
    expect(xml).toContain(
      '<failure message="your tests read `data[].company` from listContacts; the target does not send it">',
    );

    const report = JSON.parse(readFileSync(json, "utf8")) as JsonReport;
    // The counts are the command's own: its last line says how many requests passed, failed, were not sent.
    expect(report.counts).toEqual({ passed: 1, failed: 2, notRun: entries - 3 });
    expect(run.stdout).toContain(`(requests: 1 passed, 2 failed, 0 not checked, ${entries - 3} not sent)`);
    expect(report.checks).toHaveLength(entries);
    expect(report.ok).toBe(false);
    expect(report.failures.map((failure) => failure.operation)).toEqual(["listContacts", "getContact"]);
    expect(JSON.stringify(report)).not.toContain(targets.mock.apiKey);

    const annotations = run.stdout.split("\n").filter((line) => line.startsWith("::error "));
    expect(annotations).toHaveLength(2);
    expect(annotations[1]).toMatch(
      /^::error title=getContact%3A your tests read `company` from getContact; the target does not send it::/,
    );
    const markdown = readFileSync(summary, "utf8");
    expect(markdown.startsWith(`# earlier step\n### Replay of ${targets.journalFile} against`)).toBe(true);
    expect(markdown).toContain("1 pass, 2 fail, 6 not run");
    expect(markdown).toContain("- **getContact**: your tests read `company` from getContact");
  }, 60_000);

  it("of a passing replay: a JUnit file with every request and no failure", async () => {
    const junit = join(targets.folder, "passing.xml");
    const result = await replayJournal({
      journal: targets.journal,
      baseUrl: targets.mock.url,
      apiKey: targets.mock.apiKey,
      junit,
    });
    expect(result.exitCode).toBe(0);
    expect(result.junit).toBe(junit);
    const xml = readFileSync(junit, "utf8");
    expect(xml.match(/<testcase /g)).toHaveLength(targets.journal.entries.length);
    expect(xml).toContain('failures="0"');
    expect(xml).not.toContain("<failure");
  });

  it("are not written when the replay could not be made; GitHub gets the reason as an annotation", async () => {
    const junit = join(targets.folder, "none.xml");
    const json = join(targets.folder, "none.json");
    const run = await contract([
      "--replay",
      targets.journalFile,
      "--base-url",
      `http://127.0.0.1:${await deadPort()}/public/v1`,
      ...allReports(junit, json),
    ]);
    expect(run.code).toBe(2);
    expect(existsSync(junit)).toBe(false);
    expect(existsSync(json)).toBe(false);
    expect(run.stdout).toMatch(/^::error title=converseiq-contract could not run::Cannot reach /m);
    const unknown = await contract([
      "--replay",
      targets.journalFile,
      "--base-url",
      targets.mock.url,
      "--reporter",
      "teamcity",
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--reporter must be default or github; got teamcity");
  }, 60_000);
});
