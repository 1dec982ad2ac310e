/**
 * Validation of what the admin API (and the state file) takes in, all of it from the admin spec
 * (`generated/admin-openapi.json`): the admin routes' Fastify schemas and compiler, and a check of a whole
 * state that HTTP and the state file share: the State schema, then references the schema cannot see.
 */
import type { ValidateFunction } from "ajv";
import { createAjv, refInto } from "../../lib/ajv.ts";
import { toDetails } from "../../lib/ajv-errors.ts";
import { adminSpec, listOperations } from "../../lib/spec.ts";
import { createValidatorCompiler } from "../http/validation.ts";
import { StoreError } from "../store/store-error.ts";
import type { ErrorDetail, SeedOptions, StateSnapshot } from "../store/types.ts";

/** The id the admin spec is registered under, distinct from the public spec's `openapi.json`. */
export const ADMIN_SPEC_ID = "admin-openapi.json";

export const adminOperations = listOperations(adminSpec);

export const createAdminValidatorCompiler = () => createValidatorCompiler(adminSpec, ADMIN_SPEC_ID);

/** At most this many problems are listed for one state: a wholly wrong file of a million contacts says enough. */
const MAX_DETAILS = 50;

let compiled: { state: ValidateFunction; seed: ValidateFunction } | undefined;
function validators() {
  if (!compiled) {
    const ajv = createAjv([{ id: ADMIN_SPEC_ID, doc: adminSpec }], { verbose: true });
    const component = (name: string) => ajv.compile(refInto(ADMIN_SPEC_ID, { $ref: `#/components/schemas/${name}` }));
    compiled = { state: component("State"), seed: component("SeedOptions") };
  }
  return compiled;
}

/** Checks a value against the admin spec's `SeedOptions`; throws a StoreError naming each bad field. */
export function checkSeedOptions(value: unknown): SeedOptions {
  const validate = validators().seed;
  if (!validate(value)) throw invalid("The seed options are invalid", toDetails(validate.errors ?? [], "body"));
  return value as SeedOptions;
}

/**
 * Checks a whole state against the admin spec's `State` schema and for the references the schema cannot
 * see. `State.fromSnapshot` (the store) checks the rest (duplicate ids and emails, unknown channels,
 * contacts and chats), so a state that passes both is one the store can serve.
 */
export function checkState(value: unknown): StateSnapshot {
  const validate = validators().state;
  if (!validate(value)) throw invalid("The state is invalid", toDetails(validate.errors ?? [], "body"));
  return checkReferences(value as StateSnapshot);
}

/** Throws a StoreError listing the state's broken references (see `referenceProblems`), if it has any. */
export function checkReferences(state: StateSnapshot): StateSnapshot {
  const problems = referenceProblems(state);
  if (problems.length > 0) throw invalid("The state is inconsistent", problems);
  return state;
}

/**
 * References among the parts of a state that the store's own operations always keep: the owner is the
 * workspace's, and chats and messages name team members and bots that exist. (A message may name a contact
 * that was deleted since: the store keeps such messages, so an exported state may hold them.)
 */
export function referenceProblems(state: StateSnapshot): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const problem = (field: string, message: string) => problems.push({ in: "body", field, message });
  const team = new Set(state.team.map((m) => m.guid));
  const bots = new Set(state.bots.map((b) => b.guid));
  if (state.workspace.owner !== state.owner.guid) {
    problem("/workspace/owner", `is ${state.workspace.owner}, but the owner is ${state.owner.guid}`);
  }
  state.chats.forEach((chat, i) => {
    if (chat.agent !== null && !team.has(chat.agent)) problem(`/chats/${i}/agent`, `no team member ${chat.agent}`);
    if (chat.bot !== null && !bots.has(chat.bot)) problem(`/chats/${i}/bot`, `no bot ${chat.bot}`);
  });
  state.messages.forEach((message, i) => {
    if (message.agent !== null && !team.has(message.agent)) {
      problem(`/messages/${i}/agent`, `no team member ${message.agent}`);
    }
    if (message.bot !== null && !bots.has(message.bot)) problem(`/messages/${i}/bot`, `no bot ${message.bot}`);
  });
  return problems;
}

function invalid(what: string, details: ErrorDetail[]): StoreError {
  const shown = details.slice(0, MAX_DETAILS);
  const summary = shown
    .slice(0, 5)
    .map((d) => `${d.field || "(body)"} ${d.message}`)
    .join("; ");
  const more = details.length > 5 ? ` (and ${details.length - 5} more)` : "";
  return new StoreError("invalid_request", `${what}: ${summary}${more}.`, shown);
}
