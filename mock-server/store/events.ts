/**
 * What the store tells its listeners after each change it made: the webhook event the change causes, as
 * the spec's `webhooks` describe it, but for the event's `id` and `ts`, which the sender stamps (so that
 * telling reads no clock). A method that throws has changed nothing and tells nothing. A listener must
 * not throw.
 */
import type { WebhookEventName, WebhookPayload } from "../../lib/webhooks.ts";
import type { StoreContext } from "./context.ts";
import type { Chat, Contact, Message, TeamMember, User } from "./types.ts";

type Unstamped<T> = T extends unknown ? Omit<T, "id" | "ts"> : never;

export interface StoreChange {
  /** The webhook body, but its `id` and `ts`. */
  event: Unstamped<WebhookPayload>;
  /**
   * Changes with the same key must reach a receiver in the order they happened: the object's GUID, and for
   * a message its chat's (so a chat's first message never overtakes the chat).
   */
  orderKey: string;
}

export type ChangeListener = (change: StoreChange) => void;

/**
 * A change's webhook body as the spec describes it, `{event, id, ts, data}` in that order: `id` a new
 * UUID, `ts` the Unix seconds of `at` (the mock's clock, ISO text, read right after the change). The one
 * stamping for every way the events leave the mock: POSTed by the webhooks, or handed over in process.
 */
export function stampChange(
  change: StoreChange,
  at: string,
  id: string = globalThis.crypto.randomUUID(),
): WebhookPayload {
  const { event, data } = change.event;
  // Rebuilt, not spread, for the spec's key order; the cast joins back what the destructuring set apart.
  return { event, id, ts: Math.floor(Date.parse(at) / 1000), data } as WebhookPayload;
}

type EventOf<Data> = Extract<WebhookPayload, { data: Data }>["event"];
type ContactEvent = EventOf<{ contact: Contact }>;
type ChatEvent = EventOf<{ chat: Chat }>;
type MessageEvent = EventOf<{ message: Message }>;
type UserEvent = EventOf<{ user: User }>;
type DeletedEvent = Exclude<WebhookEventName, ContactEvent | ChatEvent | MessageEvent | UserEvent>;

const envelope = (ctx: StoreContext, guid: string) => ({ workspace: ctx.state.workspace.guid, guid });

export const changes = {
  contact: (ctx: StoreContext, event: ContactEvent, contact: Contact): StoreChange => ({
    event: { event, data: { ...envelope(ctx, contact.guid), contact } },
    orderKey: contact.guid,
  }),
  chat: (ctx: StoreContext, event: ChatEvent, chat: Chat): StoreChange => ({
    event: { event, data: { ...envelope(ctx, chat.guid), chat } },
    orderKey: chat.guid,
  }),
  message: (ctx: StoreContext, event: MessageEvent, message: Message): StoreChange => ({
    event: { event, data: { ...envelope(ctx, message.guid), message } },
    orderKey: message.chat,
  }),
  /** A team member as the User the webhooks carry: the member without its role. */
  user: (ctx: StoreContext, event: UserEvent, { role: _, ...user }: TeamMember): StoreChange => ({
    event: { event, data: { ...envelope(ctx, user.guid), user } },
    orderKey: user.guid,
  }),
  /** The `*.deleted` events carry the id alone; `orderKey` is the object's (for a message, its chat's). */
  deleted: (ctx: StoreContext, event: DeletedEvent, guid: string, orderKey = guid): StoreChange => ({
    event: { event, data: envelope(ctx, guid) },
    orderKey,
  }),
};
