/**
 * What the recorder has seen so far, unsanitised: the workspace and its owner, and the team members,
 * contacts, chats and messages by id, each with where a list page showed it. A later answer for an id
 * replaces the earlier; a delete removes, and follows the spec's `x-references` to what named the deleted
 * object (a nullable reference is cleared, as a chat's contact; a holder that cannot be without it is removed,
 * as a chat's messages).
 */
import type { Contact, Message, StoredChat, TeamMember, User, Workspace } from "../store/types.ts";
import { documented } from "./answer-objects.ts";
import { referencesTo } from "./schema-marks.ts";

/** A record and where a list page showed it (undefined when it was seen only on its own). */
export interface Seen<T> {
  value: T;
  position: number | undefined;
  order: number;
}

export type Chat = Omit<StoredChat, "custom_title">;

/** The kinds kept by id (the workspace and its owner are one each). */
export interface Listed {
  TeamMember: TeamMember;
  Contact: Contact;
  Chat: Chat;
  Message: Message;
}
export type ListedKind = keyof Listed;
const LISTED: readonly ListedKind[] = ["TeamMember", "Contact", "Chat", "Message"];
const isListed = (kind: string): kind is ListedKind => (LISTED as readonly string[]).includes(kind);

export class Recording {
  Workspace: Workspace | undefined;
  User: User | undefined;
  readonly lists: { [K in ListedKind]: Map<string, Seen<Listed[K]>> } = {
    TeamMember: new Map(),
    Contact: new Map(),
    Chat: new Map(),
    Message: new Map(),
  };
  private order = 0;

  setSingle(kind: "Workspace" | "User", raw: object): void {
    if (kind === "Workspace") this.Workspace = documented(kind, raw) as Workspace;
    else this.User = documented(kind, raw) as User;
  }

  /** `position`: where a list page showed it; an answer without one keeps the position known before. */
  put(kind: ListedKind, raw: { guid: string }, position?: number): void {
    const into = this.lists[kind] as Map<string, Seen<object>>;
    const value = documented(kind, raw);
    const before = into.get(value.guid);
    into.set(value.guid, {
      value,
      position: position ?? before?.position,
      order: before?.order ?? this.order++,
    });
  }

  remove(kind: ListedKind, id: string): void {
    this.lists[kind].delete(id);
    for (const { holder, reference } of referencesTo(kind)) {
      if (!isListed(holder)) continue;
      const held = this.lists[holder] as Map<string, Seen<Record<string, unknown>>>;
      for (const [guid, seen] of held) {
        if (seen.value[reference.field] !== id) continue;
        if (reference.nullable) seen.value = { ...seen.value, [reference.field]: null };
        else this.remove(holder, guid);
      }
    }
  }
}
