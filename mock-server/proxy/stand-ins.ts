/**
 * What the recorder makes up for an object that a record names (by a reference the spec marks with
 * `x-references`) but no answer showed, the same way every time. Each kind the spec's references name has an
 * entry; `null` says that none can be made, so a record holding such a reference is left out.
 */
import { blankContact } from "../store/contact-fields.ts";
import type { Bot, Channel, Contact, TeamMember, User } from "../store/types.ts";
import { RECORDED_KINDS, schemaMarks } from "./schema-marks.ts";

/** Where the stand-ins go: the lists of the state being built. */
export interface StandInLists {
  Contact: Contact[];
  TeamMember: TeamMember[];
  Channel: Channel[];
  Bot: Bot[];
}

/** Adds the object `guid` names to `lists`; `holder` is the record that named it, made at `time`. */
type StandIn = (lists: StandInLists, guid: string, holder: Record<string, unknown>, time: string) => void;

export const STAND_INS: Record<string, StandIn | null> = {
  // A chat's title is its contact's name by default, so a contact a chat names is named by it.
  Contact: (lists, guid, holder, time) =>
    lists.Contact.push({ ...blankContact(guid, time), name: typeof holder.title === "string" ? holder.title : null }),
  TeamMember: (lists, guid, _, time) => lists.TeamMember.push(placeholderMember(guid, time)),
  // The API never says a channel's type; LiveChatWeb is the one in which every message the mock takes may be sent.
  Channel: (lists, guid) =>
    lists.Channel.push({ guid, type: "LiveChatWeb", name: `Channel ${lists.Channel.length + 1}` }),
  Bot: (lists, guid) => lists.Bot.push({ guid, name: `Bot ${lists.Bot.length + 1}` }),
  // Messages of a chat never seen are left out: the store needs the chat's channel.
  Chat: null,
  // The workspace's owner: the state's building makes one (recordedOwner) when no answer showed it.
  User: null,
};

const unknown = RECORDED_KINDS.flatMap((kind) => schemaMarks(kind).references)
  .map((r) => r.kind)
  .filter((kind) => !Object.hasOwn(STAND_INS, kind));
if (unknown.length > 0) {
  throw new Error(`The spec's x-references name ${unknown.join(", ")}, for which the recorder has no stand-in.`);
}

/** A team member that chats or messages name but no answer showed; its name and email are made from its id. */
export function placeholderMember(guid: string, time: string): TeamMember {
  return {
    guid,
    name: `member ${guid}`,
    email: `${guid}@members.invalid`,
    avatar: null,
    role: "agent",
    created_at: time,
  };
}

export function toUser({ role: _, ...member }: TeamMember): User {
  return member;
}

/** A GUID (v4 form) made from a string, for a workspace or owner no answer showed. */
export function placeholderGuid(from: string): string {
  let h = 0x811c9dc5;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}${from}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex.push(h.toString(16).padStart(8, "0"));
  }
  const x = hex.join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-8${x.slice(17, 20)}-${x.slice(20, 32)}`;
}
