import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../../client/index.ts";
import type { JournalFile } from "../../../mock-server/engine/journal-file.ts";
import { type RunningMock, startMock } from "../../../mock-server/start-mock.ts";
import { DEFAULT_SEED } from "../../../mock-server/store/seed.ts";
import { createMockFetch } from "../../../mock-server/transports/fetch.ts";
import { type EditingProxy, startEditingProxy } from "../editing-proxy.ts";
import { replayJournal } from "../replay.ts";
import { checkJournalFile, JournalFileError } from "../replay-file.ts";
import { contract } from "./contract-command.ts";
import { deadPort } from "./dead-port.ts";

/** The target's data is not the mock's the journal was recorded on: another seed, so other ids. */
const TARGET_SEED = { seed: 7, contacts: 5, chats: 3 };

/** A consumer's test run against the mock in process: reads, a create, an update and a delete, and a `Prefer` 404. */
async function recordJournal(): Promise<JournalFile> {
  const mock = createMockFetch({ seed: { ...DEFAULT_SEED, contacts: 5, chats: 3 } });
  const client = createClient({ apiKey: mock.apiKey, fetch: mock.fetch });
  await client.GET("/workspace");
  const list = await client.GET("/contact", { params: { query: { limit: 3 } } });
  const first = list.data?.data[0]?.guid as string;
  await client.GET("/contact/{contactId}", { params: { path: { contactId: first } } });
  const made = await client.POST("/contact", { body: { name: "Replay", email: "replay@example.com" } });
  const contactId = made.data?.guid as string;
  await client.PUT("/contact/{contactId}", { params: { path: { contactId } }, body: { company: "Acme" } });
  await client.GET("/contact/{contactId}", { params: { path: { contactId } } });
  await client.GET("/contact/{contactId}", {
    params: { path: { contactId: first } },
    headers: { prefer: "code=404" },
  });
  await client.POST("/contact", { body: { name: "Kept", email: "kept@example.com" } });
  await client.DELETE("/contact/{contactId}", { params: { path: { contactId } } });
  const journal = mock.journal();
  await mock.close();
  return journal;
}

/** Drops `company` from every contact (an object with `guid` and `zip_code`). */
function dropCompany(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropCompany);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = dropCompany(child);
  if ("guid" in out && "zip_code" in out) delete out.company;
  return out;
}

describe("replaying a consumer's journal", () => {
  let journal: JournalFile;
  let mock: RunningMock;
  let proxy: EditingProxy;
  let folder: string;

  beforeAll(async () => {
    journal = await recordJournal();
    mock = await startMock({ seed: TARGET_SEED });
    proxy = await startEditingProxy(mock.origin, dropCompany);
    folder = mkdtempSync(join(tmpdir(), "replay-"));
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy?.server.close(resolve));
    await mock?.close();
    rmSync(folder, { recursive: true, force: true });
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
    const file = join(folder, "journal.json");
    writeFileSync(file, JSON.stringify(journal));
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
