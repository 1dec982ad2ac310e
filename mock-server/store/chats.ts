/**
 * Chats and their messages: the reference's rules on who may send in which channel, the first message,
 * titles that default to the contact's name, and messages listed newest first.
 */
import type { StoreContext } from "./context.ts";
import { type Envelope, type PageRequest, paginate } from "./paginate.ts";
import { notFound, StoreError } from "./store-error.ts";
import type { Chat, ChatCreate, ChatUpdate, ErrorDetail, Message, MessageCreate, StoredChat } from "./types.ts";

/** The only channel type in which a message may be sent on behalf of a contact (the reference). */
export const CONTACT_CHANNEL = "LiveChatWeb";

type Senders = Pick<MessageCreate, "agent" | "bot" | "contact">;

export function createChat(ctx: StoreContext, input: ChatCreate): Chat {
  const { state } = ctx;
  const channel = state.channels.get(input.channel);
  const problems = unknownReferences(ctx, input);
  if (!channel) problems.unshift({ in: "body", field: "/channel", message: `no channel with id ${input.channel}` });
  if (problems.length > 0) throw invalidReference(problems);
  const sender = senderOf(input);
  if (sender === "contact" && channel?.type !== CONTACT_CHANNEL) throw contactMayNotSend(channel?.type);

  const now = ctx.now();
  const contact = input.contact === undefined ? undefined : state.contacts.get(input.contact);
  const chat: StoredChat = {
    guid: ctx.newId(),
    channel: input.channel,
    title: contact?.name ?? null,
    contact: input.contact ?? null,
    agent: input.agent ?? null,
    bot: input.bot ?? null,
    chatflow: input.chatflow ?? 0,
    muted: false,
    archived: false,
    resolved: false,
    created_at: now,
    updated_at: now,
    custom_title: null,
  };
  state.addChat(chat);
  state.messages.get(chat.guid)?.add(newMessage(ctx, chat.guid, input, now));
  return toChat(chat);
}

export function getChat(ctx: StoreContext, id: string): Chat {
  return toChat(storedChat(ctx, id));
}

export function listChats(ctx: StoreContext, request: PageRequest): Envelope<Chat> {
  const { chats } = ctx.state;
  return paginate(chats.size, request, (offset, limit) => chats.slice(offset, limit).map(toChat));
}

export function updateChat(ctx: StoreContext, id: string, input: ChatUpdate): Chat {
  const { state } = ctx;
  const chat = storedChat(ctx, id);
  // null or "" resets the title to the contact's name (the reference).
  const custom = input.title === null || input.title === "" ? null : input.title;
  const contactName = chat.contact === null ? null : (state.contacts.get(chat.contact)?.name ?? null);
  const next: StoredChat = { ...chat, custom_title: custom, title: custom ?? contactName, updated_at: ctx.now() };
  state.chats.replace(next);
  return toChat(next);
}

export function deleteChat(ctx: StoreContext, id: string): void {
  const { state } = ctx;
  const chat = storedChat(ctx, id);
  state.chats.remove(id);
  state.messages.delete(id);
  if (chat.contact !== null) state.chatsByContact.get(chat.contact)?.delete(id);
}

export function listMessages(ctx: StoreContext, chatId: string, request: PageRequest): Envelope<Message> {
  const messages = messagesOf(ctx, chatId);
  return paginate(messages.size, request, (offset, limit) => messages.slice(offset, limit, "desc"));
}

export function getMessage(ctx: StoreContext, chatId: string, messageId: string): Message {
  const message = messagesOf(ctx, chatId).get(messageId);
  if (!message) throw notFound("message", messageId);
  return message;
}

export function postMessage(ctx: StoreContext, chatId: string, input: MessageCreate): Message {
  const { state } = ctx;
  const chat = storedChat(ctx, chatId);
  const problems = unknownReferences(ctx, input);
  if (problems.length > 0) throw invalidReference(problems);
  if (senderOf(input) === "contact") {
    const type = state.channels.get(chat.channel)?.type;
    if (type !== CONTACT_CHANNEL) throw contactMayNotSend(type);
    if (input.contact !== chat.contact) {
      throw new StoreError("sender_not_allowed", "Only the chat's own contact may send in it.", [
        { in: "body", field: "/contact", message: "is not the contact of this chat" },
      ]);
    }
  }
  const now = ctx.now();
  const message = newMessage(ctx, chatId, input, now);
  state.messages.get(chatId)?.add(message);
  state.chats.replace({ ...chat, updated_at: now });
  return message;
}

/** The API's view of a stored chat: everything but the bookkeeping of the custom title. */
export function toChat({ custom_title: _, ...chat }: StoredChat): Chat {
  return chat;
}

/** On whose behalf a message is sent when several are named: the agent, else the bot, else the contact. */
export function senderOf(senders: Senders): Message["sender_type"] {
  if (senders.agent !== undefined) return "agent";
  if (senders.bot !== undefined) return "bot";
  if (senders.contact !== undefined) return "contact";
  throw new StoreError("invalid_request", "Name at least one of agent, bot and contact to send on behalf of.", [
    { in: "body", field: "", message: "must have at least one of: agent, bot, contact" },
  ]);
}

function newMessage(ctx: StoreContext, chatId: string, input: MessageCreate, now: string): Message {
  return {
    guid: ctx.newId(),
    chat: chatId,
    message: input.message,
    sender_type: senderOf(input),
    agent: input.agent ?? null,
    bot: input.bot ?? null,
    contact: input.contact ?? null,
    created_at: now,
    updated_at: now,
  };
}

function storedChat(ctx: StoreContext, id: string): StoredChat {
  const chat = ctx.state.chats.get(id);
  if (!chat) throw notFound("chat", id);
  return chat;
}

function messagesOf(ctx: StoreContext, chatId: string) {
  const messages = ctx.state.messages.get(chatId);
  if (!messages) throw notFound("chat", chatId);
  return messages;
}

function unknownReferences(ctx: StoreContext, senders: Senders): ErrorDetail[] {
  const { state } = ctx;
  const problems: ErrorDetail[] = [];
  if (senders.agent !== undefined && !state.team.has(senders.agent)) {
    problems.push({ in: "body", field: "/agent", message: `no team member with id ${senders.agent}` });
  }
  if (senders.bot !== undefined && !state.bots.has(senders.bot)) {
    problems.push({ in: "body", field: "/bot", message: `no bot with id ${senders.bot}` });
  }
  if (senders.contact !== undefined && !state.contacts.has(senders.contact)) {
    problems.push({ in: "body", field: "/contact", message: `no contact with id ${senders.contact}` });
  }
  return problems;
}

function invalidReference(problems: ErrorDetail[]): StoreError {
  const names = problems.map((p) => p.field.slice(1)).join(", ");
  return new StoreError("invalid_reference", `The request names objects that do not exist: ${names}.`, problems);
}

function contactMayNotSend(channelType: string | undefined): StoreError {
  return new StoreError(
    "sender_not_allowed",
    `A contact may send only in a ${CONTACT_CHANNEL} channel; this chat's channel is ${channelType ?? "unknown"}. Send on behalf of an agent or a bot.`,
    [{ in: "body", field: "/contact", message: `may not send in a ${channelType ?? "unknown"} channel` }],
  );
}
