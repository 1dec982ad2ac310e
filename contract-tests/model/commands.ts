/**
 * fast-check commands over the API and the reference model (model.ts): each sends one request, checks
 * the answer against what the model says it must be, and updates the model. After every command both
 * lists (contacts, chats) are compared with the model whole: totals, pages and contents.
 */
import fc from "fast-check";
import { expect } from "vitest";
import type { Target } from "../support/target.ts";
import { type ContactFields, type Model, type ModelChat, type Page, pageOf } from "./model.ts";

export interface Real {
  target: Target;
  agent: string;
  bot: string;
  liveChat: string;
  otherChannel: string;
}

type Command = fc.AsyncCommand<Model, Real>;
const UNKNOWN = "00000000-0000-4000-8000-00000000dead";
const pick = <T>(items: readonly T[], n: number): T | undefined => items[n % Math.max(items.length, 1)];

/** Both lists agree with the model, totals, pages and contents (after every command). */
async function invariants(m: Model, { target }: Real): Promise<void> {
  const get = async (path: string) =>
    (await target.request({ method: "GET", path, query: { limit: 100 } })).json as Page<Record<string, unknown>>;
  const contacts = await get("/contact");
  expect(
    { ...contacts, data: contacts.data.map((c) => view(c as ContactFields & { guid: string })) },
    "contacts",
  ).toEqual({
    ...pageOf(m.contacts.map(view), 1, 100),
  });
  const chats = await get("/chat");
  const chatsSeen = chats.data.map((c) => ({ guid: c.guid, contact: c.contact, title: c.title }));
  expect({ ...chats, data: chatsSeen }, "chats").toEqual(
    pageOf(
      m.chats.map((c) => chatView(m, c)),
      1,
      100,
    ),
  );
}

const view = (c: { guid: string } & Partial<ContactFields>) => ({
  guid: c.guid,
  name: c.name,
  email: c.email,
  city: c.city,
});
const chatView = (m: Model, c: ModelChat) => ({ guid: c.guid, contact: c.contact, title: m.titleOf(c) });

abstract class Base implements Command {
  check(_m: Readonly<Model>): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    await this.act(m, r);
    await invariants(m, r);
  }
  abstract act(m: Model, r: Real): Promise<void>;
  abstract toString(): string;
}

class CreateContact extends Base {
  constructor(readonly fields: Partial<ContactFields>) {
    super();
  }
  async act(m: Model, { target }: Real) {
    const { status, json } = await target.request({ method: "POST", path: "/contact", body: this.fields });
    if (m.emailOwner(this.fields.email ?? null)) {
      expect(status).toBe(409);
      return;
    }
    expect(status).toBe(200);
    const created = { guid: (json as { guid: string }).guid, name: null, email: null, city: null, ...this.fields };
    expect(view(json as ContactFields & { guid: string })).toEqual(view(created));
    m.contacts.push(created);
  }
  toString = () => `createContact(${JSON.stringify(this.fields)})`;
}

class UpdateContact extends Base {
  constructor(
    readonly n: number,
    readonly ghost: boolean,
    readonly fields: Partial<ContactFields>,
  ) {
    super();
  }
  async act(m: Model, { target }: Real) {
    const contact = this.ghost ? undefined : pick(m.contacts, this.n);
    const guid = contact?.guid ?? pick(m.gone, this.n) ?? UNKNOWN;
    const { status, json } = await target.request({ method: "PUT", path: `/contact/${guid}`, body: this.fields });
    if (!contact) return void expect(status).toBe(404);
    const owner = this.fields.email ? m.emailOwner(this.fields.email) : undefined;
    if (owner && owner.guid !== contact.guid) return void expect(status).toBe(409);
    expect(status).toBe(200);
    for (const [key, value] of Object.entries(this.fields)) {
      if (value !== undefined) contact[key as keyof ContactFields] = value;
    }
    expect(view(json as ContactFields & { guid: string })).toEqual(view(contact));
  }
  toString = () => `updateContact(#${this.n}${this.ghost ? " gone" : ""}, ${JSON.stringify(this.fields)})`;
}

class DeleteContact extends Base {
  constructor(
    readonly n: number,
    readonly ghost: boolean,
  ) {
    super();
  }
  async act(m: Model, { target }: Real) {
    const contact = this.ghost ? undefined : pick(m.contacts, this.n);
    const guid = contact?.guid ?? pick(m.gone, this.n) ?? UNKNOWN;
    const { status, text } = await target.request({ method: "DELETE", path: `/contact/${guid}` });
    if (!contact) return void expect(status).toBe(404);
    expect([status, text]).toEqual([200, ""]);
    m.deleteContact(guid);
  }
  toString = () => `deleteContact(#${this.n}${this.ghost ? " gone" : ""})`;
}

class ListContacts extends Base {
  constructor(
    readonly page: number,
    readonly limit: number,
  ) {
    super();
  }
  async act(m: Model, { target }: Real) {
    const { json } = await target.request({
      method: "GET",
      path: "/contact",
      query: { page: this.page, limit: this.limit },
    });
    const got = json as { data: (ContactFields & { guid: string })[] };
    const want = pageOf(m.contacts, this.page, this.limit);
    expect({ ...got, data: got.data.map(view) }).toEqual({ ...want, data: want.data.map(view) });
  }
  toString = () => `listContacts(page ${this.page}, limit ${this.limit})`;
}

class SearchContacts extends Base {
  constructor(readonly email: string) {
    super();
  }
  async act(m: Model, { target }: Real) {
    const { json } = await target.request({ method: "GET", path: "/contact/search", query: { email: this.email } });
    const owner = m.emailOwner(this.email);
    const got = json as Page<ContactFields & { guid: string }>;
    expect({ total: got.total, data: got.data.map(view) }).toEqual({
      total: owner ? 1 : 0,
      data: owner ? [view(owner)] : [],
    });
  }
  toString = () => `searchContacts(${this.email})`;
}

type Sender = "agent" | "bot" | "contact";

class StartChat extends Base {
  constructor(
    readonly live: boolean,
    readonly senders: Sender[],
    readonly n: number,
  ) {
    super();
  }
  async act(m: Model, r: Real) {
    const contact = pick(m.contacts, this.n);
    const body: Record<string, string> = {
      channel: this.live ? r.liveChat : r.otherChannel,
      message: `${r.target.prefix} hello`,
    };
    if (this.senders.includes("agent")) body.agent = r.agent;
    if (this.senders.includes("bot")) body.bot = r.bot;
    if (this.senders.includes("contact") && contact) body.contact = contact.guid;
    const sender = (["agent", "bot", "contact"] as const).find((s) => s in body);
    const { status, json } = await r.target.request({ method: "POST", path: "/chat", body });
    if (!sender) return void expect(status).toBe(400);
    if (sender === "contact" && !this.live) {
      expect([status, (json as { code: string }).code]).toEqual([400, "sender_not_allowed"]);
      return;
    }
    expect(status).toBe(200);
    const guid = (json as { guid: string }).guid;
    const chat: ModelChat = {
      guid,
      channel: body.channel as string,
      contact: body.contact ?? null,
      customTitle: null,
      messages: [{ guid: "", text: body.message as string, sender }],
    };
    m.chats.push(chat);
    expect(chatView(m, { ...chat, ...(json as object) } as ModelChat)).toEqual(chatView(m, chat));
  }
  toString = () =>
    `startChat(${this.live ? "LiveChatWeb" : "other channel"}, ${this.senders.join("+") || "nobody"}, contact #${this.n})`;
}

class PostMessage extends Base {
  constructor(
    readonly n: number,
    readonly ghost: boolean,
    readonly sender: Sender,
    readonly text: string,
  ) {
    super();
  }
  async act(m: Model, r: Real) {
    const chat = this.ghost ? undefined : pick(m.chats, this.n);
    const guid = chat?.guid ?? pick(m.gone, this.n) ?? UNKNOWN;
    const contact = chat?.contact ?? pick(m.contacts, this.n)?.guid;
    const sender: Sender = this.sender === "contact" && !contact ? "agent" : this.sender;
    const id = sender === "agent" ? r.agent : sender === "bot" ? r.bot : (contact as string);
    const { status, json } = await r.target.request({
      method: "POST",
      path: `/chat/${guid}/message`,
      body: { message: this.text, [sender]: id },
    });
    if (!chat) return void expect(status).toBe(404);
    if (sender === "contact" && (chat.channel !== r.liveChat || chat.contact !== id)) {
      expect([status, (json as { code: string }).code]).toEqual([400, "sender_not_allowed"]);
      return;
    }
    expect(status).toBe(200);
    expect(json).toMatchObject({ chat: chat.guid, message: this.text, sender_type: sender });
    chat.messages.push({ guid: (json as { guid: string }).guid, text: this.text, sender });
  }
  toString = () => `postMessage(#${this.n}${this.ghost ? " gone" : ""}, ${this.sender}, ${JSON.stringify(this.text)})`;
}

class ListMessages extends Base {
  constructor(
    readonly n: number,
    readonly page: number,
    readonly limit: number,
  ) {
    super();
  }
  override check(m: Readonly<Model>): boolean {
    return m.chats.length > 0;
  }
  async act(m: Model, { target }: Real) {
    const chat = pick(m.chats, this.n) as ModelChat;
    const { json } = await target.request({
      method: "GET",
      path: `/chat/${chat.guid}/message`,
      query: { page: this.page, limit: this.limit },
    });
    const got = json as { data: { message: string; sender_type: string }[] };
    const want = pageOf([...chat.messages].reverse(), this.page, this.limit);
    expect({ ...got, data: got.data.map((x) => [x.message, x.sender_type]) }).toEqual({
      ...want,
      data: want.data.map((x) => [x.text, x.sender]),
    });
  }
  toString = () => `listMessages(#${this.n}, page ${this.page}, limit ${this.limit})`;
}

class RenameChat extends Base {
  constructor(
    readonly n: number,
    readonly title: string | null,
  ) {
    super();
  }
  override check(m: Readonly<Model>): boolean {
    return m.chats.length > 0;
  }
  async act(m: Model, { target }: Real) {
    const chat = pick(m.chats, this.n) as ModelChat;
    const { status, json } = await target.request({
      method: "PUT",
      path: `/chat/${chat.guid}`,
      body: { title: this.title },
    });
    expect(status).toBe(200);
    chat.customTitle = this.title === "" ? null : this.title;
    expect((json as { title: string | null }).title).toBe(m.titleOf(chat));
  }
  toString = () => `renameChat(#${this.n}, ${JSON.stringify(this.title)})`;
}

class DeleteChat extends Base {
  constructor(
    readonly n: number,
    readonly ghost: boolean,
  ) {
    super();
  }
  async act(m: Model, { target }: Real) {
    const chat = this.ghost ? undefined : pick(m.chats, this.n);
    const guid = chat?.guid ?? pick(m.gone, this.n) ?? UNKNOWN;
    const { status } = await target.request({ method: "DELETE", path: `/chat/${guid}` });
    if (!chat) return void expect(status).toBe(404);
    expect(status).toBe(200);
    m.deleteChat(guid);
    expect((await target.request({ method: "GET", path: `/chat/${guid}/message` })).status).toBe(404);
  }
  toString = () => `deleteChat(#${this.n}${this.ghost ? " gone" : ""})`;
}

class ListChats extends Base {
  constructor(
    readonly page: number,
    readonly limit: number,
  ) {
    super();
  }
  async act(m: Model, { target }: Real) {
    const { json } = await target.request({
      method: "GET",
      path: "/chat",
      query: { page: this.page, limit: this.limit },
    });
    const got = json as { data: { guid: string; contact: string | null; title: string | null }[] };
    const want = pageOf(m.chats, this.page, this.limit);
    expect({ ...got, data: got.data.map((c) => ({ guid: c.guid, contact: c.contact, title: c.title })) }).toEqual({
      ...want,
      data: want.data.map((c) => chatView(m, c)),
    });
  }
  toString = () => `listChats(page ${this.page}, limit ${this.limit})`;
}

/** Every command, with arbitraries that make collisions (emails differing only in case) likely. */
export function commandArbitraries(prefix: string) {
  const email = fc
    .constantFrom("ana@example.com", "bo@example.com", "cy@example.com")
    .chain((e) => fc.constantFrom(e, e.toUpperCase(), `${e[0]?.toUpperCase()}${e.slice(1)}`));
  const name = fc.constantFrom("Ana", "Bo", "Cy").map((n) => `${prefix} ${n}`);
  const city = fc.constantFrom("Perth", "Cairns");
  // A create takes strings; an update also takes null (clears the field).
  const createFields = fc.record({ name, email, city }, { requiredKeys: [] });
  const updateFields = fc.record(
    {
      name: fc.option(name, { nil: null }),
      email: fc.option(email, { nil: null }),
      city: fc.option(city, { nil: null }),
    },
    { requiredKeys: [] },
  );
  const n = fc.nat(20);
  // Asking for what is gone (404) now and then; mostly for what exists, where the rules are.
  const ghost = fc.nat(4).map((k) => k === 0);
  const page = fc.integer({ min: 1, max: 4 });
  const limit = fc.integer({ min: 1, max: 4 });
  const sender = fc.constantFrom<Sender>("agent", "bot", "contact");
  const postMessage = fc
    .tuple(n, ghost, sender, fc.string({ minLength: 1, maxLength: 12 }))
    .map(([i, g, s, t]) => new PostMessage(i, g, s, t));
  const listMessages = fc.tuple(n, page, limit).map(([i, p, l]) => new ListMessages(i, p, l));
  return [
    createFields.map((f) => new CreateContact(stripUndefined(f))),
    fc.tuple(n, ghost, updateFields).map(([i, g, f]) => new UpdateContact(i, g, stripUndefined(f))),
    fc.tuple(n, ghost).map(([i, g]) => new DeleteContact(i, g)),
    fc.tuple(page, limit).map(([p, l]) => new ListContacts(p, l)),
    email.map((e) => new SearchContacts(e)),
    fc
      .tuple(fc.boolean(), fc.subarray<Sender>(["agent", "bot", "contact"]), n)
      .map(([live, s, i]) => new StartChat(live, s, i)),
    // Messages twice as often: order shows only in chats with several of them.
    postMessage,
    postMessage,
    listMessages,
    listMessages,
    fc.tuple(n, fc.oneof(fc.constant(null), fc.constant(""), name)).map(([i, t]) => new RenameChat(i, t)),
    fc.tuple(n, ghost).map(([i, g]) => new DeleteChat(i, g)),
    fc.tuple(page, limit).map(([p, l]) => new ListChats(p, l)),
  ];
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
