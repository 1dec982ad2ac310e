/**
 * `--record FILE`: every object seen in the upstream's answers becomes part of a state that the mock serves
 * (`converseiq-mock --state FILE`), with its personal data replaced (sanitise.ts). Ids, relations,
 * timestamps and flags are kept; a later answer for the same id replaces an earlier one, and a delete removes.
 *
 * What the answers do not say is made up, the same way every time:
 * - channels and bots are known only by the ids that chats and messages give: they are named "Channel 1",
 *   "Bot 1", ... in the order they were first seen, and every channel is a `LiveChatWeb` (the API never says
 *   a channel's type; that one is the type in which every message the mock takes may be sent);
 * - a contact, team member, workspace or owner that something names but no answer showed is added with
 *   fake data (a contact gets its chat's title as its name, since a chat's title is its contact's name by
 *   default);
 * - messages of a chat that was never seen are left out (the store needs the chat's channel);
 * - of two contacts recorded with the same email (compared case-insensitively), only the first keeps it.
 * Lists are kept in the order the pages showed them (contacts and chats oldest first, messages newest first,
 * as the API lists them); objects seen only one by one come after them, in the order they were seen.
 */
import { blankContact, CONTACT_FIELDS, type ContactField } from "../store/contact-fields.ts";
import type {
  Bot,
  Channel,
  Contact,
  Message,
  StateSnapshot,
  StoredChat,
  TeamMember,
  User,
  Workspace,
} from "../store/types.ts";
import { createSanitiser, DEFAULT_SANITISE_KEY, type PersonalKind } from "./sanitise.ts";
import type { Exchange } from "./types.ts";

export interface RecorderOptions {
  /** The key of the hash that picks each fake value (see sanitise.ts); keep it secret to keep fakes unguessable. */
  seed?: string;
}

export interface Recorder {
  /** Takes in the objects of one answered exchange. */
  observe(exchange: Exchange): void;
  /** The state recorded so far, sanitised: valid for the admin spec's State and the store. */
  state(): StateSnapshot;
  /** How many exchanges changed what is recorded (a writer may skip writing when it did not move). */
  readonly version: number;
}

/** A record and where a list page showed it (undefined when it was seen only on its own). */
interface Seen<T> {
  value: T;
  position: number | undefined;
  order: number;
}

type Chat = Omit<StoredChat, "custom_title">;

export function createRecorder(options: RecorderOptions = {}): Recorder {
  const key = options.seed ?? DEFAULT_SANITISE_KEY;
  let workspace: Workspace | undefined;
  let owner: User | undefined;
  const team = new Map<string, Seen<TeamMember>>();
  const contacts = new Map<string, Seen<Contact>>();
  const chats = new Map<string, Seen<Chat>>();
  const messages = new Map<string, Seen<Message>>();
  let order = 0;
  let version = 0;

  const put = <T extends { guid: string }>(into: Map<string, Seen<T>>, raw: T, position?: number) => {
    // Only the documented fields: the mock serves no property the spec lacks (the proxy reports those).
    const value = documented(raw);
    const before = into.get(value.guid);
    into.set(value.guid, {
      value,
      position: position ?? before?.position,
      order: before?.order ?? order++,
    });
  };
  const putPage = <T extends { guid: string }>(into: Map<string, Seen<T>>, body: unknown) => {
    const page = asPage<T>(body);
    if (!page) return;
    // Only a plain list's pages tell a position (not a search's).
    for (const [i, item] of page.data.entries())
      put(into, item, page.offset === undefined ? undefined : page.offset + i);
  };

  function observe(exchange: Exchange): void {
    const { operationId, status, body } = exchange;
    if (status < 200 || status > 299 || operationId === undefined) return;
    const id = exchange.path.split("/").at(-1) ?? "";
    switch (operationId) {
      case "getWorkspace":
        if (isObject(body)) workspace = body as Workspace;
        break;
      case "getWorkspaceOwner":
        if (isObject(body)) owner = body as User;
        break;
      case "listTeamMembers":
        putPage(team, body);
        break;
      case "getTeamMember":
        if (isRecord(body)) put(team, body as TeamMember);
        break;
      case "listContacts":
        putPage(contacts, body);
        break;
      case "searchContacts": {
        const page = asPage<Contact>(body);
        for (const contact of page?.data ?? []) put(contacts, contact);
        break;
      }
      case "getContact":
      case "createContact":
      case "updateContact":
        if (isRecord(body)) put(contacts, body as Contact);
        break;
      case "deleteContact":
        contacts.delete(id);
        // As the store does: the contact's chats stay, with no contact.
        for (const seen of chats.values()) {
          if (seen.value.contact === id) seen.value = { ...seen.value, contact: null };
        }
        break;
      case "listChats":
        putPage(chats, body);
        break;
      case "getChat":
      case "createChat":
      case "updateChat":
        if (isRecord(body)) put(chats, body as Chat);
        break;
      case "deleteChat":
        chats.delete(id);
        for (const [guid, seen] of messages) if (seen.value.chat === id) messages.delete(guid);
        break;
      case "listChatMessages":
        putPage(messages, body);
        break;
      case "getChatMessage":
      case "createChatMessage":
        if (isRecord(body)) put(messages, body as Message);
        break;
      default:
        return;
    }
    version++;
  }

  return {
    observe,
    state: () => buildState(key, { workspace, owner, team, contacts, chats, messages }),
    get version() {
      return version;
    },
  };
}

interface Recorded {
  workspace: Workspace | undefined;
  owner: User | undefined;
  team: Map<string, Seen<TeamMember>>;
  contacts: Map<string, Seen<Contact>>;
  chats: Map<string, Seen<Chat>>;
  messages: Map<string, Seen<Message>>;
}

/** The recorded objects as a state, sanitised; a fresh sanitiser each time, so the same traffic gives the same bytes. */
function buildState(key: string, recorded: Recorded): StateSnapshot {
  const chats = sorted(recorded.chats, "asc");
  const contactList = sorted(recorded.contacts, "asc");
  const s = createSanitiser(key, realValues(recorded));
  const fake = (kind: PersonalKind, value: string | null) => (value === null ? null : s.fake(kind, value));

  const contactIds = new Set(contactList.map((c) => c.guid));
  // Contacts that chats name but no answer showed: the chat's title is the contact's name by default.
  for (const chat of chats) {
    if (chat.contact === null || contactIds.has(chat.contact)) continue;
    contactIds.add(chat.contact);
    contactList.push({
      ...blankContact(chat.contact, chat.created_at),
      name: chat.title,
    });
  }
  const realNames = new Map(contactList.map((c) => [c.guid, c.name]));

  // Emails are unique in a workspace: two recorded contacts with one email (one deleted and another created
  // with it, unseen by the proxy) would make the file one the mock refuses, so only the first keeps it.
  const emailsUsed = new Set<string>();
  const uniqueEmail = (email: string | null) => {
    if (email === null || emailsUsed.has(email.toLowerCase())) return null;
    emailsUsed.add(email.toLowerCase());
    return email;
  };
  const contacts: Contact[] = contactList.map((c) => ({
    ...c,
    name: fake("name", c.name),
    email: fake("email", uniqueEmail(c.email)),
    phone: fake("phone", c.phone),
    ip: fake("ip", c.ip),
    origin: fake("origin", c.origin),
    description: c.description === null ? null : s.text(c.description),
    country: fake("country", c.country),
    zip_code: fake("zip", c.zip_code),
    city: fake("city", c.city),
    state: fake("state", c.state),
    address: fake("address", c.address),
    company: fake("company", c.company),
  }));

  const channels = new Map<string, Channel>();
  const bots = new Map<string, Bot>();
  const teamList = sorted(recorded.team, "asc");
  const teamIds = new Set(teamList.map((m) => m.guid));
  const reveal = (ref: { channel?: string; bot: string | null; agent: string | null; created_at: string }) => {
    if (ref.channel !== undefined && !channels.has(ref.channel)) {
      channels.set(ref.channel, { guid: ref.channel, type: "LiveChatWeb", name: `Channel ${channels.size + 1}` });
    }
    if (ref.bot !== null && !bots.has(ref.bot)) bots.set(ref.bot, { guid: ref.bot, name: `Bot ${bots.size + 1}` });
    if (ref.agent !== null && !teamIds.has(ref.agent)) {
      teamIds.add(ref.agent);
      teamList.push(placeholderMember(ref.agent, ref.created_at));
    }
  };

  const storedChats: StoredChat[] = chats.map((chat) => {
    reveal(chat);
    const contactName = chat.contact === null ? undefined : realNames.get(chat.contact);
    // A title equal to the contact's name is the default one: it follows the contact's fake name.
    const isDefault = chat.title === null || (contactName !== undefined && chat.title === contactName);
    const title = fake("name", chat.title);
    return { ...chat, title, custom_title: isDefault ? null : title };
  });
  const chatIds = new Set(storedChats.map((c) => c.guid));

  // Messages in the order they were sent: the reverse of the order the API lists them in, per chat.
  const messages: Message[] = [];
  const byChat = new Map<string, Message[]>();
  for (const message of sorted(recorded.messages, "desc")) {
    if (!chatIds.has(message.chat)) continue;
    reveal(message);
    const list = byChat.get(message.chat) ?? [];
    list.push({ ...message, message: s.text(message.message) });
    byChat.set(message.chat, list);
  }
  for (const chat of storedChats) messages.push(...(byChat.get(chat.guid) ?? []));

  const firstTime = earliest([...contacts, ...storedChats, ...teamList].map((r) => r.created_at));
  const workspaceIn = recorded.workspace && documented(recorded.workspace);
  const ownerId = workspaceIn?.owner ?? recorded.owner?.guid ?? teamList.find((m) => m.role === "owner")?.guid;
  const ownerIn: User =
    (recorded.owner && documented(recorded.owner)) ??
    toUser(teamList.find((m) => m.guid === ownerId) ?? placeholderMember(ownerId ?? placeholderGuid(key), firstTime));
  const workspaceReal: Workspace = workspaceIn ?? {
    guid: placeholderGuid(`${key}\0workspace`),
    name: "Recorded workspace",
    owner: ownerIn.guid,
    created_at: firstTime,
  };

  const person = <T extends { name: string; email: string; avatar: string | null }>(p: T): T => ({
    ...p,
    name: s.fake("name", p.name),
    email: s.fake("email", p.email),
    avatar: fake("avatar", p.avatar),
  });

  return {
    workspace: { ...workspaceReal, owner: ownerIn.guid, name: s.fake("workspace", workspaceReal.name) },
    owner: person(ownerIn),
    team: teamList.map(person),
    channels: [...channels.values()],
    bots: [...bots.values()],
    contacts,
    chats: storedChats,
    messages,
  };
}

/** Contacts' fields that are personal data: all a contact is created with but its language tag. */
export const PERSONAL_CONTACT_FIELDS = CONTACT_FIELDS.filter(
  (field): field is Exclude<ContactField, "lang"> => field !== "lang",
);

/** Every real value of a personal field in what was recorded (emails lower-cased too): no fake may be one. */
function realValues(recorded: Recorded): Set<string> {
  const values = new Set<string>();
  const add = (value: string | null | undefined) => {
    if (typeof value !== "string") return;
    values.add(value);
    values.add(value.toLowerCase());
  };
  for (const { value } of recorded.contacts.values()) for (const field of PERSONAL_CONTACT_FIELDS) add(value[field]);
  const people = [...[...recorded.team.values()].map((m) => m.value), ...(recorded.owner ? [recorded.owner] : [])];
  for (const p of people) for (const v of [p.name, p.email, p.avatar]) add(v);
  add(recorded.workspace?.name);
  for (const { value } of recorded.chats.values()) add(value.title);
  for (const { value } of recorded.messages.values()) add(value.message);
  return values;
}

/** Records in list order: those a page placed, by place (`desc`: the page showed them newest first), then the rest as seen. */
function sorted<T>(records: Map<string, Seen<T>>, direction: "asc" | "desc"): T[] {
  const placed = [...records.values()].filter((r) => r.position !== undefined);
  const loose = [...records.values()].filter((r) => r.position === undefined);
  placed.sort((a, b) => (a.position as number) - (b.position as number) || a.order - b.order);
  loose.sort((a, b) => a.order - b.order);
  // A listed page of messages is newest first; those seen alone (a message just sent) are the newest.
  const ordered = direction === "asc" ? [...placed, ...loose] : [...placed.reverse(), ...loose];
  return ordered.map((r) => r.value);
}

function asPage<T>(body: unknown): { data: T[]; offset: number | undefined } | undefined {
  if (!isObject(body) || !Array.isArray(body.data)) return undefined;
  const data = body.data.filter(isRecord) as T[];
  const { page, limit } = body;
  const offset = typeof page === "number" && typeof limit === "number" && page >= 1 ? (page - 1) * limit : undefined;
  return { data, offset };
}

const FIELDS: string[][] = [
  ["guid", "name", "email", "phone", "ip", "origin", "description", "country", "zip_code", "city", "state"],
  ["address", "company", "lang", "created_at", "updated_at"],
  ["channel", "title", "contact", "agent", "bot", "chatflow", "muted", "archived", "resolved"],
  ["chat", "message", "sender_type", "avatar", "role", "owner"],
];
const KNOWN = new Set(FIELDS.flat());

/** The record without properties that no recorded type documents (each type's own set is checked by the state's schema). */
function documented<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([k]) => KNOWN.has(k))) as T;
}

/** A team member that chats or messages name but no answer showed; its name and email are faked from its id. */
function placeholderMember(guid: string, time: string): TeamMember {
  return {
    guid,
    name: `member ${guid}`,
    email: `${guid}@members.invalid`,
    avatar: null,
    role: "agent",
    created_at: time,
  };
}

function toUser({ role: _, ...member }: TeamMember): User {
  return member;
}

/** A GUID (v4 form) made from a string, for a workspace or owner no answer showed. */
function placeholderGuid(from: string): string {
  let h = 0x811c9dc5;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}${from}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex.push(h.toString(16).padStart(8, "0"));
  }
  const x = hex.join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-8${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

function earliest(times: string[]): string {
  return (
    times.reduce<string | undefined>((min, t) => (min === undefined || t < min ? t : min), undefined) ??
    "1970-01-01T00:00:00Z"
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isRecord(value: unknown): value is { guid: string } {
  return isObject(value) && typeof value.guid === "string";
}
