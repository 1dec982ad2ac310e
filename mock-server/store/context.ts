/** What every store operation works on: the current state, and where times and new ids come from. */
import type { State } from "./state.ts";

export interface StoreContext {
  state: State;
  /** Now, as the API writes timestamps. Injectable so tests control time. */
  now(): string;
  /** A new GUID. */
  newId(): string;
}
