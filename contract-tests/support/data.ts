/**
 * Making and finding what the suites need on any target: contacts and chats created with the run's
 * prefix (and deleted after the test by the target's cleanup), and the ids of agents, bots and channels.
 */
import type { components } from "../../generated/types.ts";
import type { Target } from "./target.ts";
import { UnmetNeed } from "./tests.ts";

export type Contact = components["schemas"]["Contact"];
export type Chat = components["schemas"]["Chat"];
export type Message = components["schemas"]["Message"];
type ContactCreate = components["schemas"]["ContactCreate"];
type ChatCreate = components["schemas"]["ChatCreate"];

export interface Ids {
  agent: string | undefined;
  bot: string | undefined;
  /** A channel of type LiveChatWeb (the only one where a contact may send). */
  liveChat: string | undefined;
  /** A channel known not to be LiveChatWeb. */
  otherChannel: string | undefined;
  /** Any channel. */
  channel: string | undefined;
}

export async function ids(target: Target): Promise<Ids> {
  const f = await target.fixtures();
  const liveChat = f.channels.find((c) => c.type === "LiveChatWeb")?.guid;
  return {
    agent: f.team[0],
    bot: f.bots[0],
    liveChat,
    otherChannel: f.channels.find((c) => c.type !== undefined && c.type !== "LiveChatWeb")?.guid,
    channel: liveChat ?? f.channels[0]?.guid,
  };
}

/** Creates a contact named and emailed with the run's prefix, plus any fields given. */
export async function createContact(target: Target, fields: ContactCreate = {}): Promise<Contact> {
  const { data, error, response } = await target.client.POST("/contact", {
    body: { name: target.label("contact"), email: target.email(), ...fields },
  });
  if (error)
    throw new UnmetNeed("createContact", `POST /contact answered ${response.status}: ${JSON.stringify(error)}`);
  return data as Contact;
}

/** Starts a chat; `body` needs `channel` and at least one sender. The message carries the run's prefix. */
export async function startChat(
  target: Target,
  body: Omit<ChatCreate, "message"> & { message?: string },
): Promise<Chat> {
  const { data, error, response } = await target.client.POST("/chat", {
    body: { message: target.label("first message"), ...body } as ChatCreate,
  });
  if (error) throw new UnmetNeed("createChat", `POST /chat answered ${response.status}: ${JSON.stringify(error)}`);
  return data as Chat;
}

export async function messagesOf(target: Target, chatId: string, limit = 100): Promise<Message[]> {
  const { data, error, response } = await target.client.GET("/chat/{chatId}/message", {
    params: { path: { chatId }, query: { limit } },
  });
  if (error) throw new UnmetNeed("listChatMessages", `GET /chat/${chatId}/message answered ${response.status}`);
  return data?.data ?? [];
}

/** A contact that exists on the target: one created now when writes are allowed, else the first listed. */
export async function someContact(target: Target): Promise<Contact | undefined> {
  if (target.settings.writesAllowed) return createContact(target);
  const { data } = await target.client.GET("/contact", { params: { query: { limit: 1 } } });
  return data?.data[0];
}

/** A chat that exists on the target: one started now when writes are allowed, else the first listed. */
export async function someChat(target: Target): Promise<Chat | undefined> {
  const { agent, channel } = await ids(target);
  if (target.settings.writesAllowed && agent && channel) return startChat(target, { channel, agent });
  const { data } = await target.client.GET("/chat", { params: { query: { limit: 1 } } });
  return data?.data[0];
}
