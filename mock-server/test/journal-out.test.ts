/**
 * `converseiq-mock --journal-out FILE`: on SIGTERM the journal file is written, a `JournalFile` of the
 * admin spec holding the public requests with their bodies and no API key; a folder that does not exist is
 * refused at the start (exit 2), before any test run is wasted.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkJournalFile } from "../../contract-tests/run/replay-file.ts";
import { PUBLIC_PREFIX } from "../mock-options.ts";
import { killCommands, runIsolatedMock } from "./mock-command.ts";

const folders: string[] = [];
afterEach(async () => {
  killCommands();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function newFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "converseiq-journal-"));
  folders.push(folder);
  return folder;
}

const SMALL_ARGS = ["--port", "0", "--contacts", "5", "--chats", "2", "--quiet"];

describe("converseiq-mock --journal-out", { timeout: 90_000 }, () => {
  it("writes the journal file on SIGTERM: the public requests with their bodies, no admin request, no key", async () => {
    const file = join(await newFolder(), "journal.json");
    const cli = runIsolatedMock([...SMALL_ARGS, "--journal-out", file]);
    const origin = await cli.listening();
    const headers = { "x-api-key": "mock-api-key", "content-type": "application/json" };
    const list = await fetch(`${origin}${PUBLIC_PREFIX}/contact?limit=2`, { headers });
    const listed = await list.json();
    const created = await fetch(`${origin}${PUBLIC_PREFIX}/contact`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "Saved", email: "saved@example.com" }),
    });
    expect(created.status).toBe(200);
    expect((await fetch(`${origin}/__admin/fixtures`)).status).toBe(200);

    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(cli.output().stderr).toContain(`wrote 2 requests to ${file} (--journal-out)`);
    const text = await readFile(file, "utf8");
    expect(text).not.toContain("mock-api-key");
    const journal = checkJournalFile(JSON.parse(text), file);
    expect(journal.entries.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      "GET /contact?limit=2 200",
      "POST /contact 200",
    ]);
    expect(journal.entries[0]?.responseBody).toEqual(listed);
    expect(journal.entries[1]?.requestBody).toEqual({ name: "Saved", email: "saved@example.com" });
  });

  it("keeps no bodies and no events without --journal-out and --keep-events, and events with --keep-events", async () => {
    const plain = runIsolatedMock(SMALL_ARGS);
    const origin = await plain.listening();
    const headers = { "x-api-key": "mock-api-key", "content-type": "application/json" };
    const body = JSON.stringify({ name: "Unkept", email: "unkept@example.com" });
    expect((await fetch(`${origin}${PUBLIC_PREFIX}/contact`, { method: "POST", headers, body })).status).toBe(200);
    const journal = checkJournalFile(await (await fetch(`${origin}/__admin/journal`)).json(), "GET /__admin/journal");
    expect(journal.entries.map((entry) => [entry.bodiesOmitted, entry.requestBody])).toEqual([[true, undefined]]);
    expect(await (await fetch(`${origin}/__admin/events`)).json()).toEqual({ data: [], capacity: 0 });

    const keeping = runIsolatedMock([...SMALL_ARGS, "--keep-events"]);
    const kept = await keeping.listening();
    expect((await fetch(`${kept}${PUBLIC_PREFIX}/contact`, { method: "POST", headers, body })).status).toBe(200);
    const events = (await (await fetch(`${kept}/__admin/events`)).json()) as { data: { event: string }[] };
    expect(events.data.map((event) => event.event)).toEqual(["contact.created"]);
  });

  it("refuses a folder that does not exist at the start, with exit 2 and one line", async () => {
    const file = join(await newFolder(), "missing", "journal.json");
    const cli = runIsolatedMock([...SMALL_ARGS, "--journal-out", file]);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr.trim()).toMatch(/^converseiq-mock: --journal-out .+: the folder .+ does not exist\.$/);
  });
});
