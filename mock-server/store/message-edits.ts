/**
 * Editing and deleting a message, which the public API cannot do: the admin API does it, as an agent would
 * in the platform's app, so that `chat.message.updated` and `chat.message.deleted` can be seen.
 */
import { getMessage } from "./chats.ts";
import type { StoreContext } from "./context.ts";
import type { Message } from "./types.ts";

/** Replaces a message's text; its `updated_at` moves, its chat does not change. */
export function editMessage(ctx: StoreContext, chatId: string, messageId: string, text: string): Message {
  const next: Message = { ...getMessage(ctx, chatId, messageId), message: text, updated_at: ctx.now() };
  ctx.state.messages.get(chatId)?.replace(next);
  return next;
}

/** Deletes a message of a chat; afterwards its id answers 404. */
export function deleteMessage(ctx: StoreContext, chatId: string, messageId: string): void {
  getMessage(ctx, chatId, messageId);
  ctx.state.messages.get(chatId)?.remove(messageId);
}
