/**
 * What the replay's tests replay and against what: a consumer's journal recorded in process, a mock over
 * HTTP with other data (another seed, so other ids), and a proxy in front of it that drops `company` from
 * every contact. Shared by replay.test.ts and replay-report.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "../../../client/index.ts";
import type { JournalFile } from "../../../mock-server/engine/journal-file.ts";
import { type RunningMock, startMock } from "../../../mock-server/start-mock.ts";
import { DEFAULT_SEED } from "../../../mock-server/store/seed.ts";
import { createMockFetch } from "../../../mock-server/transports/fetch.ts";
import { type EditingProxy, editContacts, startEditingProxy } from "../editing-proxy.ts";

/** The target's data is not the mock's the journal was recorded on: another seed, so other ids. */
const TARGET_SEED = { seed: 7, contacts: 5, chats: 3 };

/** A consumer's test run against the mock in process: reads, a create, an update and a delete, and a `Prefer` 404. */
export async function recordJournal(): Promise<JournalFile> {
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

/** Drops `company` from every contact. */
export const dropCompany = editContacts((contact) => {
  delete contact.company;
});

export interface ReplayTargets {
  journal: JournalFile;
  /** The journal written to a file, for the command. */
  journalFile: string;
  /** A mock with the target's data: a replay against it passes. */
  mock: RunningMock;
  /** The proxy that drops `company` in front of that mock: a replay against it fails. */
  proxy: EditingProxy;
  /** A folder of the test's own, removed by `close`. */
  folder: string;
  close(): Promise<void>;
}

export async function startReplayTargets(): Promise<ReplayTargets> {
  const journal = await recordJournal();
  const mock = await startMock({ seed: TARGET_SEED });
  const proxy = await startEditingProxy(mock.origin, dropCompany);
  const folder = mkdtempSync(join(tmpdir(), "replay-"));
  const journalFile = join(folder, "journal.json");
  writeFileSync(journalFile, JSON.stringify(journal));
  return {
    journal,
    journalFile,
    mock,
    proxy,
    folder,
    async close() {
      await new Promise((resolve) => proxy.server.close(resolve));
      await mock.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
