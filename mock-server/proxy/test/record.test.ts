/**
 * The recorder: a session through the validating proxy, in front of a mock that stands in for the live API,
 * becomes a state that a mock started from it serves, with the same pages, ids and relations, and none of the personal data.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkState } from "../../admin/validation.ts";
import { buildMockServer } from "../../app.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../../mock-options.ts";
import { startMock } from "../../start-mock.ts";
import { readStateFile, writeStateFile } from "../../state-file.ts";
import { blankContact } from "../../store/contact-fields.ts";
import type { Chat, Contact, Message, TeamMember, User, Workspace } from "../../store/types.ts";
import { startProxy } from "../index.ts";
import { createRecorder } from "../record.ts";
import { recordToFile } from "../record-file.ts";
import { type RecordedKind, schemaMarks } from "../schema-marks.ts";
import type { Exchange } from "../types.ts";

/** The contact's properties the spec marks `x-personal`. */
const PERSONAL_CONTACT_FIELDS = schemaMarks("Contact").personal.map((p) => p.field as keyof Contact);

interface Page<T> {
  data: T[];
  page: number;
  limit: number;
  pages: number;
  total: number;
}

type Get = <T>(path: string) => Promise<T>;

/**
 * A client of a mock (standing in for the live API) through the validating proxy, whose every answer the
 * recorder sees through the proxy's `onExchange`, as `--record` wires it.
 */
async function recordingClient(
  observe: (exchange: Exchange) => void,
): Promise<{ get: Get; close: () => Promise<void> }> {
  const mock = await buildMockServer({ logger: false });
  const upstream = await mock.listen({ port: 0, host: "127.0.0.1" });
  const proxy = await startProxy({ upstream, apiKey: DEFAULT_API_KEY, onExchange: observe });
  const get: Get = async (path) => (await fetch(`${proxy.origin}${PUBLIC_PREFIX}${path}`)).json();
  return {
    get,
    close: async () => {
      await proxy.close();
      await mock.close();
    },
  };
}

/** The pages the session reads, in order; replayed against the recording. */
const PAGES = ["/contact?page=1&limit=20", "/contact?page=2&limit=20", "/contact?page=3&limit=20", "/chat?limit=100"];

interface Session {
  workspace: Workspace;
  owner: User;
  team: Page<TeamMember>;
  pages: Page<Contact | Chat>[];
  contact: Contact;
  messages: Map<string, Page<Message>>;
}

async function session(get: Get): Promise<Session> {
  const workspace = await get<Workspace>("/workspace");
  const owner = await get<User>("/workspace/me");
  const team = await get<Page<TeamMember>>("/team?limit=100");
  const pages: Page<Contact | Chat>[] = [];
  for (const path of PAGES) pages.push(await get(path));
  const firstContact = (pages[0] as Page<Contact>).data[0] as Contact;
  const contact = await get<Contact>(`/contact/${firstContact.guid}`);
  const messages = new Map<string, Page<Message>>();
  const chats = (pages[3] as Page<Chat>).data;
  for (const chat of chats.slice(0, 5)) messages.set(chat.guid, await get(`/chat/${chat.guid}/message?limit=100`));
  return { workspace, owner, team, pages, contact, messages };
}

async function record(): Promise<{ source: Session; json: string; text: string; dir: string }> {
  const recorder = createRecorder({ seed: "test-key" });
  const client = await recordingClient((exchange) => recorder.observe(exchange));
  const source = await session(client.get);
  await client.close();
  const dir = await mkdtemp(join(tmpdir(), "record-"));
  const file = join(dir, "state.json");
  await writeStateFile(file, recorder.state());
  return { source, json: file, text: await readFile(file, "utf8"), dir };
}

const guids = (items: { guid: string }[]) => items.map((i) => i.guid);

describe("a recorded session", () => {
  let recorded: Awaited<ReturnType<typeof record>>;
  let replayed: Session;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    recorded = await record();
    const mock = await startMock({ stateFile: recorded.json });
    stop = () => mock.close();
    replayed = await session(async (path) => {
      const response = await fetch(`${mock.url}${path}`, { headers: { "x-api-key": mock.apiKey } });
      return response.json();
    });
  });
  afterAll(async () => {
    await stop?.();
    await rm(recorded.dir, { recursive: true, force: true });
  });

  it("is a valid state", () => {
    expect(() => checkState(JSON.parse(recorded.text))).not.toThrow();
  });

  it("serves the same pages: the same ids in the same order, the same totals", () => {
    const { source } = recorded;
    expect(replayed.workspace.guid).toBe(source.workspace.guid);
    expect(replayed.owner.guid).toBe(source.owner.guid);
    expect(guids(replayed.team.data)).toEqual(guids(source.team.data));
    expect(replayed.team.total).toBe(source.team.total);
    replayed.pages.forEach((page, i) => {
      const before = source.pages[i] as Page<Contact | Chat>;
      expect(guids(page.data), PAGES[i]).toEqual(guids(before.data));
      expect({ total: page.total, pages: page.pages }, PAGES[i]).toEqual({ total: before.total, pages: before.pages });
    });
    expect(replayed.contact.guid).toBe(source.contact.guid);
    expect([...replayed.messages.keys()]).toEqual([...source.messages.keys()]);
    for (const [chat, page] of replayed.messages) {
      const before = source.messages.get(chat) as Page<Message>;
      expect(guids(page.data)).toEqual(guids(before.data));
      expect(page.total).toBe(before.total);
    }
  });

  it("keeps relations, timestamps and flags, and replaces the personal data", () => {
    const { source } = recorded;
    const chats = (source.pages[3] as Page<Chat>).data;
    const replayedChats = (replayed.pages[3] as Page<Chat>).data;
    replayedChats.forEach((chat, i) => {
      const before = chats[i] as Chat;
      const { title, ...kept } = chat;
      const { title: realTitle, ...keptBefore } = before;
      expect(kept).toEqual(keptBefore);
      if (realTitle !== null) expect(title).not.toBe(realTitle);
    });
    for (const [chat, page] of replayed.messages) {
      const before = source.messages.get(chat) as Page<Message>;
      page.data.forEach((message, i) => {
        const real = before.data[i] as Message;
        const { message: text, ...kept } = message;
        const { message: realText, ...keptBefore } = real;
        expect(kept).toEqual(keptBefore);
        expect(message.chat).toBe(chat);
        expect(text).not.toBe(realText);
        expect(Math.abs(text.length - realText.length)).toBeLessThanOrEqual(1);
      });
    }
    const contact = replayed.contact;
    expect(contact.created_at).toBe(source.contact.created_at);
    expect(contact.lang).toBe(source.contact.lang);
    for (const field of PERSONAL_CONTACT_FIELDS) {
      if (source.contact[field] !== null) expect(contact[field], field).not.toBe(source.contact[field]);
    }
    expect(replayed.owner.name).not.toBe(source.owner.name);
    expect(replayed.workspace.name).not.toBe(source.workspace.name);
  });

  it("leaves no value of a personal field of the traffic anywhere in the file", () => {
    const { source, text } = recorded;
    // Every value of a property the spec marks x-personal, of every object the session was answered.
    const values = new Set<string>();
    const add = (kind: RecordedKind, records: object[]) => {
      for (const record of records) {
        for (const { field } of schemaMarks(kind).personal) {
          const value = (record as Record<string, unknown>)[field];
          if (typeof value === "string") values.add(value);
        }
      }
    };
    add("Contact", [...(source.pages.slice(0, 3).flatMap((p) => p.data) as Contact[]), source.contact]);
    add("TeamMember", source.team.data);
    add("User", [source.owner]);
    add("Workspace", [source.workspace]);
    add("Chat", (source.pages[3] as Page<Chat>).data);
    add(
      "Message",
      [...source.messages.values()].flatMap((page) => page.data),
    );
    expect(values.size).toBeGreaterThan(200);
    // Each value as a whole JSON string (in any case): what the file would hold were the value kept.
    const lower = text.toLowerCase();
    const leaked = [...values].filter((v) => lower.includes(JSON.stringify(v.toLowerCase())));
    expect(leaked).toEqual([]);
  });

  it("keeps emails valid and unique, case-insensitively", () => {
    const state = JSON.parse(recorded.text) as { contacts: Contact[]; team: TeamMember[] };
    const emails = state.contacts.flatMap((c) => (c.email === null ? [] : [c.email.toLowerCase()]));
    expect(emails.length).toBeGreaterThan(40);
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of [...emails, ...state.team.map((m) => m.email)]) {
      expect(email).toMatch(/^[a-z0-9.]+@example\.com$/);
    }
  });

  it("titles each chat that was never renamed with its contact's fake name", async () => {
    const state = JSON.parse(recorded.text) as { contacts: Contact[]; chats: (Chat & { custom_title: null })[] };
    const names = new Map(state.contacts.map((c) => [c.guid, c.name]));
    const withContact = state.chats.filter((c) => c.contact !== null);
    expect(withContact.length).toBeGreaterThan(0);
    for (const chat of withContact) {
      expect(chat.custom_title).toBeNull();
      expect(chat.title).toBe(names.get(chat.contact as string));
    }
  });

  it("gives the same bytes when the same traffic is recorded again", async () => {
    const again = await record();
    await rm(again.dir, { recursive: true, force: true });
    expect(again.text).toBe(recorded.text);
  });
});

describe("recording to a file (--record FILE)", () => {
  it("writes at once when the last write is maxWaitMs old, however busy the traffic", async () => {
    const dir = await mkdtemp(join(tmpdir(), "record-file-"));
    try {
      const file = join(dir, "recorded.json");
      const recording = recordToFile(file, { delayMs: 60_000, maxWaitMs: 0 });
      const client = await recordingClient((exchange) => recording.observe(exchange));
      await client.get("/workspace");
      await client.close();
      await expect.poll(() => readStateFile(file), { timeout: 2000 }).toBeDefined();
      await recording.flush();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("writes the state a moment after the answers, and again on flush, as a file --state loads", async () => {
    const dir = await mkdtemp(join(tmpdir(), "record-file-"));
    try {
      const file = join(dir, "recorded.json");
      const recording = recordToFile(file, { seed: "test-key", delayMs: 10 });
      const client = await recordingClient((exchange) => recording.observe(exchange));
      const workspace = await client.get<Workspace>("/workspace");
      await expect.poll(() => readStateFile(file), { timeout: 2000 }).toBeDefined();
      await client.get("/contact?limit=5");
      await client.close();
      await recording.flush();
      const state = await readStateFile(file);
      expect(state?.workspace.guid).toBe(workspace.guid);
      expect(state?.contacts).toHaveLength(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("what the answers only name", () => {
  const time = "2026-03-14T09:30:00Z";
  const ids = {
    chat: "0b7d3e9f-2a4c-4e6b-9d1f-3a5c7e9b1d2f",
    renamed: "1b7d3e9f-2a4c-4e6b-9d1f-3a5c7e9b1d2f",
    channel: "9d2f4b6e-8a0c-4c2e-9f1b-3d5f7b9d1e3a",
    contact: "5c9e7a2b-1d3f-4a6b-8c0d-2e4f6a8b0c1d",
    agent: "2e4a6c8f-0b2d-4d6f-8a1c-3e5a7c9e1b3d",
    bot: "3e4a6c8f-0b2d-4d6f-8a1c-3e5a7c9e1b3d",
    message: "7e1f3a5c-9b2d-4f6e-8a0c-1d3e5f7a9b2c",
  };
  const chat = (guid: string, title: string): Chat => ({
    guid,
    channel: ids.channel,
    title,
    contact: ids.contact,
    agent: ids.agent,
    bot: null,
    chatflow: 0,
    muted: false,
    archived: false,
    resolved: false,
    created_at: time,
    updated_at: time,
  });
  const exchange = (operationId: string, path: string, body: unknown): Exchange => ({
    operationId,
    method: "GET",
    path: `/public/v1${path}`,
    query: {},
    status: 200,
    body,
  });

  it("adds the channels, bots, contacts and team members that chats and messages name", () => {
    const recorder = createRecorder();
    recorder.observe(exchange("getChat", `/chat/${ids.chat}`, chat(ids.chat, "Olivia Brown")));
    const message: Message = {
      guid: ids.message,
      chat: ids.chat,
      message: "Hello",
      sender_type: "bot",
      agent: null,
      bot: ids.bot,
      contact: null,
      created_at: time,
      updated_at: time,
    };
    recorder.observe(exchange("getChatMessage", `/chat/${ids.chat}/message/${ids.message}`, message));
    const state = checkState(recorder.state());
    expect(state.channels).toEqual([{ guid: ids.channel, type: "LiveChatWeb", name: "Channel 1" }]);
    expect(state.bots).toEqual([{ guid: ids.bot, name: "Bot 1" }]);
    expect(state.contacts.map((c) => c.guid)).toEqual([ids.contact]);
    // The contact's name is its chat's default title, faked the same way.
    expect(state.contacts[0]?.name).toBe(state.chats[0]?.title);
    expect(state.contacts[0]?.name).not.toBe("Olivia Brown");
    expect(state.team.map((m) => m.guid)).toContain(ids.agent);
    expect(state.workspace.owner).toBe(state.owner.guid);
    expect(JSON.stringify(state)).not.toContain("Olivia Brown");
  });

  it("keeps a renamed chat's title as its custom title, and drops what a delete removed", () => {
    const recorder = createRecorder();
    const contact = { ...emptyContact(ids.contact), name: "Olivia Brown" };
    recorder.observe(exchange("getContact", `/contact/${ids.contact}`, contact));
    recorder.observe(exchange("getChat", `/chat/${ids.chat}`, chat(ids.chat, "Olivia Brown")));
    recorder.observe(exchange("updateChat", `/chat/${ids.renamed}`, chat(ids.renamed, "Warranty claim")));
    let state = checkState(recorder.state());
    expect(state.chats.map((c) => c.custom_title === null)).toEqual([true, false]);
    expect(state.chats[1]?.title).not.toBe("Warranty claim");
    recorder.observe({ ...exchange("deleteContact", `/contact/${ids.contact}`, {}), method: "DELETE" });
    recorder.observe({ ...exchange("deleteChat", `/chat/${ids.renamed}`, {}), method: "DELETE" });
    state = checkState(recorder.state());
    expect(state.contacts).toEqual([]);
    expect(state.chats.map((c) => [c.guid, c.contact])).toEqual([[ids.chat, null]]);
  });

  it("leaves the email to the first of two contacts recorded with it, so that the mock takes the file", () => {
    const recorder = createRecorder();
    const other = "6c9e7a2b-1d3f-4a6b-8c0d-2e4f6a8b0c1d";
    recorder.observe(
      exchange("getContact", `/contact/${ids.contact}`, { ...emptyContact(ids.contact), email: "o@x.io" }),
    );
    recorder.observe(exchange("getContact", `/contact/${other}`, { ...emptyContact(other), email: "O@x.io" }));
    const state = checkState(recorder.state());
    expect(state.contacts.map((c) => c.email === null)).toEqual([false, true]);
  });

  it("ignores failed answers and properties the spec lacks", () => {
    const recorder = createRecorder();
    recorder.observe({ ...exchange("getContact", `/contact/${ids.contact}`, { code: "not_found" }), status: 404 });
    recorder.observe(exchange("getContact", `/contact/${ids.contact}`, { ...emptyContact(ids.contact), vip: true }));
    const state = checkState(recorder.state());
    expect(state.contacts).toHaveLength(1);
    expect(state.contacts[0]).not.toHaveProperty("vip");
    expect(recorder.version).toBe(1);
  });

  const emptyContact = (guid: string): Contact => blankContact(guid, time);
});
