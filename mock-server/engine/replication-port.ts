/**
 * What the engine asks of a replicated state (mock-server/replication/: several mocks on one Redis), and
 * the shape of a change it hands over. The engine stays free of Redis and of any Node-only API: without a
 * `Replication` it calls the store directly, as it always did.
 *
 * A change is the validated request, not its effect: every replica applies it to its own state in the
 * same order, so they all decide the same way (a duplicate email is refused everywhere). What makes an
 * answer differ between two runs (the time, new ids, a new workspace's key) is fixed by the accepting
 * replica before the change is sent, so applying it is deterministic.
 */
import type { operations as adminOperations, components } from "../../generated/admin-types.ts";
import type { OperationId } from "../../lib/spec.ts";

// The admin spec's operation ids, named from the generated types (as admin/types.ts names them) rather than
// imported from the admin API, which imports `Replication` from here.
type AdminOperationId = keyof adminOperations;

/** A change, as it travels: JSON only. `key` names a workspace (undefined: the default one). */
export type Change =
  | { kind: "public"; op: OperationId; key?: string; path: unknown; query: unknown; body: unknown }
  | { kind: "admin"; op: AdminOperationId; key?: string; path: unknown; query: unknown; body: unknown };

/** A replica's view of the shared state (`GET /__admin/replication`; the admin spec's `Replication`). */
export type ReplicationStatus = components["schemas"]["Replication"];

export interface Replication {
  /**
   * Sends a change to every replica; resolves with what applying it here returned, or rejects with what it
   * threw (a StoreError, the same on every replica) or an `HttpError` 503 when the change could not be sent.
   */
  submit(change: Change): Promise<unknown>;
  /**
   * Called before a read. `false`: read now, the answer is current. A promise: read once it settles; it
   * resolves to true when the answer may be stale (the replica could not reach the others' changes).
   */
  beforeRead(): false | Promise<boolean>;
  /** Where this replica stands (one question to Redis, not waited for past a short time). */
  status(): Promise<ReplicationStatus>;
}

/** The header that flags an answer read from memory while the shared log was out of reach. */
export const STALE_HEADER = "x-mock-stale";
