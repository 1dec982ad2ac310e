/**
 * The shapes every admin handler shares: the operation ids of the admin spec, a request's validated parts,
 * the context handlers work on, and the handler's signature. Their own module, so that the route table
 * (routes.ts) and the files of handlers it gathers (triggers.ts, webhooks/admin-handlers.ts) import them
 * without importing one another.
 */
import type { components, operations } from "../../generated/admin-types.ts";
import type { CoverageCounter } from "../engine/coverage.ts";
import type { EventLog } from "../engine/events.ts";
import type { OverrideSet, Overrides } from "../engine/overrides.ts";
import type { Replication } from "../engine/replication-port.ts";
import type { Journal } from "../engine/request-journal.ts";
import type { ScenarioCatalogue } from "../engine/scenarios.ts";
import type { Workspaces } from "../engine/workspaces.ts";
import type { MockOptions } from "../mock-options.ts";
import type { Store } from "../store/store.ts";
import type { Webhooks } from "../webhooks/index.ts";

export type AdminOperationId = keyof operations;
/** What `GET /__admin/health` says of the state file (state-file.ts keeps it; the engine only reads it). */
export type StateFileStatus = components["schemas"]["StateFileStatus"];

/** The JSON body of an operation, `undefined` when it has none or it was left out. */
export type AdminBody<Id extends AdminOperationId> = operations[Id] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B | undefined
  : undefined;

type AdminParameters<Id extends AdminOperationId> = operations[Id]["parameters"];

/** The path and query parameters of a request, validated (and coerced) by the admin spec. */
export interface AdminRequest<Id extends AdminOperationId> {
  path: NonNullable<AdminParameters<Id>["path"]>;
  query: NonNullable<AdminParameters<Id>["query"]>;
}

export interface AdminContext {
  store: () => Store;
  journal: Journal;
  /** The statuses answered, by operation (engine/coverage.ts). */
  coverage: CoverageCounter;
  options: MockOptions;
  webhooks: Webhooks;
  /** Starts the faults' random source afresh from a seed (`Engine.reseed`, engine/index.ts). */
  reseed: (seed: number) => void;
  /**
   * The workspaces of `POST /__admin/workspaces` (engine/workspaces.ts). Left out, the admin API has the
   * default workspace only (creating one is refused).
   */
  workspaces?: Workspaces;
  /** The webhook events kept of this context's workspace (the default one's unless a key names another). */
  events?: () => EventLog | undefined;
  /** The events kept of the workspace of a key. */
  workspaceEvents?: (apiKey: string) => EventLog | undefined;
  /** The state shared with other replicas (`--redis`), when there is one (engine/replication-port.ts). */
  replication?: Replication;
  /** The overrides of the workspace acted on (engine/overrides.ts); left out, the admin API keeps a set of its own. */
  overrides?: OverrideSet;
  /** Every workspace's overrides, to find a workspace's set. */
  overrideSets?: Overrides;
  /** The scenarios there are: the mock's and those of `--scenarios` (engine/scenarios.ts). */
  scenarios?: ScenarioCatalogue;
  /** Where the state file stands (`--state`), or null without one: `GET /__admin/health`. */
  stateFileStatus?: () => StateFileStatus | null;
}

export type Handler<Id extends AdminOperationId> = (
  ctx: AdminContext,
  body: AdminBody<Id>,
  request: AdminRequest<Id>,
) => unknown;
