/**
 * The runner's reports from given checks: identical failures once with a count, the table of operations
 * by suites, JUnit XML one test case per check, GitHub annotations escaped as the Actions toolkit does,
 * and a job summary appended to the file `GITHUB_STEP_SUMMARY` names.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CheckRecord, distinctFailures } from "../report/checks.ts";
import { escapeData, escapeProperty, githubAnnotations, reportToGithub } from "../report/github.ts";
import { jsonReport } from "../report/json.ts";
import { junitXml } from "../report/junit.ts";
import { tableText, textReport } from "../report/text.ts";

const violation = (path: string, id: string) => `The response breaks the contract (target: in-process mock)
  request:  GET ${path} (listContacts)
  response: 200 application/json, judged as the documented "200"  body: {"items":[{"guid":"${id}"}]}
  broke:
    - [schema] (body) must have required property 'data'  (schema #/required)`;

const records: CheckRecord[] = [
  {
    name: "listContacts › pagination: pages = ceil(total / limit)",
    suite: "pagination",
    operations: ["listContacts"],
    rule: "pagination: pages = ceil(total / limit)",
    status: "fail",
    error: violation("/contact?limit=1", "ffb84da2-edfb-496e-8d00-6cf296fdd764"),
  },
  {
    name: "listContacts › accepts valid data",
    suite: "conformance",
    operations: ["listContacts"],
    rule: "accepts valid data",
    status: "fail",
    error: violation("/contact?limit=5", "e58c69df-2e74-47f7-85a3-12222a25e7a2"),
  },
  {
    name: "getContact › answers 401 <without> a key",
    suite: "conformance",
    operations: ["getContact"],
    rule: "answers 401 <without> a key",
    status: "fail",
    error: "expected 200 to be 401 // Object.is equality",
  },
  {
    name: "createContact › lists the new contact",
    suite: "contacts",
    operations: ["createContact"],
    rule: "lists the new contact",
    status: "not run",
    reason: "not run: needs listContacts, which fails",
  },
  {
    name: "getWorkspace › is described",
    suite: "workspace-team",
    operations: ["getWorkspace"],
    rule: "is described",
    status: "pass",
  },
];
const suites = ["pagination", "contacts", "workspace-team", "conformance"];

describe("the runner's reports", () => {
  it("show identical failures once, with their count, the first request and the rule", () => {
    const failures = distinctFailures(records);
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({
      operation: "listContacts",
      count: 2,
      request: "GET /contact?limit=1 (listContacts)",
      rule: "[schema] (body) must have required property 'data'  (schema #/required)",
    });
    expect(failures[1]).toMatchObject({
      operation: "getContact",
      count: 1,
      rule: "expected 200 to be 401 // Object.is equality",
    });
  });

  it("put operations down and suites across, each cell pass, FAIL or – (no check ran there)", () => {
    expect(tableText(records, suites)).toEqual([
      "operation      pagination  contacts  workspace-team  conformance",
      "getWorkspace   –           –         pass            –",
      "listContacts   FAIL        –         –               FAIL",
      "createContact  –           –         –               –",
      "getContact     –           –         –               FAIL",
    ]);
  });

  it("say why checks did not run, by reason with a count", () => {
    expect(textReport(records, suites, "in-process mock")).toContain("1 × not run: needs listContacts, which fails");
  });

  it("write JUnit XML with one test case per check, escaped, a skipped one with its reason", () => {
    const xml = junitXml(records, suites);
    expect(xml.match(/<testcase /g)).toHaveLength(records.length);
    expect(xml).toContain('name="getContact › answers 401 &lt;without&gt; a key"');
    expect(xml).toContain('<skipped message="not run: needs listContacts, which fails"/>');
    expect(xml).toContain('<testsuites name="converseiq-contract" tests="5" failures="3" skipped="1">');
  });

  it("write JSON for tools: every check, and the distinct failures with counts", () => {
    const json = jsonReport(records, "in-process mock", false);
    expect(json.counts).toEqual({ passed: 1, failed: 3, notRun: 1 });
    expect(json.failures.map((f) => f.count)).toEqual([2, 1]);
  });

  it("annotate for GitHub Actions with %, CR, LF (and : , in properties) escaped", () => {
    expect(escapeData("50% done\r\nnext")).toBe("50%25 done%0D%0Anext");
    expect(escapeProperty("a: b, c")).toBe("a%3A b%2C c");
    const [first] = githubAnnotations(records);
    expect(first).toMatch(/^::error title=listContacts%3A \[schema\] \(body\) must have required property 'data' /);
    expect(first).not.toContain("\n");
  });

  it("append a Markdown job summary to GITHUB_STEP_SUMMARY when it is set", () => {
    const dir = mkdtempSync(join(tmpdir(), "contract-report-"));
    try {
      const file = join(dir, "summary.md");
      const printed: string[] = [];
      reportToGithub(records, suites, "in-process mock", { GITHUB_STEP_SUMMARY: file }, (line) => printed.push(line));
      expect(printed).toHaveLength(2);
      const markdown = readFileSync(file, "utf8");
      expect(markdown).toContain("| operation | pagination | contacts | workspace-team | conformance |");
      expect(markdown).toContain("| listContacts | ❌ FAIL | – | – | ❌ FAIL |");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
