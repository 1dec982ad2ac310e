/**
 * One defect, one failure: every suite against a mock with one fault (run/faults.ts), and the checks that
 * fail are exactly those of the broken operation and rule; every other check passes, or did not run and
 * says why ("not run: needs listContacts, which fails"). Each run is `runContract` in a child process
 * (fault-run.ts: the in-process mock, small fuzzing and model runs), its JSON report read back.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FaultName } from "../faults.ts";
import type { JsonReport } from "../report/json.ts";

const SCRIPT = new URL("./fault-run.ts", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "contract-faults-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runWithFault(fault: FaultName): Promise<JsonReport> {
  const json = join(dir, `${fault.replace(/\W+/g, "-")}.json`);
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST") && !name.startsWith("CONTRACT_")),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, fault, json], { env, stdio: "pipe" });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", () => {
      try {
        resolve(JSON.parse(readFileSync(json, "utf8")) as JsonReport);
      } catch {
        reject(new Error(`no JSON report from the run with "${fault}":\n${output}`));
      }
    });
  });
}

const createContactInvalid = [
  "createContact (POST /contact) › answers input with one part broken with 400, and changes nothing",
  "createContact (POST /contact) › rejects invalid data with 400, naming what is wrong",
  'createContact › refuses email: "not-an-email" with 400 naming the field',
  'createContact › refuses ip: "999.1.1.1" with 400 naming the field',
  'createContact › refuses origin: "not a url" with 400 naming the field',
  "createContact › refuses name: 42 with 400 naming the field",
  'createContact › refuses emial: "typo@example.com" with 400 naming the field',
  "createContact › refuses a body that is not well-formed JSON with 400",
  "createContact › refuses a body that is not a JSON object with 400",
];

const cases: [FaultName, string[]][] = [
  [
    "listContacts page shape",
    [
      "listContacts (GET /contact) › answers valid input with 2xx or a documented 4xx, never a 5xx, always as the spec says",
      "listContacts (GET /contact) › accepts valid data with a documented 2xx",
      "listContacts (GET /contact) › defaults to page 1 with 20 items per page",
      "listContacts (GET /contact) › accepts the bounds of limit, 1 and 100",
      "listContacts (GET /contact) › pagination: pages = ceil(total / limit)",
      "listContacts (GET /contact) › yields each item exactly once when every page is walked",
      "listContacts (GET /contact) › answers a page past the end with empty data and the same totals",
    ],
  ],
  [
    "getContact without 401",
    ["getContact (GET /contact/{contactId}) › answers 401 without x-api-key and with a wrong one"],
  ],
  ["createContact 500 on bad input", createContactInvalid],
  [
    "listChatMessages oldest first",
    ["createChatMessage, listChatMessages and getChatMessage: the messages of a chat › are listed newest first"],
  ],
  [
    "getContact undocumented property",
    [
      "getContact (GET /contact/{contactId}) › answers valid input with 2xx or a documented 4xx, never a 5xx, always as the spec says",
      "getContact (GET /contact/{contactId}) › accepts valid data with a documented 2xx",
      "createContact (POST /contact) › makes what it created readable by getContact (resource availability)",
    ],
  ],
  [
    "deleteContact with a body",
    [
      "deleteContact (DELETE /contact/{contactId}) › answers valid input with 2xx or a documented 4xx, never a 5xx, always as the spec says",
      "deleteContact (DELETE /contact/{contactId}) › accepts valid data with a documented 2xx",
      "deleteContact (DELETE /contact/{contactId}) › makes getContact, updateContact, deleteContact answer 404 afterwards (use after free)",
      "deleteContact › answers 200 with an empty body",
      "deleteContact › makes GET, PUT and DELETE of its id answer 404, and frees its email",
    ],
  ],
];

describe.concurrent("against a mock with one fault", { timeout: 600_000 }, () => {
  it.each(cases)("%s: only the checks of that operation and rule fail", async (fault, failing) => {
    const report = await runWithFault(fault);
    const failed = report.checks.filter((c) => c.status === "fail").map((c) => c.name);
    expect(failed.sort()).toEqual([...failing].sort());
    // The operation is named by every failing check, and the failures are told once each.
    const operation = fault.split(" ")[0] as string;
    for (const check of report.checks.filter((c) => c.status === "fail")) expect(check.operations).toContain(operation);
    for (const check of report.checks.filter((c) => c.status === "not run")) expect(check.reason).toBeTruthy();
    expect(report.failures.every((f) => f.operation.split(", ").includes(operation))).toBe(true);
  });
});
