/**
 * The mock's store: every operation of the public API as a plain method, with no HTTP in it. Routes call
 * one method each; tests call them directly. A method that throws has changed nothing.
 */
import { randomUUID } from "node:crypto";
import type { oas31 } from "openapi3-ts";
import { publicSpec } from "../../lib/spec.ts";
import * as chats from "./chats.ts";
import * as contacts from "./contacts.ts";
import type { StoreContext } from "./context.ts";
import type { PageRequest } from "./paginate.ts";
import { type SeedSizes, seedState } from "./seed.ts";
import { State } from "./state.ts";
import * as team from "./team.ts";
import type {
  ChatCreate,
  ChatUpdate,
  Contact,
  ContactCreate,
  ContactUpdate,
  MessageCreate,
  StateSnapshot,
} from "./types.ts";

/** The writable fields of a contact, read from the spec's ContactCreate so that a new field needs no code. */
const contactFields = Object.keys(
  (publicSpec.components?.schemas?.ContactCreate as oas31.SchemaObject | undefined)?.properties ?? {},
) as (keyof ContactCreate & keyof Contact)[];

export interface StoreOptions {
  now?: () => string;
  newId?: () => string;
}

export class Store {
  private readonly ctx: StoreContext;

  constructor(snapshot: StateSnapshot, options: StoreOptions = {}) {
    this.ctx = {
      state: State.fromSnapshot(snapshot),
      now: options.now ?? (() => new Date().toISOString()),
      newId: options.newId ?? randomUUID,
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

  getWorkspace = () => team.getWorkspace(this.ctx);
  getWorkspaceOwner = () => team.getOwner(this.ctx);
  listTeamMembers = (page: PageRequest) => team.listTeam(this.ctx, page);
  getTeamMember = (id: string) => team.getTeamMember(this.ctx, id);

  listContacts = (page: PageRequest) => contacts.listContacts(this.ctx, page);
  searchContacts = (email: string, page: PageRequest) => contacts.searchContacts(this.ctx, email, page);
  getContact = (id: string) => contacts.getContact(this.ctx, id);
  createContact = (input: ContactCreate) => contacts.createContact(this.ctx, contactFields, input);
  updateContact = (id: string, input: ContactUpdate) => contacts.updateContact(this.ctx, contactFields, id, input);
  deleteContact = (id: string) => contacts.deleteContact(this.ctx, id);

  listChats = (page: PageRequest) => chats.listChats(this.ctx, page);
  getChat = (id: string) => chats.getChat(this.ctx, id);
  createChat = (input: ChatCreate) => chats.createChat(this.ctx, input);
  updateChat = (id: string, input: ChatUpdate) => chats.updateChat(this.ctx, id, input);
  deleteChat = (id: string) => chats.deleteChat(this.ctx, id);
  listChatMessages = (chatId: string, page: PageRequest) => chats.listMessages(this.ctx, chatId, page);
  getChatMessage = (chatId: string, messageId: string) => chats.getMessage(this.ctx, chatId, messageId);
  createChatMessage = (chatId: string, input: MessageCreate) => chats.postMessage(this.ctx, chatId, input);
}
