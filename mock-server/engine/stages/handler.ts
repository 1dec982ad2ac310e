/**
 * The handler: each operation of the spec is a single store call. Paths, methods, parameter parsing and
 * validation come from the spec; only the mapping to the store is written here, and the compiler checks
 * that every operation has one.
 */
import type { operations } from "../../../generated/types.ts";
import type { OperationId } from "../../../lib/spec.ts";
import type { PageRequest } from "../../store/paginate.ts";
import type { Store } from "../../store/store.ts";

type Params<Id extends OperationId> = operations[Id]["parameters"];
type Body<Id extends OperationId> = operations[Id] extends { requestBody: { content: { "application/json": infer B } } }
  ? B
  : undefined;

export interface Input<Id extends OperationId> {
  path: NonNullable<Params<Id>["path"]>;
  query: NonNullable<Params<Id>["query"]>;
  body: Body<Id>;
}

export type Handler<Id extends OperationId> = (store: Store, input: Input<Id>) => unknown;

/** Validation has filled in the spec's defaults for `page` and `limit`, so both are there. */
const page = (query: { page?: number; limit?: number }) => query as PageRequest;

export const handlers: { [Id in OperationId]: Handler<Id> } = {
  getWorkspace: (store) => store.getWorkspace(),
  getWorkspaceOwner: (store) => store.getWorkspaceOwner(),
  listContacts: (store, { query }) => store.listContacts(page(query)),
  searchContacts: (store, { query }) => store.searchContacts(query.email, page(query)),
  getContact: (store, { path }) => store.getContact(path.contactId),
  createContact: (store, { body }) => store.createContact(body),
  updateContact: (store, { path, body }) => store.updateContact(path.contactId, body),
  deleteContact: (store, { path }) => store.deleteContact(path.contactId),
  listChats: (store, { query }) => store.listChats(page(query)),
  getChat: (store, { path }) => store.getChat(path.chatId),
  createChat: (store, { body }) => store.createChat(body),
  updateChat: (store, { path, body }) => store.updateChat(path.chatId, body),
  deleteChat: (store, { path }) => store.deleteChat(path.chatId),
  listChatMessages: (store, { path, query }) => store.listChatMessages(path.chatId, page(query)),
  getChatMessage: (store, { path }) => store.getChatMessage(path.chatId, path.messageId),
  createChatMessage: (store, { path, body }) => store.createChatMessage(path.chatId, body),
  listTeamMembers: (store, { query }) => store.listTeamMembers(page(query)),
  getTeamMember: (store, { path }) => store.getTeamMember(path.memberId),
};
