/**
 * The public API's routes, one per operation of the spec, each a single store call. Paths, methods,
 * parameter parsing and validation come from the spec; only the mapping to the store is written here,
 * and the compiler checks that every operation has one.
 */
import type { FastifyInstance, preParsingHookHandler } from "fastify";
import type { operations } from "../../generated/types.ts";
import type { Operation, OperationId } from "../../lib/spec.ts";
import type { PageRequest } from "../store/paginate.ts";
import type { Store } from "../store/store.ts";
import { toRoutePath } from "./route-path.ts";
import { serialize } from "./serialize.ts";
import { routeSchema } from "./validation.ts";

type Params<Id extends OperationId> = operations[Id]["parameters"];
type Body<Id extends OperationId> = operations[Id] extends { requestBody: { content: { "application/json": infer B } } }
  ? B
  : undefined;

export interface Input<Id extends OperationId> {
  path: NonNullable<Params<Id>["path"]>;
  query: NonNullable<Params<Id>["query"]>;
  body: Body<Id>;
}

type Handler<Id extends OperationId> = (store: Store, input: Input<Id>) => unknown;

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

export function registerPublicRoutes(
  app: FastifyInstance,
  options: { prefix: string; operations: Operation[]; store: () => Store },
): void {
  for (const op of options.operations) {
    const handler = handlers[op.id] as Handler<OperationId>;
    // A read is answered from the records' kept texts; a write's answer is a new record, written once.
    const serializer = op.method === "get" ? serialize : JSON.stringify;
    app.route({
      method: op.method.toUpperCase() as "GET",
      url: `${options.prefix}${toRoutePath(op.path)}`,
      schema: routeSchema(op),
      config: { operationId: op.id },
      ...(op.requestBody ? {} : { preParsing: ignoreEmptyBody }),
      handler: async (request, reply) => {
        const input = { path: request.params, query: request.query, body: request.body } as Input<OperationId>;
        const result = handler(options.store(), input);
        // The reference: a DELETE answers 200 OK with an empty body.
        if (result === undefined) return reply.code(200).send();
        return reply.code(200).type("application/json").serializer(serializer).send(result);
      },
    });
  }
}

/**
 * An operation that takes no body has no body to parse when none is sent, whatever the Content-Type says:
 * a DELETE sent with a client's default `Content-Type: application/json` is not "an empty JSON body".
 */
const ignoreEmptyBody: preParsingHookHandler = (request, _reply, payload, done) => {
  const { headers } = request.raw;
  const length = headers["content-length"];
  if (headers["transfer-encoding"] === undefined && (length === undefined || length === "0")) {
    delete headers["content-type"];
  }
  done(null, payload);
};
