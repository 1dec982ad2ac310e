/**
 * The recording as a state the mock serves (the admin spec's State), sanitised: every property the spec
 * marks `x-personal` replaced (sanitise.ts), every reference it marks `x-references` kept whole (a stand-in
 * for an object no answer showed, stand-ins.ts), lists in the order the pages showed them. A fresh sanitiser
 * each time, so the same traffic gives the same bytes.
 */
import type { Contact, Message, StateSnapshot, StoredChat, TeamMember, User, Workspace } from "../store/types.ts";
import type { Recording, Seen } from "./recording.ts";
import { createSanitiser, sanitiseRecord } from "./sanitise.ts";
import { RECORDED_KINDS, type RecordedKind, schemaMarks } from "./schema-marks.ts";
import { placeholderGuid, placeholderMember, STAND_INS, type StandInLists, toUser } from "./stand-ins.ts";

type Fields = Record<string, unknown>;

export function buildState(key: string, recording: Recording): StateSnapshot {
  const s = createSanitiser(key, realValues(recording));
  const lists: StandInLists = {
    Contact: sorted(recording.lists.Contact, "asc"),
    TeamMember: sorted(recording.lists.TeamMember, "asc"),
    Channel: [],
    Bot: [],
  };
  const present = new Map<string, Set<string>>(Object.keys(STAND_INS).map((kind) => [kind, new Set<string>()]));
  const mark = (kind: string, records: { guid: string }[]) => {
    for (const r of records) present.get(kind)?.add(r.guid);
  };
  mark("Contact", lists.Contact);
  mark("TeamMember", lists.TeamMember);

  /** Whether each reference of `record` names an object the state holds or can be given a stand-in. */
  const whole = (holder: RecordedKind, record: Fields) =>
    missing(holder, record).every((r) => STAND_INS[r.kind] !== null);
  /** The stand-ins for what `record` names and the state lacks. */
  const complete = (holder: RecordedKind, record: Fields & { created_at: string }) => {
    for (const r of missing(holder, record)) {
      STAND_INS[r.kind]?.(lists, record[r.field] as string, record, record.created_at);
      present.get(r.kind)?.add(record[r.field] as string);
    }
  };
  const missing = (holder: RecordedKind, record: Fields) =>
    schemaMarks(holder).references.filter((r) => {
      const id = record[r.field];
      return typeof id === "string" && !present.get(r.kind)?.has(id);
    });

  const chats = sorted(recording.lists.Chat, "asc").filter((c) => whole("Chat", c));
  mark("Chat", chats);
  // Messages in the order they were sent: the reverse of the order the API lists them in.
  const messages = sorted(recording.lists.Message, "desc").filter((m) => whole("Message", m));
  for (const chat of chats) complete("Chat", chat);
  for (const message of messages) complete("Message", message);

  const fake = <T>(kind: RecordedKind, record: T) => sanitiseRecord(s, kind, record);
  const realNames = new Map(lists.Contact.map((c) => [c.guid, c.name]));
  const storedChats: StoredChat[] = chats.map((chat) => {
    const contactName = chat.contact === null ? undefined : realNames.get(chat.contact);
    // A title equal to the contact's name is the default one: it follows the contact's fake name.
    const isDefault = chat.title === null || (contactName !== undefined && chat.title === contactName);
    const faked = fake("Chat", chat);
    return { ...faked, custom_title: isDefault ? null : faked.title };
  });
  const byChat = new Map<string, Message[]>();
  for (const message of messages)
    byChat.set(message.chat, [...(byChat.get(message.chat) ?? []), fake("Message", message)]);

  const team = lists.TeamMember;
  const { workspace, owner } = recordedOwner(key, recording, team, [...lists.Contact, ...chats]);
  return {
    workspace: { ...fake("Workspace", workspace), owner: owner.guid },
    owner: fake("User", owner),
    team: team.map((m) => fake("TeamMember", m)),
    channels: lists.Channel,
    bots: lists.Bot,
    contacts: uniqueEmails(lists.Contact).map((c) => fake("Contact", c)),
    chats: storedChats,
    messages: storedChats.flatMap((chat) => byChat.get(chat.guid) ?? []),
  };
}

/** The workspace and its owner: as answers showed them, else made from the team and the earliest record. */
function recordedOwner(
  key: string,
  recording: Recording,
  team: TeamMember[],
  others: { created_at: string }[],
): { workspace: Workspace; owner: User } {
  const firstTime = earliest([...others, ...team].map((r) => r.created_at));
  const seen = recording.Workspace;
  const ownerId = seen?.owner ?? recording.User?.guid ?? team.find((m) => m.role === "owner")?.guid;
  const owner =
    recording.User ??
    toUser(team.find((m) => m.guid === ownerId) ?? placeholderMember(ownerId ?? placeholderGuid(key), firstTime));
  const workspace = seen ?? {
    guid: placeholderGuid(`${key}\0workspace`),
    name: "Recorded workspace",
    owner: owner.guid,
    created_at: firstTime,
  };
  return { workspace, owner };
}

/**
 * Emails are unique in a workspace: two recorded contacts with one email (one deleted and another created
 * with it, unseen by the proxy) would make the file one the mock refuses, so only the first keeps it.
 */
function uniqueEmails(contacts: Contact[]): Contact[] {
  const used = new Set<string>();
  return contacts.map((c) => {
    if (c.email === null) return c;
    const email = c.email.toLowerCase();
    if (used.has(email)) return { ...c, email: null };
    used.add(email);
    return c;
  });
}

/** Every real value of a personal property in what was recorded (lower-cased too): no fake may be one. */
function realValues(recording: Recording): Set<string> {
  const values = new Set<string>();
  const records: [RecordedKind, unknown][] = [
    ["Workspace", recording.Workspace],
    ["User", recording.User],
  ];
  for (const kind of RECORDED_KINDS) {
    if (kind === "Workspace" || kind === "User") continue;
    for (const { value } of recording.lists[kind].values()) records.push([kind, value]);
  }
  for (const [kind, record] of records) {
    if (record === undefined) continue;
    for (const { field } of schemaMarks(kind).personal) {
      const value = (record as Fields)[field];
      if (typeof value !== "string") continue;
      values.add(value);
      values.add(value.toLowerCase());
    }
  }
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

function earliest(times: string[]): string {
  return (
    times.reduce<string | undefined>((min, t) => (min === undefined || t < min ? t : min), undefined) ??
    "1970-01-01T00:00:00Z"
  );
}
