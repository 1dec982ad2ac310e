/**
 * A chat's states (muted, archived, resolved), which the public API cannot change: the admin API changes
 * them, as the platform's own app would, so that their webhook events can be seen.
 */
import { getChat, toChat } from "./chats.ts";
import type { StoreContext } from "./context.ts";
import { notFound } from "./store-error.ts";
import type { Chat } from "./types.ts";

/** Each action on a chat's state: the state, its new value, and the webhook event it sends. */
export const CHAT_ACTIONS = {
  mute: { state: "muted", on: true, event: "chat.muted" },
  unmute: { state: "muted", on: false, event: "chat.unmuted" },
  archive: { state: "archived", on: true, event: "chat.archived" },
  unarchive: { state: "archived", on: false, event: "chat.unarchived" },
  resolve: { state: "resolved", on: true, event: "chat.resolved" },
  reopen: { state: "resolved", on: false, event: "chat.reopened" },
} as const;

export type ChatAction = keyof typeof CHAT_ACTIONS;

/**
 * Sets one state of a chat. `changed` is false when the chat already was in that state (muting a muted
 * chat): nothing changes then, not even `updated_at`.
 */
export function changeChatState(ctx: StoreContext, id: string, action: ChatAction): { chat: Chat; changed: boolean } {
  const { state, on } = CHAT_ACTIONS[action];
  const stored = ctx.state.chats.get(id);
  if (!stored) throw notFound("chat", id);
  if (stored[state] === on) return { chat: getChat(ctx, id), changed: false };
  const next = { ...stored, [state]: on, updated_at: ctx.now() };
  ctx.state.chats.replace(next);
  return { chat: toChat(next), changed: true };
}
