/**
 * The samples a round trip carries: at least one for every object schema of the spec, each of which is a
 * model in every language (generate-models-lib.ts). All are made by the seeded mock, in process (`inject`):
 *
 * - the answer of every GET of the spec (its 200 schema read from the spec), and an error with and without
 *   `details`;
 * - the body of every operation that takes one (its schema read from the spec), each accepted by the mock;
 * - the body of every webhook of the spec, as the store tells the change (stamped with `id` and `ts` as the
 *   sender does), for changes made through the public API and the admin triggers;
 * - for a schema found only inside others (`ErrorDetail`, a webhook's `data`), the value inside its parent.
 *
 * What is written by hand is only how to make the mock produce each; which schemas, operations and events
 * there are comes from the spec. An operation, parameter or webhook this file cannot make throws, naming it;
 * roundtrip.test.ts fails, naming the schema, when an object schema has no sample.
 */
import { randomUUID } from "node:crypto";
import type { oas31 } from "openapi3-ts";
import type { operations } from "../generated/types.ts";
import { isRef, listOperations, type Operation, type OperationId, publicSpec, resolve } from "../lib/spec.ts";
import { listWebhooks } from "../lib/webhooks.ts";
import type { InjectOptions } from "../mock-server/app.ts";
import { buildMockServer } from "../mock-server/app.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../mock-server/mock-options.ts";

export interface Sample {
  /** What it is, in words, for test names. */
  name: string;
  /** The component schema it is an instance of (`#/components/schemas/<schema>`). */
  schema: string;
  body: unknown;
}

type Json = Record<string, unknown>;
const SCHEMAS = "#/components/schemas/";
const MISSING_ID = "00000000-0000-4000-8000-000000000000";

/** The object schemas of `components.schemas`: each is a model of its own in every language. */
export function objectSchemas(doc: oas31.OpenAPIObject = publicSpec): string[] {
  return Object.entries(doc.components?.schemas ?? {})
    .filter(([, schema]) => (schema as oas31.SchemaObject).type === "object")
    .map(([name]) => name);
}

/** The component a schema node names: `{ $ref: "#/components/schemas/Contact" }` is "Contact". */
function componentOf(node: unknown): string | undefined {
  return isRef(node) && node.$ref.startsWith(SCHEMAS) ? node.$ref.slice(SCHEMAS.length) : undefined;
}

function answerSchema(op: Operation, status: string): string {
  const name = componentOf(op.responses.get(status)?.schemas.get("application/json"));
  if (!name) throw new Error(`${op.id} documents no JSON schema of its own for ${status}`);
  return name;
}

/** The operations that take a JSON body, by the generated types: each needs a body in `bodies`. */
type BodyOperationId = {
  [Id in OperationId]: operations[Id] extends { requestBody: { content: { "application/json": unknown } } }
    ? Id
    : never;
}[OperationId];
type BodyOf<Id extends BodyOperationId> = operations[Id]["requestBody"]["content"]["application/json"];

interface Made {
  contact: string;
  chat: string;
  liveChat: string;
  agent: string;
  bot: string;
}

/** A body for each operation that takes one, with every field the models can carry (no explicit null). */
const bodies: { [Id in BodyOperationId]: (made: Made) => BodyOf<Id> } = {
  createContact: () => ({
    name: "Round Trip",
    email: "round.trip@example.com",
    phone: "+61 400 000 000",
    ip: "203.0.113.7",
    origin: "https://example.com/pricing",
    description: "Made by the models' round trip",
    country: "Australia",
    zip_code: "4000",
    city: "Brisbane",
    state: "QLD",
    address: "1 Queen Street",
    company: "Round Trip Pty Ltd",
    lang: "en",
  }),
  updateContact: () => ({ city: "Cairns", company: "Trip Round Pty Ltd" }),
  createChat: (made) => ({
    channel: made.liveChat,
    message: "Hello from the round trip",
    chatflow: 1,
    agent: made.agent,
  }),
  createChatMessage: (made) => ({ message: "A second message", bot: made.bot }),
  updateChat: () => ({ title: "Round trip" }),
};

/** Values of path and query parameters, by name, from the seeded data. */
type Fillers = Record<string, string>;
/** A request to the mock (below the public API's base path, or the admin API's), failing unless it answers `status` (any 2xx when not given). */
type Api = (method: string, path: string, payload?: unknown, status?: number) => Promise<Json>;

export async function collectSamples(): Promise<Sample[]> {
  const app = await buildMockServer();
  const events: Json[] = [];
  app.store.onChange(({ event }) =>
    events.push({ event: event.event, id: randomUUID(), ts: Math.floor(Date.now() / 1000), data: event.data }),
  );
  const call: Api = async (method, url, payload, status) => {
    const response = await app.inject({
      method: method as InjectOptions["method"],
      url,
      // Admin writes over HTTP go as JSON, even with no body (a page's no-preflight request is refused).
      headers: { "x-api-key": DEFAULT_API_KEY, "content-type": "application/json" },
      ...(payload === undefined ? {} : { payload: payload as Json }),
    });
    const ok = status === undefined ? response.statusCode < 300 : response.statusCode === status;
    if (!ok)
      throw new Error(`${method} ${url} answered ${response.statusCode}, not ${status ?? "2xx"}: ${response.body}`);
    return (response.body ? response.json() : {}) as Json;
  };
  const api: Api = (method, path, payload, status) => call(method, `${PUBLIC_PREFIX}${path}`, payload, status);
  const admin: Api = (method, path, payload) => call(method, `/__admin${path}`, payload);

  try {
    const ops = listOperations();
    const samples = [...(await answers(api, ops, await seededFillers(api))), ...(await errors(api, ops))];
    samples.push(...(await changes(api, admin, ops)));
    samples.push(...webhookBodies(events));
    return [...samples, ...nestedSamples(samples)];
  } finally {
    await app.close();
  }
}

const first = (page: Json): Json => {
  const [item] = page.data as Json[];
  if (!item) throw new Error("an empty page where the seed has items");
  return item;
};

async function seededFillers(api: Api): Promise<Fillers> {
  const contacts = (await api("GET", "/contact?limit=100")).data as Json[];
  const contact = contacts.find((c) => typeof c.email === "string");
  const chatId = String(first(await api("GET", "/chat?limit=5")).guid);
  return {
    contactId: String(contact?.guid),
    email: String(contact?.email),
    chatId,
    messageId: String(first(await api("GET", `/chat/${chatId}/message?limit=10`)).guid),
    memberId: String(first(await api("GET", "/team")).guid),
  };
}

/** The 200 answer of every GET of the spec, its path and required query filled from the seed. */
async function answers(api: Api, ops: Operation[], fillers: Fillers): Promise<Sample[]> {
  const value = (op: Operation, name: string) => {
    const found = fillers[name];
    if (found === undefined) throw new Error(`no value for the parameter ${name} of ${op.id}: add one to samples.ts`);
    return encodeURIComponent(found);
  };
  const samples: Sample[] = [];
  for (const op of ops.filter((o) => o.method === "get")) {
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => value(op, name));
    const query = op.parameters
      .filter((p) => p.in === "query" && p.required)
      .map((p) => `${p.name}=${value(op, p.name)}`)
      .join("&");
    const body = await api("GET", query ? `${path}?${query}` : path, undefined, 200);
    samples.push({ name: `the answer of ${op.id}`, schema: answerSchema(op, "200"), body });
  }
  return samples;
}

/** An error with `details` (a bad query) and one without (an unknown id). */
async function errors(api: Api, ops: Operation[]): Promise<Sample[]> {
  const byId = (id: OperationId) => ops.find((o) => o.id === id) as Operation;
  return [
    {
      name: "an error with details",
      schema: answerSchema(byId("listContacts"), "400"),
      body: await api("GET", "/contact?limit=1000", undefined, 400),
    },
    {
      name: "an error without details",
      schema: answerSchema(byId("getContact"), "404"),
      body: await api("GET", `/contact/${MISSING_ID}`, undefined, 404),
    },
  ];
}

/**
 * The body of every operation that takes one, sent and accepted; then what makes the rest of the webhooks:
 * a chat's states, a message edited and deleted (admin triggers), the team, and deletes.
 */
async function changes(api: Api, admin: Api, ops: Operation[]): Promise<Sample[]> {
  const fixtures = await admin("GET", "/fixtures");
  const channels = fixtures.channels as { guid: string; type: string }[];
  const made: Made = {
    contact: "",
    chat: "",
    liveChat: channels.find((c) => c.type === "LiveChatWeb")?.guid ?? "",
    agent: (fixtures.team as string[])[0] ?? "",
    bot: (fixtures.bots as { guid: string }[])[0]?.guid ?? "",
  };
  const samples: Sample[] = [];
  const send = async <Id extends BodyOperationId>(id: Id, path: string): Promise<Json> => {
    const op = ops.find((o) => o.id === id);
    const schema = componentOf(op?.requestBody?.schema);
    if (!op || !schema) throw new Error(`${id} takes no JSON body of a schema of its own`);
    const body = bodies[id](made);
    samples.push({ name: `the body of ${id}`, schema, body });
    return api(op.method.toUpperCase(), path, body, 200);
  };

  made.contact = String((await send("createContact", "/contact")).guid);
  await send("updateContact", `/contact/${made.contact}`);
  made.chat = String((await send("createChat", "/chat")).guid);
  const message = String((await send("createChatMessage", `/chat/${made.chat}/message`)).guid);
  await send("updateChat", `/chat/${made.chat}`);
  const unsent = ops.filter((op) => op.requestBody && !samples.some((s) => s.name === `the body of ${op.id}`));
  if (unsent.length > 0)
    throw new Error(`no body sent for ${unsent.map((op) => op.id).join(", ")}: send it in samples.ts`);

  for (const action of ["mute", "unmute", "archive", "unarchive", "resolve", "reopen"]) {
    await admin("POST", `/chats/${made.chat}/${action}`);
  }
  await admin("PUT", `/chats/${made.chat}/messages/${message}`, { message: "An edited message" });
  await admin("DELETE", `/chats/${made.chat}/messages/${message}`);
  const member = await admin("POST", "/team", { name: "Round Trip", email: "member.trip@example.com" });
  await admin("PUT", `/team/${String(member.guid)}`, { name: "Trip Round" });
  await admin("DELETE", `/team/${String(member.guid)}`);
  await api("DELETE", `/chat/${made.chat}`);
  await api("DELETE", `/contact/${made.contact}`);
  return samples;
}

/** The first body the mock made of every webhook of the spec. */
function webhookBodies(events: Json[]): Sample[] {
  return listWebhooks().map((hook) => {
    const body = events.find((e) => e.event === hook.event);
    const schema = componentOf(hook.schema);
    if (!body || !schema) throw new Error(`no change of the mock sent ${hook.event}: make one in samples.ts`);
    return { name: `the ${hook.event} webhook`, schema, body };
  });
}

/** For each object schema without a sample yet, the first value of it found inside the samples. */
function nestedSamples(samples: Sample[]): Sample[] {
  const found = new Map<string, Sample>();
  const visit = (parent: Sample, value: unknown, schemaName: string, pointer: string) => {
    const schema = resolve<oas31.SchemaObject>(publicSpec, { $ref: `${SCHEMAS}${schemaName}` });
    for (const [key, node] of Object.entries(schema.properties ?? {})) {
      const child = (value as Json)[key];
      const items = resolve<oas31.SchemaObject>(publicSpec, node).items;
      const [name, inner, at] = componentOf(node)
        ? [componentOf(node), child, `${pointer}/${key}`]
        : [componentOf(items), Array.isArray(child) ? child[0] : undefined, `${pointer}/${key}/0`];
      if (!name || typeof inner !== "object" || inner === null) continue;
      if (!found.has(name)) found.set(name, { name: `${parent.name}, at ${at}`, schema: name, body: inner });
      visit(parent, inner, name, at);
    }
  };
  for (const sample of samples) visit(sample, sample.body, sample.schema, "");
  const sampled = new Set(samples.map((s) => s.schema));
  return [...found.values()].filter((s) => !sampled.has(s.schema));
}
