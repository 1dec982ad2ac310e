/**
 * Adding, changing and removing team members, which the public API cannot do: the admin API does it, as
 * the workspace's settings would, so that `user.created`, `user.updated` and `user.deleted` can be seen.
 * The owner stays the owner: its role cannot change and it cannot be removed; changing its name, email or
 * picture changes the workspace's owner (`GET /workspace/me`) too.
 */
import type { StoreContext } from "./context.ts";
import { StoreError } from "./store-error.ts";
import { getTeamMember } from "./team.ts";
import type { TeamMember, TeamMemberCreate, TeamMemberUpdate } from "./types.ts";

export function addTeamMember(ctx: StoreContext, input: TeamMemberCreate): TeamMember {
  const member: TeamMember = {
    guid: ctx.newId(),
    name: input.name,
    email: input.email,
    avatar: input.avatar ?? null,
    role: input.role ?? "agent",
    created_at: ctx.now(),
  };
  ctx.state.team.add(member);
  return member;
}

export function updateTeamMember(ctx: StoreContext, id: string, input: TeamMemberUpdate): TeamMember {
  const { state } = ctx;
  const current = getTeamMember(ctx, id);
  const isOwner = id === state.owner.guid;
  if (input.role !== undefined && input.role !== current.role && (isOwner || input.role === "owner")) {
    throw new StoreError("invalid_request", "A workspace has one owner, who keeps the role owner.", [
      { in: "body", field: "/role", message: isOwner ? "cannot change for the owner" : "cannot be owner" },
    ]);
  }
  const next: TeamMember = {
    ...current,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.avatar !== undefined ? { avatar: input.avatar } : {}),
    ...(input.role !== undefined ? { role: input.role } : {}),
  };
  state.team.replace(next);
  if (isOwner) state.owner = { ...state.owner, name: next.name, email: next.email, avatar: next.avatar };
  return next;
}

/**
 * Removes a member. Refused for the owner, and for a member who started a chat or sent a message: the
 * mock keeps every chat's and message's agent a member of the team.
 */
export function removeTeamMember(ctx: StoreContext, id: string): void {
  const { state } = ctx;
  getTeamMember(ctx, id);
  if (id === state.owner.guid) {
    throw new StoreError("invalid_request", "The workspace's owner cannot be removed from the team.");
  }
  const chats = [...state.chats.values()].filter((chat) => chat.agent === id).length;
  let messages = 0;
  for (const list of state.messages.values()) for (const m of list.values()) if (m.agent === id) messages++;
  if (chats + messages > 0) {
    throw new StoreError(
      "invalid_request",
      `Team member ${id} is the agent of ${chats} chat(s) and ${messages} message(s), so cannot be removed: the mock keeps every agent a member. Remove a member who has no chats or messages (one added with POST /__admin/team).`,
    );
  }
  state.team.remove(id);
}
