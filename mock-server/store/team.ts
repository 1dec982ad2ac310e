/** The workspace, its owner and its team: read-only through the public API. */
import type { StoreContext } from "./context.ts";
import { type Envelope, type PageRequest, paginate } from "./paginate.ts";
import { notFound } from "./store-error.ts";
import type { TeamMember, User, Workspace } from "./types.ts";

export const getWorkspace = (ctx: StoreContext): Workspace => ctx.state.workspace;

export const getOwner = (ctx: StoreContext): User => ctx.state.owner;

export function listTeam(ctx: StoreContext, request: PageRequest): Envelope<TeamMember> {
  const { team } = ctx.state;
  return paginate(team.size, request, (offset, limit) => team.slice(offset, limit));
}

export function getTeamMember(ctx: StoreContext, id: string): TeamMember {
  const member = ctx.state.team.get(id);
  if (!member) throw notFound("team member", id);
  return member;
}
