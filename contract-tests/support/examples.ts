/**
 * One valid request for every operation of the spec, built on what exists on the target: the table is
 * typed by operationId, so an operation added to the spec without an example here does not compile.
 */
import type { Operation, OperationId } from "../../lib/spec.ts";
import { type Chat, type Contact, ids, type Message, messagesOf, someChat, someContact } from "./data.ts";
import type { RawRequest, Target } from "./target.ts";

export interface Resources {
  contact: Contact;
  chat: Chat;
  message: Message;
  member: string;
  /** A sender valid in any channel. */
  agent: string;
  channel: string;
}

type Example = (r: Resources, target: Target) => RawRequest;
/** The operations of the spec's paths (its webhooks are operations too, but nothing is sent to them). */
export type PathOperationId = Exclude<OperationId, `${string}Webhook`>;

export const examples: { [Id in PathOperationId]: Example } = {
  getWorkspace: () => ({ method: "GET", path: "/workspace" }),
  getWorkspaceOwner: () => ({ method: "GET", path: "/workspace/me" }),
  listContacts: () => ({ method: "GET", path: "/contact", query: { page: 1, limit: 5 } }),
  searchContacts: (r) => ({
    method: "GET",
    path: "/contact/search",
    query: { email: r.contact.email ?? "a@example.com" },
  }),
  getContact: (r) => ({ method: "GET", path: `/contact/${r.contact.guid}` }),
  createContact: (_, t) => ({ method: "POST", path: "/contact", body: { name: t.label("example"), email: t.email() } }),
  updateContact: (r) => ({ method: "PUT", path: `/contact/${r.contact.guid}`, body: { city: "Brisbane" } }),
  deleteContact: (r) => ({ method: "DELETE", path: `/contact/${r.contact.guid}` }),
  listChats: () => ({ method: "GET", path: "/chat", query: { limit: 5 } }),
  getChat: (r) => ({ method: "GET", path: `/chat/${r.chat.guid}` }),
  createChat: (r, t) => ({
    method: "POST",
    path: "/chat",
    body: { channel: r.channel, agent: r.agent, message: t.label("example") },
  }),
  updateChat: (r, t) => ({ method: "PUT", path: `/chat/${r.chat.guid}`, body: { title: t.label("title") } }),
  deleteChat: (r) => ({ method: "DELETE", path: `/chat/${r.chat.guid}` }),
  listChatMessages: (r) => ({ method: "GET", path: `/chat/${r.chat.guid}/message`, query: { limit: 5 } }),
  getChatMessage: (r) => ({ method: "GET", path: `/chat/${r.chat.guid}/message/${r.message.guid}` }),
  createChatMessage: (r, t) => ({
    method: "POST",
    path: `/chat/${r.chat.guid}/message`,
    body: { message: t.label("example"), agent: r.agent },
  }),
  listTeamMembers: () => ({ method: "GET", path: "/team" }),
  getTeamMember: (r) => ({ method: "GET", path: `/team/${r.member}` }),
};

/** What the examples need, found or made on the target; a string says what is missing. */
export async function prepareResources(target: Target): Promise<Resources | string> {
  const found = await ids(target);
  if (!found.agent) return "no team member id known";
  if (!found.channel) return "no channel id known (set CONTRACT_CHANNEL_ID)";
  const contact = await someContact(target);
  if (!contact) return "the target has no contact";
  const chat = await someChat(target);
  if (!chat) return "the target has no chat";
  const [message] = await messagesOf(target, chat.guid, 1);
  if (!message) return "the chat has no message";
  return { contact, chat, message, member: found.agent, agent: found.agent, channel: found.channel };
}

export const writes = (op: Pick<Operation, "method">) => op.method !== "get";
