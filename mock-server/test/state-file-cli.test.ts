/**
 * The state file as a user of the command meets it, each run a real child process: a folder that cannot
 * hold the file stops the start, SIGTERM writes what was answered, and with --state-sync nothing answered
 * is lost to `kill -9`.
 */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PUBLIC_PREFIX } from "../mock-options.ts";
import { killCommands, runIsolatedMock } from "./mock-command.ts";

const folders: string[] = [];
afterEach(async () => {
  killCommands();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

const run = (args: string[]) => runIsolatedMock(["--port", "0", "--contacts", "5", "--chats", "2", "--quiet", ...args]);

async function stateFile(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "converseiq-state-cli-"));
  folders.push(folder);
  return join(folder, "state.json");
}

const HEADERS = { "x-api-key": "mock-api-key", "content-type": "application/json" };

async function createContact(origin: string, n: number): Promise<void> {
  const answer = await fetch(`${origin}${PUBLIC_PREFIX}/contact`, {
    method: "POST",
    headers: HEADERS,
    body: JSON.stringify({ name: `Acknowledged ${n}`, email: `acknowledged-${n}@example.com` }),
  });
  expect(answer.status).toBe(200);
  await answer.arrayBuffer();
}

describe("the state file of the converseiq-mock command", { timeout: 90_000 }, () => {
  it("with --read-only, serves a recording's changes from memory and leaves the file untouched on SIGTERM", async () => {
    const path = await stateFile();
    const writer = run(["--state", path]);
    await writer.listening();
    writer.child.kill("SIGTERM");
    expect(await writer.exited).toBe(0);
    const before = { bytes: await readFile(path), mtimeMs: (await stat(path)).mtimeMs };

    const cli = run(["--state", path, "--read-only"]);
    const origin = await cli.listening();
    await createContact(origin, 1);
    const listed = await fetch(`${origin}${PUBLIC_PREFIX}/contact?limit=100`, { headers: HEADERS });
    expect(await listed.text()).toContain("acknowledged-1@example.com");
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(await readFile(path)).toEqual(before.bytes);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
  });

  it.each([
    [["--read-only"], "--read-only: needs --state FILE"],
    [["--state", "s.json", "--state-sync", "--read-only"], "--read-only and --state-sync: cannot be used together"],
  ])("exits 2 on %j, naming the flags", async (args, message) => {
    const cli = run(args);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toContain(message);
  });

  it("exits 2 naming the path when the state file's folder does not exist", async () => {
    const path = join(await stateFile(), "..", "no-such-folder", "state.json");
    const cli = run(["--state", path]);
    expect(await cli.exited).toBe(2);
    const { stdout, stderr } = cli.output();
    expect(stdout).toBe("");
    expect(stderr).toContain(path);
    expect(stderr).toMatch(/does not exist/);
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "writes every answered change on %s, before the delay is over",
    async (signal) => {
      const path = await stateFile();
      const cli = run(["--state", path]);
      const origin = await cli.listening();
      for (let n = 0; n < 3; n++) await createContact(origin, n);
      cli.child.kill(signal);
      expect(await cli.exited).toBe(0);
      const saved = await readFile(path, "utf8");
      for (let n = 0; n < 3; n++) expect(saved).toContain(`acknowledged-${n}@example.com`);
    },
  );

  it("with --state-sync, keeps every answered change through kill -9", async () => {
    const path = await stateFile();
    const first = run(["--state", path, "--state-sync"]);
    const origin = await first.listening();
    const count = 25;
    for (let n = 0; n < count; n++) await createContact(origin, n);
    first.child.kill("SIGKILL");
    await first.exited;

    // Without --state-sync, the log would not be replayed: the start is refused rather than lose it.
    const plain = run(["--state", path]);
    expect(await plain.exited).toBe(2);
    expect(plain.output().stderr).toMatch(/holds \d+ change\(s\) of a --state-sync run .* start with --state-sync/);

    const second = run(["--state", path, "--state-sync"]);
    const state = (await (await fetch(`${await second.listening()}/__admin/state`)).json()) as {
      contacts: { email: string }[];
    };
    const emails = new Set(state.contacts.map((c) => c.email));
    for (let n = 0; n < count; n++) expect(emails).toContain(`acknowledged-${n}@example.com`);
  });
});
