import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JournalFile } from "../../../mock-server/engine/journal-file.ts";
import type { RunningMock } from "../../../mock-server/start-mock.ts";
import type { EditingProxy } from "../editing-proxy.ts";
import { replayJournal } from "../replay.ts";
import { checkJournalFile, JournalFileError } from "../replay-file.ts";
import { contract } from "./contract-command.ts";
import { deadPort } from "./dead-port.ts";
import { type ReplayTargets, startReplayTargets } from "./replay-setup.ts";

describe("replaying a consumer's journal", () => {
  let targets: ReplayTargets;
  let journal: JournalFile;
  let mock: RunningMock;
  let proxy: EditingProxy;
  let folder: string;

  beforeAll(async () => {
    targets = await startReplayTargets();
    ({ journal, mock, proxy, folder } = targets);
  });
  afterAll(async () => {
    await targets?.close();
  });

  it("records the public requests with their bodies, marks the Prefer answer simulated, and holds no key", () => {
    expect(journal.entries.map((entry) => `${entry.method} ${entry.operationId} ${entry.status}`)).toEqual([
      "GET getWorkspace 200",
      "GET listContacts 200",
      "GET getContact 200",
      "POST createContact 200",
      "PUT updateContact 200",
      "GET getContact 200",
      "GET getContact 404",
      "POST createContact 200",
      "DELETE deleteContact 200",
    ]);
    expect(journal.entries[6]?.simulated).toBe(true);
    expect(journal.entries[3]?.requestBody).toEqual({ name: "Replay", email: "replay@example.com" });
    expect(JSON.stringify(journal)).not.toContain("mock-api-key");
  });

  it("passes against a fresh mock over HTTP, sending the reads only, with the target's ids for the mock's", async () => {
    const result = await replayJournal({ journal, baseUrl: mock.url, apiKey: mock.apiKey });
    const [firstOfList] = (await mock.client.GET("/contact", { params: { query: { limit: 1 } } })).data?.data ?? [];
    expect(result.requests[2]?.path).toBe(`/contact/${firstOfList?.guid}`);
    expect(journal.entries[2]?.path).not.toBe(result.requests[2]?.path);
    expect(result.failures).toEqual([]);
    expect(result.exitCode).toBe(0);
    const outcomes = result.requests.map((request) => request.outcome);
    expect(outcomes.filter((outcome) => outcome === "passed")).toHaveLength(3);
    expect(result.lines.at(-1)).toMatch(/every replayed answer held/);
  });

  it("with --allow-writes sends the writes with the target's ids, and leaves the target as it found it", async () => {
    const before = await mock.snapshot();
    const result = await replayJournal({ journal, baseUrl: mock.url, apiKey: mock.apiKey, allowWrites: true });
    expect(result.failures).toEqual([]);
    expect(result.exitCode).toBe(0);
    // Every request but the simulated one was sent; the created contacts were read back under the target's ids.
    expect(result.requests.filter((request) => request.outcome === "passed")).toHaveLength(8);
    expect(result.leftOnTarget).toEqual([]);
    expect(await mock.snapshot()).toEqual(before);
  });

  it("fails against a server that drops one field, naming the field and each operation once", async () => {
    const result = await replayJournal({ journal, baseUrl: `${proxy.origin}/public/v1`, apiKey: mock.apiKey });
    expect(result.exitCode).toBe(1);
    expect(result.failures.map((failure) => failure.message)).toEqual([
      "your tests read `data[].company` from listContacts; the target does not send it",
      "your tests read `company` from getContact; the target does not send it",
    ]);
  });

  it("prints one line per request and one per defect, through the command", async () => {
    const file = targets.journalFile;
    const run = await contract(["--replay", file, "--base-url", `${proxy.origin}/public/v1`, "--api-key", mock.apiKey]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✓ GET /workspace  getWorkspace  200 (mock 200)");
    expect(run.stdout).toContain("✗ GET /contact?limit=3  listContacts  200 (mock 200)");
    expect(run.stdout).toContain("Failures (2):");
    expect(run.stdout.match(/✗ your tests read `company` from getContact/g)).toHaveLength(1);
    expect(run.stdout).not.toContain(mock.apiKey);
    const passing = await contract(["--replay", file, "--base-url", mock.url, "--api-key", mock.apiKey]);
    expect(passing.code).toBe(0);
  }, 60_000);

  it("exits 2 with one line for a missing file, a file that is no journal, and an unreachable target", async () => {
    const missing = await contract(["--replay", join(folder, "none.json"), "--base-url", mock.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`converseiq-contract: cannot read ${join(folder, "none.json")}: no such file.`);
    const bad = join(folder, "bad.json");
    writeFileSync(bad, JSON.stringify({ version: 1, entries: [{ method: "GET" }], dropped: 0 }));
    const refused = await contract(["--replay", bad, "--base-url", mock.url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toContain("is not a journal file: /entries/0 must have required property");
    const good = join(folder, "good.json");
    writeFileSync(good, JSON.stringify(journal));
    const unreachable = await contract([
      "--replay",
      good,
      "--base-url",
      `http://127.0.0.1:${await deadPort()}/public/v1`,
    ]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr.trim().split("\n")).toHaveLength(1);
    expect(unreachable.stderr).toMatch(/^converseiq-contract: Cannot reach /);
    const notUrl = await contract(["--replay", good, "--base-url", "notaurl"]);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain("--base-url notaurl is not an http(s) URL");
  }, 60_000);

  it("refuses a journal of another version by its number", () => {
    expect(() => checkJournalFile({ version: 2, entries: [], dropped: 0 }, "j.json")).toThrow(JournalFileError);
    expect(() => checkJournalFile({ version: 2, entries: [], dropped: 0 }, "j.json")).toThrow(/version 2/);
  });
});
