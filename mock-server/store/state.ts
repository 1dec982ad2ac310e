/**
 * The mock's data and its indexes. Built whole from a snapshot (seeded, imported or loaded from a file),
 * so a bad snapshot is refused before anything is replaced.
 */
import { OrderedCollection } from "./ordered-collection.ts";
import { StoreError } from "./store-error.ts";
import type {
  Bot,
  Channel,
  Contact,
  ErrorDetail,
  Message,
  StateSnapshot,
  StoredChat,
  TeamMember,
  User,
  Workspace,
} from "./types.ts";

const byGuid = (item: { guid: string }) => item.guid;

export class State {
  readonly team = new OrderedCollection<TeamMember>(byGuid);
  readonly channels = new Map<string, Channel>();
  readonly bots = new Map<string, Bot>();
  /** Contacts in creation order. */
  readonly contacts = new OrderedCollection<Contact>(byGuid);
  /** Lower-cased email → contact guid: emails are unique in a workspace, compared case-insensitively. */
  readonly emails = new Map<string, string>();
  /** Chats in creation order. */
  readonly chats = new OrderedCollection<StoredChat>(byGuid);
  /** Each chat's messages in the order they were sent (listed in reverse: newest first). */
  readonly messages = new Map<string, OrderedCollection<Message>>();
  /** Contact guid → guids of its chats, so renaming or deleting a contact reaches its chats directly. */
  readonly chatsByContact = new Map<string, Set<string>>();

  private constructor(
    public workspace: Workspace,
    public owner: User,
  ) {}

  /** Builds a state from a snapshot, or throws a StoreError listing what is inconsistent in it. */
  static fromSnapshot(snapshot: StateSnapshot): State {
    const state = new State(snapshot.workspace, snapshot.owner);
    const problems: ErrorDetail[] = [];
    const problem = (field: string, message: string) => problems.push({ in: "body", field, message });
    const addAll = <T extends { guid: string }>(name: string, items: T[], add: (item: T) => void) => {
      items.forEach((item, i) => {
        try {
          add(item);
        } catch {
          problem(`/${name}/${i}/guid`, `duplicate id ${item.guid}`);
        }
      });
    };
    addAll("team", snapshot.team, (m) => state.team.add(m));
    addAll("channels", snapshot.channels, (c) => {
      if (state.channels.has(c.guid)) throw new Error("duplicate");
      state.channels.set(c.guid, c);
    });
    addAll("bots", snapshot.bots, (b) => {
      if (state.bots.has(b.guid)) throw new Error("duplicate");
      state.bots.set(b.guid, b);
    });
    snapshot.contacts.forEach((contact, i) => {
      const key = contact.email?.toLowerCase();
      if (key !== undefined && state.emails.has(key))
        problem(`/contacts/${i}/email`, `duplicate email ${contact.email}`);
      else if (state.contacts.has(contact.guid)) problem(`/contacts/${i}/guid`, `duplicate id ${contact.guid}`);
      else {
        state.contacts.add(contact);
        if (key !== undefined) state.emails.set(key, contact.guid);
      }
    });
    snapshot.chats.forEach((chat, i) => {
      if (!state.channels.has(chat.channel)) problem(`/chats/${i}/channel`, `unknown channel ${chat.channel}`);
      else if (chat.contact !== null && !state.contacts.has(chat.contact)) {
        problem(`/chats/${i}/contact`, `unknown contact ${chat.contact}`);
      } else if (state.chats.has(chat.guid)) problem(`/chats/${i}/guid`, `duplicate id ${chat.guid}`);
      else state.addChat(chat);
    });
    snapshot.messages.forEach((message, i) => {
      const messages = state.messages.get(message.chat);
      if (!messages) problem(`/messages/${i}/chat`, `unknown chat ${message.chat}`);
      else if (messages.has(message.guid)) problem(`/messages/${i}/guid`, `duplicate id ${message.guid}`);
      else messages.add(message);
    });
    if (problems.length > 0) throw new StoreError("invalid_request", "The state is inconsistent.", problems);
    return state;
  }

  toSnapshot(): StateSnapshot {
    const messages: Message[] = [];
    for (const chat of this.chats.values()) messages.push(...(this.messages.get(chat.guid)?.values() ?? []));
    return {
      workspace: this.workspace,
      owner: this.owner,
      team: [...this.team.values()],
      channels: [...this.channels.values()],
      bots: [...this.bots.values()],
      contacts: [...this.contacts.values()],
      chats: [...this.chats.values()],
      messages,
    };
  }

  addChat(chat: StoredChat): void {
    this.chats.add(chat);
    this.messages.set(chat.guid, new OrderedCollection<Message>(byGuid));
    if (chat.contact !== null) this.linkChat(chat.contact, chat.guid);
  }

  linkChat(contactId: string, chatId: string): void {
    let chats = this.chatsByContact.get(contactId);
    if (!chats) {
      chats = new Set();
      this.chatsByContact.set(contactId, chats);
    }
    chats.add(chatId);
  }
}
