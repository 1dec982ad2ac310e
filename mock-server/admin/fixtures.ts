/** `GET /__admin/fixtures`: the ids a client needs that the public API cannot list, read from the state. */
import type { State } from "../store/state.ts";
import type { Fixtures } from "../store/types.ts";

export function fixturesOf(state: State, apiKeys: readonly string[]): Fixtures {
  const owner = state.owner.guid;
  const others = [...state.team.values()].map((m) => m.guid).filter((id) => id !== owner);
  return {
    workspace: state.workspace.guid,
    owner,
    // The owner first, then the rest of the team in their order.
    team: state.team.has(owner) ? [owner, ...others] : others,
    channels: [...state.channels.values()].map(({ guid, type, name }) => ({ guid, type, name })),
    bots: [...state.bots.values()].map(({ guid, name }) => ({ guid, name })),
    apiKeys: [...apiKeys],
  };
}
