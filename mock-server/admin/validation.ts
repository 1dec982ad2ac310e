/**
 * Validation of what the admin API (and the state file) takes in, all of it from the admin spec
 * (`generated/admin-openapi.json`): the seed options, and a check of a whole state that the admin API and
 * the state file share: the State schema, then what the schema cannot say (no undocumented fields in a
 * record the public API will serve, and references between records).
 */
import type { ValidateFunction } from "ajv";
import type { oas31 } from "openapi3-ts";
import { createAjv, refInto } from "../../lib/ajv.ts";
import { toDetails } from "../../lib/ajv-errors.ts";
import { adminSpec, listOperations, resolve } from "../../lib/spec.ts";
import { resolveAnswer } from "../engine/overrides.ts";
import { expandOverrides, type ScenarioFile } from "../engine/scenarios.ts";
import { HttpError } from "../http-error.ts";
import { InvalidInputError } from "../invalid-input.ts";
import type { ErrorDetail, SeedOptions, StateSnapshot } from "../store/types.ts";

/** The id the admin spec is registered under, distinct from the public spec's `openapi.json`. */
export const ADMIN_SPEC_ID = "admin-openapi.json";

export const adminOperations = listOperations(adminSpec);

/** At most this many problems are listed for one state: a wholly wrong file of a million contacts says enough. */
const MAX_DETAILS = 50;

let ajv: ReturnType<typeof createAjv> | undefined;
let firstErrorAjv: ReturnType<typeof createAjv> | undefined;
const compiled = new Map<string, ValidateFunction>();
/**
 * The validator of a schema of the admin spec (a `$ref` into it), compiled on first use (State is large).
 * `allErrors`: every problem, for the details; without it, a check that stops at the first problem.
 */
function validator(ref: string, allErrors = true): ValidateFunction {
  const key = `${allErrors ? "all" : "first"} ${ref}`;
  let validate = compiled.get(key);
  if (!validate) {
    // No meta-schema check of the spec's own schemas (see engine/stages/validation.ts): the CLI checks its flags
    // with SeedOptions on every start.
    const options = { verbose: true, validateSchema: false } as const;
    const documents = [{ id: ADMIN_SPEC_ID, doc: adminSpec }];
    if (allErrors) ajv ??= createAjv(documents, options);
    else firstErrorAjv ??= createAjv(documents, { ...options, allErrors: false });
    const compiler = (allErrors ? ajv : firstErrorAjv) as ReturnType<typeof createAjv>;
    validate = compiler.compile(refInto(ADMIN_SPEC_ID, { $ref: ref }));
    compiled.set(key, validate);
  }
  return validate;
}

const schemaRef = (name: string) => `#/components/schemas/${name}`;

/** Checks a value against the admin spec's `SeedOptions`; throws an InvalidInputError naming each bad field. */
export function checkSeedOptions(value: unknown): SeedOptions {
  const validate = validator(schemaRef("SeedOptions"));
  if (!validate(value)) throw invalid("The seed options are invalid", toDetails(validate.errors ?? [], "body"));
  return value as SeedOptions;
}

/**
 * Checks the scenarios of `--scenarios FILE` against the admin spec's `ScenarioFile`, then each override
 * against the public spec as `POST /__admin/overrides` would; throws an InvalidInputError naming each bad
 * field (`/scenarios/NAME/overrides/0/status`).
 */
export function checkScenarioFile(value: unknown): ScenarioFile {
  const validate = validator(schemaRef("ScenarioFile"));
  if (!validate(value)) throw invalid("The scenarios are invalid", toDetails(validate.errors ?? [], "body"));
  const file = value as ScenarioFile;
  const details: ErrorDetail[] = [];
  for (const [name, scenario] of Object.entries(file.scenarios)) {
    for (const [i, override] of expandOverrides(scenario).entries()) {
      try {
        resolveAnswer(override.operationId, override, `/scenarios/${name}/overrides/${i}/`);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        details.push(...error.details.map((d) => ({ ...d, message: `${d.message} (${error.message})` })));
      }
    }
  }
  if (details.length > 0) throw invalid("The scenarios are invalid", details);
  return file;
}

/**
 * Checks a whole state against the admin spec's `State` schema, then `checkBeyondSchema`. The store's
 * `State.fromSnapshot` checks the rest (duplicate ids and emails, unknown channels, contacts and chats),
 * so a state that passes all three is one the store can serve.
 */
export function checkState(value: unknown): StateSnapshot {
  // A valid state passes a check that stops at the first problem, in time linear in its size.
  if (!validator(schemaRef("State"), false)(value)) {
    const { details, more } = stateProblems(value);
    throw invalid("The state is invalid", details, more);
  }
  return checkBeyondSchema(value as StateSnapshot);
}

/**
 * The first MAX_DETAILS problems of a state that the schema refuses, and whether there are more. Ajv with
 * `allErrors` over the whole State takes time quadratic in the number of failing records (each `$ref`'d
 * record's errors are concatenated onto all those before), so 12,000 empty contacts held the server for
 * seconds: the parts that are lists are checked here record by record instead, stopping at MAX_DETAILS.
 */
function stateProblems(value: unknown): { details: ErrorDetail[]; more: boolean } {
  const whole = validator(schemaRef("State"));
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    whole(value);
    return { details: toDetails(whole.errors ?? [], "body"), more: false };
  }
  const state = value as Record<string, unknown>;
  const lists = [...listItems()].filter(([part]) => Array.isArray(state[part]));
  // The state with its lists emptied: what is wrong outside the records (a missing part, a bad workspace).
  const outside = { ...state, ...Object.fromEntries(lists.map(([part]) => [part, []])) };
  const details = whole(outside) ? [] : toDetails(whole.errors ?? [], "body");
  for (const [part, itemRef] of lists) {
    const records = state[part] as unknown[];
    const first = validator(itemRef, false);
    const all = validator(itemRef);
    for (let i = 0; i < records.length; i++) {
      if (first(records[i])) continue;
      if (details.length >= MAX_DETAILS) return { details, more: true };
      all(records[i]);
      for (const detail of toDetails(all.errors ?? [], "body")) {
        details.push({ ...detail, field: `/${part}/${i}${detail.field}` });
      }
    }
  }
  if (details.length > 0) return { details: details.slice(0, MAX_DETAILS), more: details.length > MAX_DETAILS };
  // Only a rule about a list as a whole fails (none has many errors): the whole state's own words.
  whole(value);
  return { details: toDetails(whole.errors ?? [], "body"), more: false };
}

let itemsByPart: Map<string, string> | undefined;
/** Each part of the State that is a list of records named by a `$ref`, and that `$ref`. */
function listItems(): Map<string, string> {
  if (!itemsByPart) {
    itemsByPart = new Map();
    const state = resolve<oas31.SchemaObject>(adminSpec, { $ref: schemaRef("State") });
    for (const [part, raw] of Object.entries(state.properties ?? {})) {
      const schema = resolve<oas31.SchemaObject>(adminSpec, raw);
      const items = schema.type === "array" ? schema.items : undefined;
      if (items && "$ref" in items && typeof items.$ref === "string") itemsByPart.set(part, items.$ref);
    }
  }
  return itemsByPart;
}

/**
 * For a state that the schema accepts: throws an InvalidInputError listing its undocumented fields and broken
 * references, if it has any.
 */
export function checkBeyondSchema(state: StateSnapshot): StateSnapshot {
  const undocumented = undocumentedFields(state);
  if (undocumented.length > 0) throw invalid("The state has undocumented fields", undocumented);
  const problems = referenceProblems(state);
  if (problems.length > 0) throw invalid("The state is inconsistent", problems);
  return state;
}

/**
 * The spec leaves records open (the live API may add fields), so the schema lets a contact with an extra
 * field through; but the mock would then serve it, and the mock sends no undocumented property. The
 * fields each part of the state may have are read from the State schema (following `allOf`).
 */
export function undocumentedFields(state: StateSnapshot): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [part, allowed] of recordFields()) {
    const value = (state as unknown as Record<string, unknown>)[part];
    const records = Array.isArray(value) ? value : [value];
    records.forEach((record, i) => {
      if (typeof record !== "object" || record === null) return;
      for (const field of Object.keys(record)) {
        if (allowed.has(field)) continue;
        const at = Array.isArray(value) ? `/${part}/${i}/${field}` : `/${part}/${field}`;
        problems.push({ in: "body", field: at, message: "is not a documented property" });
        if (problems.length >= MAX_DETAILS) return;
      }
    });
  }
  return problems;
}

let fieldsByPart: Map<string, Set<string>> | undefined;
/** Each part of the State (`contacts`, `workspace`, ...) and the fields its records may have. */
function recordFields(): Map<string, Set<string>> {
  if (!fieldsByPart) {
    const schema = (s: oas31.SchemaObject | oas31.ReferenceObject) => resolve<oas31.SchemaObject>(adminSpec, s);
    const fields = (s: oas31.SchemaObject | oas31.ReferenceObject): string[] => {
      const resolved = schema(s);
      return [...Object.keys(resolved.properties ?? {}), ...(resolved.allOf ?? []).flatMap(fields)];
    };
    const state = schema({ $ref: "#/components/schemas/State" });
    fieldsByPart = new Map();
    for (const [part, raw] of Object.entries(state.properties ?? {})) {
      const partSchema = schema(raw);
      fieldsByPart.set(part, new Set(fields(partSchema.type === "array" && partSchema.items ? partSchema.items : raw)));
    }
  }
  return fieldsByPart;
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

/** `truncated`: `details` are the first of more problems, which were not all counted. */
function invalid(what: string, details: ErrorDetail[], truncated = false): InvalidInputError {
  const shown = details.slice(0, MAX_DETAILS);
  const summary = shown
    .slice(0, 5)
    .map((d) => `${d.field || "(body)"} ${d.message}`)
    .join("; ");
  const more =
    truncated || details.length > MAX_DETAILS
      ? ` (and more: the first ${shown.length} problems are listed)`
      : details.length > 5
        ? ` (and ${details.length - 5} more)`
        : "";
  return new InvalidInputError(`${what}: ${summary}${more}.`, shown);
}
