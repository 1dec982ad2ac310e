/**
 * The admin API's handler table, one entry per operation of its spec, and what each route asks of whoever
 * serves it (a larger body limit, validation left to the handler, staying out of the journal). No
 * framework here: engine/admin-operations.ts makes each route an operation of the engine's pipeline, which
 * serves it. Each handler is one call; the store, the seeding, the journal and the webhooks do the work.
 */
import { acceptedKeys, journalFile } from "../engine/journal-file.ts";
import { HttpError } from "../http-error.ts";
import { seedState } from "../store/seed.ts";
import { webhookHandlers } from "../webhooks/admin-handlers.ts";
import { fixturesOf } from "./fixtures.ts";
import { overrideHandlers } from "./overrides.ts";
import { JsonChunks, stateJsonChunks } from "./state-json.ts";
import { triggerHandlers } from "./triggers.ts";
import type { AdminContext, AdminOperationId, Handler } from "./types.ts";
import { checkState } from "./validation.ts";

/** The largest state `PUT /__admin/state` takes: far above the public API's 1 MiB, for large data sets. */
export const STATE_BODY_LIMIT = 512 * 1024 * 1024;

/** The body limit of an admin route, when it is not the public API's. */
export const BODY_LIMITS: Partial<Record<AdminOperationId, number>> = { importState: STATE_BODY_LIMIT };

/**
 * Validated in the handler, not by the route: the State schema is the largest there is, and compiling it
 * at start-up would slow every start for a route that is seldom called. `checkState` compiles it on first
 * use and is the same check the state file gets.
 */
export const CHECKED_IN_HANDLER: ReadonlySet<AdminOperationId> = new Set<AdminOperationId>(["importState"]);

/** The journal's own routes stay out of it: reading the journal should not change it. */
export const JOURNAL_ROUTES: ReadonlySet<AdminOperationId> = new Set<AdminOperationId>([
  "listRequests",
  "clearRequests",
  "getJournalFile",
]);

/**
 * What each replica keeps for itself when several share one state (mock-server/replication/): the requests
 * it answered, the statuses it answered, the deliveries it made. Every other route reads or changes the
 * shared state.
 */
export const PER_REPLICA: ReadonlySet<AdminOperationId> = new Set<AdminOperationId>([
  ...JOURNAL_ROUTES,
  "getCoverage",
  "clearCoverage",
  "listWebhookDeliveries",
  "clearWebhookDeliveries",
  "getReplication",
  "getHealth",
  // Each replica keeps the events it saw, as it keeps its journal.
  "listEvents",
  "clearEvents",
  // Each replica has a clock of its own: a change is stamped by the replica that accepts it.
  "getClock",
  "moveClock",
]);

const fixtures = (ctx: AdminContext) => fixturesOf(ctx.store().state, ctx.options.apiKeys);

/**
 * A handler's result is the 200 answer's JSON body; `undefined` is a 200 with no body; `JsonChunks` is JSON
 * text in pieces (a large state).
 */
export const handlers: { [Id in AdminOperationId]: Handler<Id> } = {
  getFixtures: (ctx) => fixtures(ctx),
  resetState: (ctx, body) => {
    // Each size not given is the one the mock started with, not the one of the last reset.
    const seed = { ...ctx.options.seed, ...body };
    ctx.store().replace(seedState(seed));
    // The faults too start again from the seed: after a reset, a run replays as after a start.
    ctx.reseed(seed.seed);
    // As after a start: no override in force, no scenario.
    ctx.overrides?.clear();
    return fixtures(ctx);
  },
  createWorkspace: (ctx, body) => {
    if (!ctx.workspaces) throw new Error("this admin API was made without workspaces");
    const { apiKey, store } = ctx.workspaces.create({
      ...(body?.apiKey !== undefined ? { apiKey: body.apiKey } : {}),
      ...(body?.seed !== undefined ? { seed: body.seed } : {}),
    });
    return { apiKey, workspace: store.getWorkspace() };
  },
  removeWorkspace: (ctx, _, { path }) => {
    if (!ctx.workspaces?.remove(path.apiKey)) {
      throw new HttpError("not_found", "No workspace has this API key (the default workspace cannot be removed).", [
        { in: "path", field: "apiKey", message: "is not the key of a workspace" },
      ]);
    }
    ctx.overrideSets?.drop(path.apiKey);
  },
  exportState: (ctx) => new JsonChunks(stateJsonChunks(ctx.store().snapshot())),
  importState: (ctx, body) => {
    // The schema and what it cannot say are checked here, the rest by the store; each throws before the
    // current state is touched.
    ctx.store().replace(checkState(body));
    return fixtures(ctx);
  },
  listRequests: (ctx) => ctx.journal.list(),
  getJournalFile: (ctx) => journalFile(ctx.journal, acceptedKeys(ctx)),
  clearRequests: (ctx) => {
    ctx.journal.clear();
  },
  getCoverage: (ctx) => ctx.coverage.report(),
  // A promise: the engine's dispatcher answers once it settles.
  getReplication: (ctx) => ctx.replication?.status() ?? { shared: false },
  getHealth: (ctx) => {
    const stateFile = ctx.stateFileStatus?.() ?? null;
    return { status: stateFile?.lastError ? "degraded" : "ok", stateFile };
  },
  clearCoverage: (ctx) => {
    ctx.coverage.clear();
  },
  listEvents: (ctx) => {
    const events = ctx.events?.();
    return { data: events?.list() ?? [], capacity: events?.capacity ?? 0 };
  },
  clearEvents: (ctx) => {
    ctx.events?.()?.clear();
  },
  getClock: (ctx) => ctx.options.clock.state(),
  // A promise when it advances: answered once the waits that fell due have run.
  moveClock: (ctx, body) => {
    const { clock } = ctx.options;
    if (body?.real) clock.real();
    if (body?.set !== undefined) clock.set(body.set);
    return body?.advance !== undefined ? clock.advance(body.advance) : clock.state();
  },
  ...webhookHandlers,
  ...triggerHandlers,
  ...overrideHandlers,
};
