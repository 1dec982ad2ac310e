/**
 * The vendor's facts as tables, held against the spec with nothing outside the repository: the
 * operations (method, path, the spec's operationId), their path and query parameters with the required
 * flags, the pagination bounds, the body fields, and the 17 webhook events with what each carries.
 *
 * The facts are copied from the vendor's API reference and webhook page (`../shared/` in CI, read whole by
 * spec-matches-reference.test.ts and spec-webhooks.test.ts, which skip when those are absent). A change of
 * the spec that the vendor did not make fails here in any clone; a change the vendor made is a deliberate
 * edit of these tables. Paths are the spec's spelling (`{contactId}` where the reference writes
 * `{{contactID}}`); operationIds are the spec's names, which the typed client and the models are keyed by.
 */
import type { oas31 } from "openapi3-ts";
import { describe, expect, it } from "vitest";
import { listOperations, type Operation, publicSpec, resolve } from "../../lib/spec.ts";
import { listWebhooks } from "../../lib/webhooks.ts";

interface OperationFact {
  method: "get" | "post" | "put" | "delete";
  path: string;
  id: string;
  /** Query parameters other than page and limit, each with whether it is required. */
  query?: Record<string, boolean>;
  /** A list: `page` and `limit` (1..100, default 20), answered with the page envelope. */
  list?: true;
  /** The fields of the body template, and those the reference marks required. */
  body?: { fields: string[]; required: string[] };
}

/** The contact fields of the reference's "Request params" tables of POST and PUT /contact, none required. */
const CONTACT_FIELDS = [
  "name",
  "email",
  "phone",
  "ip",
  "origin",
  "description",
  "country",
  "zip_code",
  "city",
  "state",
  "address",
  "company",
  "lang",
];

/** The reference's "ConverseIQ API ENDPOINT Requests", in its order. */
const OPERATIONS: OperationFact[] = [
  { method: "get", path: "/workspace", id: "getWorkspace" },
  { method: "get", path: "/workspace/me", id: "getWorkspaceOwner" },
  { method: "get", path: "/contact", id: "listContacts", list: true },
  { method: "get", path: "/contact/search", id: "searchContacts", query: { email: true }, list: true },
  { method: "get", path: "/contact/{contactId}", id: "getContact" },
  { method: "post", path: "/contact", id: "createContact", body: { fields: CONTACT_FIELDS, required: [] } },
  { method: "put", path: "/contact/{contactId}", id: "updateContact", body: { fields: CONTACT_FIELDS, required: [] } },
  { method: "delete", path: "/contact/{contactId}", id: "deleteContact" },
  { method: "get", path: "/chat", id: "listChats", list: true },
  { method: "get", path: "/chat/{chatId}", id: "getChat" },
  { method: "get", path: "/chat/{chatId}/message", id: "listChatMessages", list: true },
  { method: "get", path: "/chat/{chatId}/message/{messageId}", id: "getChatMessage" },
  {
    method: "post",
    path: "/chat",
    id: "createChat",
    body: { fields: ["channel", "message", "chatflow", "agent", "bot", "contact"], required: ["channel", "message"] },
  },
  {
    method: "post",
    path: "/chat/{chatId}/message",
    id: "createChatMessage",
    body: { fields: ["message", "agent", "bot", "contact"], required: ["message"] },
  },
  { method: "put", path: "/chat/{chatId}", id: "updateChat", body: { fields: ["title"], required: [] } },
  { method: "delete", path: "/chat/{chatId}", id: "deleteChat" },
  { method: "get", path: "/team", id: "listTeamMembers", list: true },
  { method: "get", path: "/team/{memberId}", id: "getTeamMember" },
];

/** The reference's pagination table: "page | Int | no | Starts from 1", "limit | Int | no | Min: 1, Max: 100, Default: 20". */
const PAGE = { type: "integer", minimum: 1, default: 1 };
const LIMIT = { type: "integer", minimum: 1, maximum: 100, default: 20 };
/** "Endpoints which returns list of objects have this JSON schema: { data, page, limit, pages, total }". */
const ENVELOPE = ["data", "limit", "page", "pages", "total"];

/** The webhook page's events table: each event and the object its `data` carries, or "id" alone. */
const WEBHOOK_EVENTS: Record<string, "User" | "Chat" | "Message" | "Contact" | "id"> = {
  "user.created": "User",
  "user.updated": "User",
  "user.deleted": "id",
  "chat.created": "Chat",
  "chat.message.created": "Message",
  "chat.message.updated": "Message",
  "chat.message.deleted": "id",
  "chat.muted": "Chat",
  "chat.unmuted": "Chat",
  "chat.archived": "Chat",
  "chat.unarchived": "Chat",
  "chat.resolved": "Chat",
  "chat.reopened": "Chat",
  "chat.deleted": "id",
  "contact.created": "Contact",
  "contact.updated": "Contact",
  "contact.deleted": "id",
};

const schema = (node: oas31.SchemaObject | oas31.ReferenceObject | undefined) =>
  resolve<oas31.SchemaObject>(publicSpec, node ?? {});
const specOps = listOperations();
const name = (op: { method: string; path: string }) => `${op.method.toUpperCase()} ${op.path}`;
const table = OPERATIONS.map((fact) => [name(fact), fact] as const);

function specOp(fact: OperationFact): Operation {
  const op = specOps.find((o) => o.method === fact.method && o.path === fact.path);
  if (!op) throw new Error(`the spec has no ${name(fact)}`);
  return op;
}

describe("the spec's operations, against the table of the vendor's reference", () => {
  it("are exactly the operations of the reference", () => {
    expect(specOps.map(name).sort()).toEqual(OPERATIONS.map(name).sort());
  });

  it.each(OPERATIONS.map((fact) => [name(fact), fact.id, fact] as const))(
    "%s is the operation %s and needs the API key",
    (_, id, fact) => {
      const op = specOp(fact);
      expect(op.id).toBe(id);
      expect(op.security).toEqual([{ ApiKey: [] }]);
    },
  );

  it("take the API key in the x-api-key header", () => {
    expect(publicSpec.components?.securitySchemes?.ApiKey).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "x-api-key",
    });
  });

  it.each(table)("%s takes each GUID of its path as a required uuid parameter, and no other", (_, fact) => {
    const op = specOp(fact);
    const inPath = [...fact.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const params = op.parameters.filter((p) => p.in === "path");
    expect(params.map((p) => p.name)).toEqual(inPath);
    for (const p of params) {
      expect(p.required).toBe(true);
      expect(schema(p.schema)).toMatchObject({ type: "string", format: "uuid" });
    }
  });

  it.each(table)("%s takes exactly the query parameters of the table, required as it says", (_, fact) => {
    const want: Record<string, boolean> = { ...fact.query, ...(fact.list ? { page: false, limit: false } : {}) };
    const query = specOp(fact).parameters.filter((p) => p.in === "query");
    expect(Object.fromEntries(query.map((p) => [p.name, p.required ?? false]))).toEqual(want);
  });

  const lists = OPERATIONS.filter((fact) => fact.list).map((fact) => [name(fact), fact] as const);
  it("has five lists: contacts, contact search, chats, a chat's messages, team members", () => {
    expect(lists.map(([n]) => n)).toEqual([
      "GET /contact",
      "GET /contact/search",
      "GET /chat",
      "GET /chat/{chatId}/message",
      "GET /team",
    ]);
  });

  it.each(lists)("%s pages from 1 with a limit of 1 to 100 (default 20), answering the envelope", (_, fact) => {
    const op = specOp(fact);
    const param = (n: string) => schema(op.parameters.find((p) => p.in === "query" && p.name === n)?.schema);
    expect(param("page")).toMatchObject(PAGE);
    expect(param("limit")).toMatchObject(LIMIT);
    const page = schema(op.responses.get("200")?.schemas.get("application/json"));
    expect(page.required?.slice().sort()).toEqual(ENVELOPE);
    expect(schema(page.properties?.data).type).toBe("array");
  });

  const withBody = OPERATIONS.filter((fact) => fact.body).map((fact) => [name(fact), fact] as const);
  it.each(withBody)("%s takes a JSON body of exactly the table's fields, requiring those it marks", (_, fact) => {
    const body = specOp(fact).requestBody;
    expect(body?.required).toBe(true);
    expect(body?.contentTypes).toEqual(["application/json"]);
    const fields = schema(body?.schema);
    expect(Object.keys(fields.properties ?? {}).sort()).toEqual(fact.body?.fields.slice().sort());
    expect(fields.required ?? []).toEqual(expect.arrayContaining(fact.body?.required ?? []));
  });

  it.each(table.filter(([, fact]) => !fact.body))("%s takes no body", (_, fact) => {
    expect(specOp(fact).requestBody).toBeNull();
  });

  it.each(table.filter(([, fact]) => fact.method === "delete"))("%s answers 200 with an empty body", (_, fact) => {
    const ok = specOp(fact).responses.get("200");
    expect(ok).toBeDefined();
    expect(ok?.contentTypes).toEqual([]);
  });
});

describe("the spec's webhooks, against the table of the vendor's webhook page", () => {
  const hooks = listWebhooks();

  it("are exactly the 17 events of the page", () => {
    expect(Object.keys(WEBHOOK_EVENTS)).toHaveLength(17);
    expect(hooks.map((h) => h.event).sort()).toEqual(Object.keys(WEBHOOK_EVENTS).sort());
  });

  it.each(Object.entries(WEBHOOK_EVENTS))(
    "%s sends the envelope { event, id, ts, data }, data carrying %s",
    (event, carries) => {
      const hook = hooks.find((h) => h.event === event);
      const body = schema(hook?.schema);
      expect(body.required?.slice().sort()).toEqual(["data", "event", "id", "ts"]);
      expect(schema(body.properties?.event).enum).toEqual([event]);
      const data = schema(body.properties?.data).properties ?? {};
      const key = carries.toLowerCase();
      if (carries === "id") expect(Object.keys(data).sort()).toEqual(["guid", "workspace"]);
      else {
        expect(Object.keys(data).sort()).toEqual(["guid", key, "workspace"].sort());
        expect((data[key] as oas31.ReferenceObject).$ref).toBe(`#/components/schemas/${carries}`);
      }
    },
  );
});
