/**
 * The mock's store: every operation of the public API as a plain method, with no HTTP in it. Routes call
 * one method each; tests call them directly. A method that throws has changed nothing.
 *
 * After each change it tells its listeners (`onChange`) the webhook event the change causes (events.ts);
 * the changes the public API cannot make (a chat's states, editing messages, the team) are methods too,
 * for the admin API.
 */
import { CHAT_ACTIONS, type ChatAction, changeChatState } from "./chat-states.ts";
import * as chats from "./chats.ts";
import { CONTACT_FIELDS } from "./contact-fields.ts";
import * as contacts from "./contacts.ts";
import type { StoreContext } from "./context.ts";
import { type ChangeListener, changes, type StoreChange } from "./events.ts";
import * as messageEdits from "./message-edits.ts";
import type { PageRequest } from "./paginate.ts";
import { type SeedSizes, seedState } from "./seed.ts";
import { State } from "./state.ts";
import * as team from "./team.ts";
import * as teamChanges from "./team-changes.ts";
import type {
  ChatCreate,
  ChatUpdate,
  ContactCreate,
  ContactUpdate,
  MessageCreate,
  StateSnapshot,
  TeamMemberCreate,
  TeamMemberUpdate,
} from "./types.ts";

/**
 * The clock as ISO text, made once per millisecond: `toISOString` is slow (it formats with printf), and a
 * busy mock changes many records within one millisecond.
 */
let lastMs = Number.NaN;
let lastIso = "";
function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/**
 * A v4 UUID from WebCrypto, which Node and browsers both have (the store runs in either). Called through
 * `crypto`, not passed around bare: a browser's `randomUUID` throws when called without it as `this`.
 */
const newUuid = () => globalThis.crypto.randomUUID();

export interface StoreOptions {
  now?: () => string;
  newId?: () => string;
}

export class Store {
  private readonly ctx: StoreContext;
  /** Each listener with whether it wants to be told now (see onChange). */
  private readonly listeners = new Map<ChangeListener, () => boolean>();

  constructor(snapshot: StateSnapshot, options: StoreOptions = {}) {
    this.ctx = {
      state: State.fromSnapshot(snapshot),
      now: options.now ?? isoNow,
      newId: options.newId ?? newUuid,
    };
  }

  static seeded(sizes: SeedSizes, options: StoreOptions = {}): Store {
    return new Store(seedState(sizes), options);
  }

  /** Replaces the whole state at once; an inconsistent snapshot throws and changes nothing. */
  replace(snapshot: StateSnapshot): void {
    this.ctx.state = State.fromSnapshot(snapshot);
  }

  snapshot(): StateSnapshot {
    return this.ctx.state.toSnapshot();
  }

  get state(): State {
    return this.ctx.state;
  }

  /**
   * Calls `listener` after every change with its webhook event, while `wanted()` says so; returns the
   * function that stops it. `wanted` lets a listener that is idle for now (webhooks with no subscription)
   * spare every write the building of a change nobody reads.
   */
  onChange(listener: ChangeListener, wanted: () => boolean = () => true): () => void {
    this.listeners.set(listener, wanted);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners that want it of the changes just made (built only then), then returns `result`. */
  private tell<T>(result: T, ...made: ((ctx: StoreContext) => StoreChange)[]): T {
    if (!this.anyoneWants()) return result;
    for (const build of made) {
      const change = build(this.ctx);
      for (const [listener, wanted] of this.listeners) if (wanted()) listener(change);
    }
    return result;
  }

  private anyoneWants(): boolean {
    for (const wanted of this.listeners.values()) if (wanted()) return true;
    return false;
  }

  getWorkspace = () => team.getWorkspace(this.ctx);
  getWorkspaceOwner = () => team.getOwner(this.ctx);
  listTeamMembers = (page: PageRequest) => team.listTeam(this.ctx, page);
  getTeamMember = (id: string) => team.getTeamMember(this.ctx, id);

  listContacts = (page: PageRequest) => contacts.listContacts(this.ctx, page);
  searchContacts = (email: string, page: PageRequest) => contacts.searchContacts(this.ctx, email, page);
  getContact = (id: string) => contacts.getContact(this.ctx, id);
  createContact = (input: ContactCreate) => {
    const contact = contacts.createContact(this.ctx, CONTACT_FIELDS, input);
    return this.tell(contact, (ctx) => changes.contact(ctx, "contact.created", contact));
  };
  updateContact = (id: string, input: ContactUpdate) => {
    const contact = contacts.updateContact(this.ctx, CONTACT_FIELDS, id, input);
    return this.tell(contact, (ctx) => changes.contact(ctx, "contact.updated", contact));
  };
  deleteContact = (id: string) => {
    contacts.deleteContact(this.ctx, id);
    this.tell(undefined, (ctx) => changes.deleted(ctx, "contact.deleted", id));
  };

  listChats = (page: PageRequest) => chats.listChats(this.ctx, page);
  getChat = (id: string) => chats.getChat(this.ctx, id);
  createChat = (input: ChatCreate) => {
    const chat = chats.createChat(this.ctx, input);
    // A chat starts with its first message: both are told, the chat first.
    const [first] = this.ctx.state.messages.get(chat.guid)?.slice(0, 1) ?? [];
    return this.tell(
      chat,
      (ctx) => changes.chat(ctx, "chat.created", chat),
      ...(first ? [(ctx: StoreContext) => changes.message(ctx, "chat.message.created", first)] : []),
    );
  };
  /** A new title sends no event: the vendor documents no `chat.updated`. */
  updateChat = (id: string, input: ChatUpdate) => chats.updateChat(this.ctx, id, input);
  deleteChat = (id: string) => {
    chats.deleteChat(this.ctx, id);
    this.tell(undefined, (ctx) => changes.deleted(ctx, "chat.deleted", id));
  };
  listChatMessages = (chatId: string, page: PageRequest) => chats.listMessages(this.ctx, chatId, page);
  getChatMessage = (chatId: string, messageId: string) => chats.getMessage(this.ctx, chatId, messageId);
  createChatMessage = (chatId: string, input: MessageCreate) => {
    const message = chats.postMessage(this.ctx, chatId, input);
    return this.tell(message, (ctx) => changes.message(ctx, "chat.message.created", message));
  };

  // Changes the public API cannot make, for the admin API.

  changeChatState = (chatId: string, action: ChatAction) => {
    const { chat, changed } = changeChatState(this.ctx, chatId, action);
    if (!changed) return chat;
    return this.tell(chat, (ctx) => changes.chat(ctx, CHAT_ACTIONS[action].event, chat));
  };
  editChatMessage = (chatId: string, messageId: string, text: string) => {
    const message = messageEdits.editMessage(this.ctx, chatId, messageId, text);
    return this.tell(message, (ctx) => changes.message(ctx, "chat.message.updated", message));
  };
  deleteChatMessage = (chatId: string, messageId: string) => {
    messageEdits.deleteMessage(this.ctx, chatId, messageId);
    this.tell(undefined, (ctx) => changes.deleted(ctx, "chat.message.deleted", messageId, chatId));
  };
  addTeamMember = (input: TeamMemberCreate) => {
    const member = teamChanges.addTeamMember(this.ctx, input);
    return this.tell(member, (ctx) => changes.user(ctx, "user.created", member));
  };
  updateTeamMember = (id: string, input: TeamMemberUpdate) => {
    const member = teamChanges.updateTeamMember(this.ctx, id, input);
    return this.tell(member, (ctx) => changes.user(ctx, "user.updated", member));
  };
  removeTeamMember = (id: string) => {
    teamChanges.removeTeamMember(this.ctx, id);
    this.tell(undefined, (ctx) => changes.deleted(ctx, "user.deleted", id));
  };
}
