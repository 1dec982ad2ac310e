/**
 * The admin API's triggers: changes the public API cannot make, made for real in the store (the public
 * API then shows them), each of which sends its webhook event. One store call each.
 */
import type { Handler } from "./types.ts";

type TriggerOperationId =
  | "changeChatState"
  | "editMessage"
  | "deleteMessage"
  | "addTeamMember"
  | "updateTeamMember"
  | "removeTeamMember";

/** Bodies are required by the admin spec, which validates them before a handler runs. */
function required<T>(body: T | undefined): T {
  if (body === undefined) throw new Error("the admin spec requires a body");
  return body;
}

export const triggerHandlers: { [Id in TriggerOperationId]: Handler<Id> } = {
  changeChatState: (ctx, _, { path }) => ctx.store().changeChatState(path.chatId, path.action),
  editMessage: (ctx, body, { path }) =>
    ctx.store().editChatMessage(path.chatId, path.messageId, required(body).message),
  deleteMessage: (ctx, _, { path }) => ctx.store().deleteChatMessage(path.chatId, path.messageId),
  addTeamMember: (ctx, body) => ctx.store().addTeamMember(required(body)),
  updateTeamMember: (ctx, body, { path }) => ctx.store().updateTeamMember(path.memberId, required(body)),
  removeTeamMember: (ctx, _, { path }) => ctx.store().removeTeamMember(path.memberId),
};
